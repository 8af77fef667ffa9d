/**
 * The HTTP port beside gRPC: `/metrics` counts what the gRPC side did
 * (calls by code, plans by outcome, expansions, pool and inline figures),
 * `/healthz` reports every service, and anything else gets a short, fixed
 * answer.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { pino } from 'pino';
import { status } from '@grpc/grpc-js';
import { PlanRequest, type PlanResponse } from '../../../gen/ts/aria/planner/v1/planner.js';
import { jsonToState, jsonToTodo } from '../../../server/src/pool/value-proto.js';
import type { AriaServer } from '../../../server/src/app/start-server.js';
import { ServerMetrics } from '../../../server/src/services/monitor/index.js';
import { startHttpFront } from '../../../server/src/transport/http/http-front.js';
import { clientOf, failure, testServer, unary } from '../../support/test-server.js';
import { httpRequest, sample } from '../../support/http-get.js';

const TRAVEL = {
  state: { loc: { alice: 'home_a', bob: 'home_b', taxi1: 'park', taxi2: 'station' }, cash: { alice: 20, bob: 15 }, owe: { alice: 0, bob: 0 } },
  todo: [['travel', 'alice', 'park']],
};

let server: AriaServer;
let base: string;
test.before(async () => {
  server = await testServer({ workers: 1, http: { port: 0 } });
  base = `http://${server.http!.address}`;
});
test.after(async () => {
  await server.shutdown(1000);
});

const plan = (req: Partial<PlanRequest>) => unary<PlanRequest, PlanResponse>(clientOf(server), 'plan', PlanRequest.fromPartial(req));

test('/metrics counts calls by code, plans by outcome, and their expansions', async () => {
  const before = (await httpRequest(`${base}/metrics`)).body;
  const planned = (t: string) => sample(t, 'aria_plans_total', { method: 'Plan', status: 'plan' }) ?? 0;
  const ok = (t: string) => sample(t, 'aria_rpc_requests_total', { service: 'aria.planner.v1.PlannerService', method: 'Plan', code: 'OK' }) ?? 0;
  const missing = (t: string) => sample(t, 'aria_rpc_requests_total', { service: 'aria.planner.v1.PlannerService', method: 'Plan', code: 'NOT_FOUND' }) ?? 0;
  for (let i = 0; i < 3; i++) {
    const r = await plan({ domain: 'simple_htn', state: jsonToState(TRAVEL.state), todo: jsonToTodo(TRAVEL.todo) });
    assert.is(r.plan.length, 3);
  }
  const f = await failure(plan({ domain: 'no_such_domain', state: jsonToState(TRAVEL.state), todo: jsonToTodo(TRAVEL.todo) }));
  assert.is(f.code, status.NOT_FOUND);
  const res = await httpRequest(`${base}/metrics`);
  assert.is(res.status, 200);
  assert.match(String(res.headers['content-type']), 'text/plain');
  const after = res.body;
  assert.is(planned(after) - planned(before), 3);
  assert.is(ok(after) - ok(before), 3);
  assert.is(missing(after) - missing(before), 1);
  // simple_htn's travel plan takes 6 expansions each time.
  assert.is((sample(after, 'aria_plan_expansions_sum', { method: 'Plan' }) ?? 0) - (sample(before, 'aria_plan_expansions_sum', { method: 'Plan' }) ?? 0), 18);
  assert.ok((sample(after, 'aria_rpc_duration_seconds_count', { service: 'aria.planner.v1.PlannerService', method: 'Plan' }) ?? 0) >= 4);
  assert.is(sample(after, 'aria_pool_workers'), 1);
  assert.is(sample(after, 'aria_pool_queue_depth'), 0);
  const inline = sample(after, 'aria_planner_calls', { where: 'inline' }) ?? 0;
  const pool = sample(after, 'aria_planner_calls', { where: 'pool' }) ?? 0;
  assert.ok(inline + pool >= 3, `inline ${inline} + pool ${pool}`);
  // Node's own figures, under the same prefix.
  assert.ok(sample(after, 'aria_process_cpu_user_seconds_total') !== undefined);
});

test('/healthz lists every service as SERVING', async () => {
  const res = await httpRequest(`${base}/healthz`);
  assert.is(res.status, 200);
  const body = JSON.parse(res.body) as { status: string; services: Record<string, string> };
  assert.is(body.status, 'SERVING');
  assert.is(body.services['aria.planner.v1.PlannerService'], 'SERVING');
  assert.is(body.services['grpc.health.v1.Health'], 'SERVING');
});

test('other paths and methods get short fixed answers, and HEAD no body', async () => {
  const long = `/${'x'.repeat(5000)}`;
  const nf = await httpRequest(`${base}${long}`);
  assert.is(nf.status, 404);
  assert.ok(nf.body.length < 200 && !nf.body.includes('xxxx'), 'the path is not echoed');
  const post = await httpRequest(`${base}/metrics`, 'POST');
  assert.is(post.status, 405);
  assert.is(post.headers.allow, 'GET, HEAD');
  const head = await httpRequest(`${base}/metrics`, 'HEAD');
  assert.is(head.status, 200);
  assert.is(head.body, '');
  assert.ok(Number(head.headers['content-length']) > 100);
});

test('/healthz answers 503 when a service does not serve; a busy port is a ConfigError', async () => {
  const log = pino({ level: 'silent' });
  const front = await startHttpFront({
    host: '127.0.0.1', port: 0, metrics: new ServerMetrics({ defaultMetrics: false }), log,
    health: () => ({ serving: false, services: { 'aria.queue.v1.QueueService': 'NOT_SERVING' } }),
  });
  try {
    const res = await httpRequest(`http://${front.address}/healthz`);
    assert.is(res.status, 503);
    assert.equal(JSON.parse(res.body), { status: 'NOT_SERVING', services: { 'aria.queue.v1.QueueService': 'NOT_SERVING' } });
    try {
      await startHttpFront({ host: '127.0.0.1', port: front.port, metrics: new ServerMetrics({ defaultMetrics: false }), log, health: () => ({ serving: true, services: {} }) });
      assert.unreachable('the port is taken');
    } catch (err) {
      assert.is((err as Error).name, 'ConfigError');
      assert.match((err as Error).message, `cannot listen for HTTP on 127.0.0.1:${front.port}`);
    }
  } finally {
    await front.close();
  }
});

test.run();
