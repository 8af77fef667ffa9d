/**
 * Action costs and the anytime search over gRPC: Plan with
 * options.optimize on the built-in travel_costs domain returns the cheapest
 * plan, its cost and the improvements; without it, today's plan and its cost.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { OptimizeMetric, PlanRequest, PlanStatus, type PlanResponse } from '../../gen/ts/aria/planner/v1/planner.js';
import { jsonToState, jsonToTodo, stepToJson } from '../../server/src/pool/value-proto.js';
import type { AriaServer } from '../../server/src/app/start-server.js';
import { clientOf, testServer, unary } from '../support/test-server.js';

let server: AriaServer;
test.before(async () => { server = await testServer({ workers: 1 }); });
test.after(async () => { await server.shutdown(1000); });

const plan = (req: Partial<PlanRequest>) => unary<PlanRequest, PlanResponse>(clientOf(server), 'plan', PlanRequest.fromPartial(req));
const TRAVEL = { domain: 'travel_costs', state: jsonToState({ loc: { alice: 'home' } }), todo: jsonToTodo([['travel', 'alice', 'office']]) };

test('Plan reports the plan cost; without optimize, no anytime report', async () => {
  const r = await plan(TRAVEL);
  assert.is(r.status, PlanStatus.PLAN_STATUS_PLAN);
  assert.is(r.cost, 25);
  assert.is(r.plan.length, 3);
  assert.is(r.anytime, undefined);
});

test('Plan with options.optimize returns the cheapest plan and every improvement', async () => {
  const r = await plan({ ...TRAVEL, options: { traceLevel: 0, optimize: { metric: OptimizeMetric.OPTIMIZE_METRIC_COST, budgetMs: 0, budgetExpansions: 0 } } });
  assert.is(r.status, PlanStatus.PLAN_STATUS_PLAN);
  assert.equal(r.plan.map((s, i) => stepToJson(s, `plan[${i}]`)), [['ride_bus', 'alice', 'home', 'station'], ['ride_bus', 'alice', 'station', 'office']]);
  assert.is(r.cost, 4);
  assert.ok(r.anytime);
  assert.is(r.anytime!.optimal, true);
  assert.is(r.anytime!.stoppedBy, '');
  const costs = r.anytime!.improvements.map((i) => i.cost);
  assert.is(costs[0], 25);
  assert.is(costs[costs.length - 1], 4);
  for (let i = 1; i < costs.length; i++) assert.ok(costs[i]! < costs[i - 1]!);
});

test('an optimize option without a metric is INVALID_ARGUMENT naming the field', async () => {
  try {
    await plan({ ...TRAVEL, options: { traceLevel: 0, optimize: { metric: OptimizeMetric.OPTIMIZE_METRIC_UNSPECIFIED, budgetMs: 0, budgetExpansions: 0 } } });
    assert.unreachable();
  } catch (e) {
    assert.is((e as { code?: number }).code, 3);
    assert.match((e as Error).message, /options\.optimize\.metric/);
  }
});

test.run();
