/**
 * Every call has a request id (x-request-id): the caller's own when sane,
 * else a fresh UUID; it comes back in the response headers, or in the
 * trailers of a call refused before any header, and it is in the server's
 * log line of the call. The JSON API passes it as an HTTP header both ways.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { credentials, makeGenericClientConstructor, Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { service as healthService } from 'grpc-health-check';
import { ListDomainsRequest, PlannerServiceClient } from '../../gen/ts/aria/planner/v1/planner.js';
import { clientFor, foundationServer, type FoundationServer } from '../support/foundation-server.js';
import { httpRequest } from '../support/http-get.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
let s: FoundationServer;
let planner: PlannerServiceClient;
test.before(async () => {
  s = await foundationServer({ httpPort: 0 });
  planner = clientFor(PlannerServiceClient, s.address);
});
test.after(async () => {
  planner.close();
  await s.stop();
});

/** ListDomains without a token (refused by the auth interceptor): the id it got, from headers or trailers. */
function refusedCall(id?: string): Promise<{ err: ServiceError; headerId?: string }> {
  const md = new Metadata();
  if (id !== undefined) md.set('x-request-id', id);
  return new Promise((resolve) => {
    let headerId: string | undefined;
    const call = planner.listDomains(ListDomainsRequest.fromPartial({}), md, (err) => resolve({ err: err!, headerId }));
    call.on('metadata', (h: Metadata) => { headerId = h.get('x-request-id')[0] as string | undefined; });
  });
}

const idOf = (r: { err: ServiceError; headerId?: string }): string | undefined => r.headerId ?? (r.err.metadata.get('x-request-id')[0] as string | undefined);

test('a sane id is kept, a missing or insane one replaced by a UUID; refused calls carry it too; the log line names it', async () => {
  const kept = await refusedCall('trace-me.42');
  assert.is(kept.err.code, status.UNAUTHENTICATED);
  assert.is(idOf(kept), 'trace-me.42');
  const fresh = await refusedCall();
  assert.match(idOf(fresh) ?? '', UUID);
  for (const insane of ['x'.repeat(65), 'has space', 'semi;colon']) {
    const r = await refusedCall(insane);
    assert.match(idOf(r) ?? '', UUID, insane);
  }
  // A call that passes the auth interceptor (health is open) is logged with its id.
  const Health = makeGenericClientConstructor(healthService, 'grpc.health.v1.Health');
  const health = new Health(s.address, credentials.createInsecure()) as unknown as { check(r: object, md: Metadata, cb: (e: ServiceError | null) => void): void; close(): void };
  const md = new Metadata();
  md.set('x-request-id', 'health-7');
  await new Promise<void>((done) => health.check({ service: '' }, md, () => done()));
  health.close();
  assert.ok(s.logs.some((l) => l.includes('"requestId":"health-7"')), 'the call is logged with its id');
});

test('the JSON API passes the id both ways', async () => {
  const base = `http://${s.server.http!.address}/v1/aria.planner.v1.PlannerService/ListDomains`;
  const given = await httpRequest(base, 'POST', 30_000, '{}', { 'x-request-id': 'from-curl-1' });
  assert.is(given.status, 401);
  assert.is(given.headers['x-request-id'], 'from-curl-1');
  const made = await httpRequest(base, 'POST', 30_000, '{}');
  assert.match(String(made.headers['x-request-id']), UUID);
});

test.run();
