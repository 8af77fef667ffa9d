/**
 * The JSON API under random bodies (fast-check): every answer is a status a
 * client can act on (never 500), with a JSON body, and the server still
 * answers /healthz and a correct Plan afterwards. ARIA_FUZZ_SEED replays.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { foundationServer, type FoundationServer } from '../../support/foundation-server.js';
import { httpRequest } from '../../support/http-get.js';

const SEED = Number(process.env.ARIA_FUZZ_SEED ?? Date.now() % 1_000_000);
/** Routes and their request's fields, so that bodies get past the field check and reach the handlers. */
const ROUTES: Record<string, string[]> = {
  'aria.planner.v1.PlannerService/Plan': ['domain', 'problemJson', 'state', 'todo', 'options'],
  'aria.planner.v1.PlannerService/RegisterDomain': ['text', 'file', 'domain'],
  'aria.planner.v1.PlannerService/GetDomain': ['domain'],
  'aria.planner.v1.PlannerService/Trace': ['problem'],
  'aria.queue.v1.QueueService/SubmitPlanJob': ['domain', 'problems', 'options', 'jobId'],
  'aria.queue.v1.QueueService/WatchJob': ['jobId'],
  'aria.auth.v1.AuthService/Login': ['username', 'password'],
  'aria.secrets.v1.SecretsService/PutSecret': ['path', 'value', 'cas'],
  'aria.interpret.v1.InterpretService/Infer': ['name', 'version', 'inputs'],
  'aria.interpret.v1.InterpretService/RegisterModel': ['name', 'onnx'],
  'aria.data.v1.DataService/ListPlanHistory': ['limit', 'domain', 'username'],
};
const VALUES = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom('simple_htn', '{"state":{},"todo":[]}', '{"state":{"loc":{"alice":"home_a"}},"todo":[["travel","alice","park"]]}', 'x'.repeat(5000), '__proto__', 'AAAA', -1, 1e300, 2 ** 53),
  fc.array(fc.record({ name: fc.constantFrom('x', 'y'), type: fc.constantFrom('DATA_TYPE_FLOAT32', 'DATA_TYPE_INT64', 7, 'nope'), dims: fc.array(fc.integer({ min: -2, max: 5 }), { maxLength: 3 }), floatData: fc.array(fc.double(), { maxLength: 6 }) }), { maxLength: 2 }),
);
const request = fc.constantFrom(...Object.keys(ROUTES)).chain((route) => fc.tuple(fc.constant(route), fc.oneof(
  { weight: 6, arbitrary: fc.dictionary(fc.constantFrom(...ROUTES[route]), VALUES, { maxKeys: 4 }).map((o) => JSON.stringify(o)) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 64 }) },
  { weight: 1, arbitrary: fc.constantFrom('', '{', '{"domain":', '{"__proto__":{"domain":"x"}}', '{"constructor":1}') },
)));

let s: FoundationServer;
test.before(async () => {
  s = await foundationServer({ devNoAuth: true, libraryUrl: null, httpPort: 0 });
});
test.after(async () => {
  await s.stop();
});

test(`random bodies on every kind of route get 2xx or 4xx JSON answers, never 500, and the server lives (seed ${SEED})`, async () => {
  const base = `http://${s.server.http!.address}`;
  const bad: string[] = [];
  const seen: Record<number, number> = {};
  await fc.assert(fc.asyncProperty(request, async ([route, text]) => {
    const r = await httpRequest(`${base}/v1/${route}`, 'POST', 30_000, text, { 'content-type': 'application/json' });
    seen[r.status] = (seen[r.status] ?? 0) + 1;
    const json = (() => { try { return r.body.trim().split('\n').map((l) => JSON.parse(l) as unknown); } catch { return undefined; } })();
    if (r.status >= 500 || json === undefined) bad.push(`${route} ${r.status}: ${text.slice(0, 120)} -> ${r.body.slice(0, 200)}`);
  }), { seed: SEED, numRuns: Number(process.env.ARIA_FUZZ_RUNS ?? 150) });
  console.log(`  seed ${SEED}: statuses ${JSON.stringify(seen)}`);
  assert.equal(bad, []);
  assert.is((await httpRequest(`${base}/healthz`)).status, 200);
  const plan = await httpRequest(`${base}/v1/aria.planner.v1.PlannerService/Plan`, 'POST', 30_000,
    JSON.stringify({ domain: 'simple_htn', problemJson: JSON.stringify({ state: { loc: { alice: 'home_a', taxi1: 'park' }, cash: { alice: 20 }, owe: { alice: 0 } }, todo: [['travel', 'alice', 'park']] }) }));
  assert.is(plan.status, 200);
  assert.is((JSON.parse(plan.body) as { plan: unknown[] }).plan.length, 3);
});

test.run();
