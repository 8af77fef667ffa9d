/**
 * The JSON API on the HTTP port: a curl-style POST reaches the same
 * handlers as gRPC (a plan, its errors with their HTTP statuses, roles and
 * tokens through the auth interceptor, login throttling counted per HTTP
 * client), a server-streaming method answers NDJSON, and bad bodies are
 * 400 naming the field.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { foundationServer, type FoundationServer } from '../../support/foundation-server.js';
import { httpRequest } from '../../support/http-get.js';

const TRAVEL = JSON.stringify({ state: { loc: { alice: 'home_a', taxi1: 'park' }, cash: { alice: 20 }, owe: { alice: 0 } }, todo: [['travel', 'alice', 'park']] });
let s: FoundationServer;
let base: string;
test.before(async () => {
  s = await foundationServer({ libraryUrl: null, httpPort: 0, env: { ARIA_LOGIN_MAX_FAILURES_PER_PEER: '3', ARIA_LOGIN_MAX_FAILURES_PER_USER: '0' } });
  base = `http://${s.server.http!.address}/v1`;
});
test.after(async () => {
  await s.stop();
});

const post = (route: string, body: unknown, headers: Record<string, string> = {}) =>
  httpRequest(`${base}/${route}`, 'POST', 30_000, typeof body === 'string' ? body : JSON.stringify(body), { 'content-type': 'application/json', ...headers });

async function token(): Promise<string> {
  const r = await post('aria.auth.v1.AuthService/Login', { username: 'admin', password: 'bootstrap-admin-password' });
  assert.is(r.status, 200, r.body);
  return (JSON.parse(r.body) as { tokens: { accessToken: string } }).tokens.accessToken;
}

test('log in and plan over JSON: the answer of the gRPC Plan, enums by name', async () => {
  const auth = { authorization: `Bearer ${await token()}` };
  const r = await post('aria.planner.v1.PlannerService/Plan', { domain: 'simple_htn', problemJson: TRAVEL }, auth);
  assert.is(r.status, 200, r.body);
  const body = JSON.parse(r.body) as { status: string; plan: { name: string }[]; stats: { expansions: number } };
  assert.is(body.status, 'PLAN_STATUS_PLAN');
  assert.equal(body.plan.map((p) => p.name), ['call_taxi', 'ride_taxi', 'pay_driver']);
  assert.is(body.stats.expansions, 6);
  const missing = await post('aria.planner.v1.PlannerService/Plan', { domain: 'no_such', problemJson: TRAVEL }, auth);
  assert.is(missing.status, 404);
  assert.equal(JSON.parse(missing.body), { code: 'NOT_FOUND', message: 'no domain named "no_such"' });
});

test('no token is 401 and a wrong one too, as over gRPC', async () => {
  const none = await post('aria.planner.v1.PlannerService/ListDomains', {});
  assert.is(none.status, 401);
  assert.is((JSON.parse(none.body) as { code: string }).code, 'UNAUTHENTICATED');
  assert.is((await post('aria.planner.v1.PlannerService/ListDomains', {}, { authorization: 'Bearer nonsense' })).status, 401);
});

test('bad bodies are 400 naming the field; unknown routes 404; streamed requests 501; GET 405', async () => {
  const auth = { authorization: `Bearer ${await token()}` };
  const typo = await post('aria.planner.v1.PlannerService/Plan', { domian: 'simple_htn' }, auth);
  assert.is(typo.status, 400);
  assert.match(JSON.parse(typo.body).message, /^body\.domian: PlanRequest has no such field \(its fields: domain, /);
  const nested = await post('aria.planner.v1.PlannerService/Plan', { domain: 'simple_htn', options: { maxDepht: 3 } }, auth);
  assert.match(JSON.parse(nested.body).message, /^body\.options\.maxDepht: PlanOptions has no such field/);
  assert.is((await post('aria.planner.v1.PlannerService/Plan', '{"domain": ', auth)).status, 400);
  assert.is((await post('aria.planner.v1.PlannerService/Plan', '[1, 2]', auth)).status, 400);
  const route = await post('aria.nothing.v1.X/Y', {}, auth);
  assert.is(route.status, 404);
  assert.is((await post('aria.planner.v1.PlannerService/PlanStream', {}, auth)).status, 501);
  const get = await httpRequest(`${base}/aria.planner.v1.PlannerService/ListDomains`);
  assert.is(get.status, 405);
  assert.is(get.headers.allow, 'POST');
});

test('a server-streaming method answers one JSON object per line (NDJSON)', async () => {
  const auth = { authorization: `Bearer ${await token()}` };
  const r = await post('aria.planner.v1.PlannerService/Trace', { problem: { domain: 'simple_htn', problemJson: TRAVEL } }, auth);
  assert.is(r.status, 200, r.body);
  assert.is(r.headers['content-type'], 'application/x-ndjson');
  const lines = r.body.trim().split('\n').map((l) => JSON.parse(l) as { event?: unknown; result?: { status: string } });
  assert.ok(lines.length > 2);
  assert.ok(lines.slice(0, -1).every((l) => l.event !== undefined));
  assert.is(lines.at(-1)?.result?.status, 'PLAN_STATUS_PLAN');
});

// A stream that fails before its first message: grpc-js emits 'end' after 'error', and answering twice threw
// ERR_HTTP_HEADERS_SENT out of an event handler, which would end a server (found by json-gateway-fuzz in CI, seed 959665).
test('a server stream that fails at once is one clean 404, and the server goes on', async () => {
  const auth = { authorization: `Bearer ${await token()}` };
  for (let i = 0; i < 3; i++) {
    const r = await post('aria.queue.v1.QueueService/WatchJob', { jobId: `no-such-job-${i}` }, auth);
    assert.is(r.status, 404, r.body);
    assert.is((JSON.parse(r.body) as { code: string }).code, 'NOT_FOUND');
  }
  assert.is((await httpRequest(`http://${s.server.http!.address}/healthz`)).status, 200);
});

test('login throttling counts HTTP clients by their own address, with Retry-After on 429', async () => {
  // Three failures from this client's address; the fourth attempt waits, even with the right password.
  for (let i = 0; i < 3; i++) {
    const bad = await post('aria.auth.v1.AuthService/Login', { username: 'admin', password: `wrong ${i}` });
    assert.is(bad.status, 401, bad.body);
  }
  const held = await post('aria.auth.v1.AuthService/Login', { username: 'admin', password: 'bootstrap-admin-password' });
  assert.is(held.status, 429, held.body);
  assert.ok(Number(held.headers['retry-after']) >= 1);
  // A forged forwarding header is not believed: it is the gateway's key that vouches, and the gateway writes its own.
  const forged = await post('aria.auth.v1.AuthService/Login', { username: 'admin', password: 'bootstrap-admin-password' }, { 'x-aria-forwarded-peer': '10.9.9.9:1' });
  assert.is(forged.status, 429);
  // Another client (another loopback address) is not held by the first one's failures.
  const other = await httpRequest(`${base}/aria.auth.v1.AuthService/Login`, 'POST', 30_000,
    JSON.stringify({ username: 'admin', password: 'bootstrap-admin-password' }), { 'content-type': 'application/json' }, '127.0.0.2');
  assert.is(other.status, 200, other.body);
});

test.run();
