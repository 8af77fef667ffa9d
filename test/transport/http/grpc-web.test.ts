/**
 * gRPC-Web on the HTTP port, driven by a client this project did not
 * write: connect-es's gRPC-Web transport (@connectrpc/connect-node) over
 * HTTP/1.1, with the service descriptors `buf build` makes from proto/.
 * Unary and server-streaming calls, tokens and roles as over gRPC, status
 * codes and messages, and bad frames answered with a status, not a crash.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createFileRegistry, fromBinary, type DescService } from '@bufbuild/protobuf';
import { FileDescriptorSetSchema } from '@bufbuild/protobuf/wkt';
import { Code, ConnectError, createClient } from '@connectrpc/connect';
import { createGrpcWebTransport } from '@connectrpc/connect-node';
import { foundationServer, type FoundationServer } from '../../support/foundation-server.js';
import { httpRequest } from '../../support/http-get.js';

const ROOT = fileURLToPath(new URL('../../../..', import.meta.url));
const TRAVEL = JSON.stringify({ state: { loc: { alice: 'home_a', taxi1: 'park' }, cash: { alice: 20 }, owe: { alice: 0 } }, todo: [['travel', 'alice', 'park']] });

let s: FoundationServer;
let dir: string;
let planner: DescService, auth: DescService;
let base: string;

test.before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'aria-grpc-web-'));
  const image = join(dir, 'aria.binpb');
  execFileSync(join(ROOT, 'node_modules', '.bin', 'buf'), ['build', '-o', image], { cwd: ROOT, stdio: 'pipe', timeout: 120_000 });
  const registry = createFileRegistry(fromBinary(FileDescriptorSetSchema, readFileSync(image)));
  planner = registry.getService('aria.planner.v1.PlannerService')!;
  auth = registry.getService('aria.auth.v1.AuthService')!;
  s = await foundationServer({ libraryUrl: null, httpPort: 0 });
  base = `http://${s.server.http!.address}`;
});
test.after(async () => {
  await s?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** A client of the service's methods by their local names (the descriptors are read at run time, so untyped). */
type LooseClient = Record<string, (request: object, options?: { headers?: Record<string, string> }) => any>;

function clientOf(service: DescService): LooseClient {
  return createClient(service, createGrpcWebTransport({ baseUrl: base, httpVersion: '1.1' })) as unknown as LooseClient;
}

async function bearer(): Promise<Record<string, string>> {
  const r = await clientOf(auth).login({ username: 'admin', password: 'bootstrap-admin-password' }) as { tokens: { accessToken: string } };
  return { authorization: `Bearer ${r.tokens.accessToken}` };
}

async function codeOf(p: Promise<unknown>): Promise<ConnectError> {
  try {
    await p;
  } catch (err) {
    return ConnectError.from(err);
  }
  throw new Error('the call succeeded');
}

test('log in and plan over gRPC-Web: the gRPC answer', async () => {
  const headers = await bearer();
  const r = await clientOf(planner).plan({ domain: 'simple_htn', problemJson: TRAVEL }, { headers }) as { plan: { name: string }[]; stats: { expansions: bigint } };
  assert.equal(r.plan.map((p) => p.name), ['call_taxi', 'ride_taxi', 'pay_driver']);
  assert.is(Number(r.stats.expansions), 6);
});

test('statuses and messages come through: NOT_FOUND, UNAUTHENTICATED, INVALID_ARGUMENT', async () => {
  const headers = await bearer();
  const missing = await codeOf(clientOf(planner).plan({ domain: 'no_such', problemJson: TRAVEL }, { headers }));
  assert.is(missing.code, Code.NotFound);
  assert.is(missing.rawMessage, 'no domain named "no_such"');
  assert.is((await codeOf(clientOf(planner).listDomains({}))).code, Code.Unauthenticated);
  const bad = await codeOf(clientOf(planner).registerDomain({ text: 'domain d🚀\n' }, { headers }));
  assert.is(bad.code, Code.InvalidArgument);
  assert.ok(bad.rawMessage.length > 0 && bad.rawMessage.length < 2000, bad.rawMessage);
});

test('a server stream arrives message by message, then its status', async () => {
  const headers = await bearer();
  const kinds: string[] = [];
  for await (const m of clientOf(planner).trace({ problem: { domain: 'simple_htn', problemJson: TRAVEL } }, { headers }) as AsyncIterable<{ kind: { case?: string } }>) {
    kinds.push(m.kind.case ?? 'none');
  }
  assert.ok(kinds.length > 2, `${kinds.length} messages`);
  assert.ok(kinds.slice(0, -1).every((k) => k === 'event'), kinds.join(' '));
  assert.is(kinds.at(-1), 'result');
});

test('a client-streaming method is UNIMPLEMENTED; bad frames get a status; the server keeps serving', async () => {
  const headers = await bearer();
  const frame = (flag: number, body: Buffer, announced = body.length): Buffer => {
    const head = Buffer.alloc(5);
    head[0] = flag;
    head.writeUInt32BE(announced, 1);
    return Buffer.concat([head, body]);
  };
  const raw = (path: string, body: Buffer | string, type = 'application/grpc-web+proto') =>
    httpRequest(`${base}${path}`, 'POST', 30_000, body, { 'content-type': type, ...headers });
  const statusOf = (body: string): string | undefined => /grpc-status: (\d+)/.exec(body)?.[1];
  const cases: [string, Buffer | string, string][] = [
    ['/aria.planner.v1.PlannerService/ListDomains', Buffer.alloc(2), '3'],
    ['/aria.planner.v1.PlannerService/ListDomains', frame(0, Buffer.alloc(3), 10), '3'],
    ['/aria.planner.v1.PlannerService/ListDomains', frame(1, Buffer.alloc(3)), '12'],
    ['/aria.planner.v1.PlannerService/ListDomains', frame(0x80, Buffer.alloc(0)), '3'],
    ['/aria.planner.v1.PlannerService/Plan', frame(0, Buffer.from([0xff, 0xff, 0xff])), '3'],
    ['/aria.planner.v1.PlannerService/PlanStream', frame(0, Buffer.alloc(0)), '12'],
  ];
  for (const [path, body, want] of cases) {
    const r = await raw(path, body);
    assert.is(r.status, 200, r.body);
    assert.is(statusOf(r.body), want, `${path}: ${r.body}`);
  }
  // grpc-web-text: the same call in base64, answered in base64.
  const text = await raw('/aria.planner.v1.PlannerService/ListDomains', frame(0, Buffer.alloc(0)).toString('base64'), 'application/grpc-web-text');
  assert.is(text.headers['content-type'], 'application/grpc-web-text+proto');
  // Each frame is base64 of its own, padded: decoded segment by segment, as gRPC-Web clients do.
  const decoded = (text.body.match(/[^=]+=*/g) ?? []).map((seg) => Buffer.from(seg, 'base64').toString('latin1')).join('');
  assert.match(decoded, /simple_htn/);
  assert.is(statusOf(decoded), '0');
  // A method that does not exist is the HTTP port's 404, as for any unknown path.
  assert.is((await raw('/aria.nothing.v1.X/Y', frame(0, Buffer.alloc(0)))).status, 404);
  const after = await clientOf(planner).plan({ domain: 'simple_htn', problemJson: TRAVEL }, { headers }) as { plan: unknown[] };
  assert.is(after.plan.length, 3);
});

test.run();
