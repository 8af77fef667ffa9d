/**
 * The monitor's figures on their own: calls and plans counted under their
 * labels, sources read at scrape time, and a failing source (Redis down)
 * leaves its gauge out instead of failing the scrape.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ServerMetrics } from '../../../server/src/services/monitor/index.js';
import { sample } from '../../support/http-get.js';

test('calls, plans, expansions and backtracks are counted under their labels', async () => {
  const m = new ServerMetrics({ defaultMetrics: false });
  m.rpc('aria.planner.v1.PlannerService', 'Plan', 'OK', 0.002);
  m.rpc('aria.planner.v1.PlannerService', 'Plan', 'OK', 0.004);
  m.rpc('aria.auth.v1.AuthService', 'Login', 'UNAUTHENTICATED', 0.001);
  m.plan({ method: 'Plan', username: 'u', domainRef: 'd', status: 'plan', planLength: 3, durationMs: 2, expansions: 6, backtracks: 1 });
  m.plan({ method: 'PlanStream', username: 'u', domainRef: 'd', status: 'limit', planLength: 0, durationMs: 30 });
  const text = await m.render();
  assert.is(sample(text, 'aria_rpc_requests_total', { service: 'aria.planner.v1.PlannerService', method: 'Plan', code: 'OK' }), 2);
  assert.is(sample(text, 'aria_rpc_requests_total', { service: 'aria.auth.v1.AuthService', method: 'Login', code: 'UNAUTHENTICATED' }), 1);
  assert.is(sample(text, 'aria_rpc_duration_seconds_sum', { service: 'aria.planner.v1.PlannerService', method: 'Plan' }), 0.006);
  assert.is(sample(text, 'aria_plans_total', { method: 'Plan', status: 'plan' }), 1);
  assert.is(sample(text, 'aria_plans_total', { method: 'PlanStream', status: 'limit' }), 1);
  assert.is(sample(text, 'aria_plan_expansions_sum', { method: 'Plan' }), 6);
  assert.is(sample(text, 'aria_plan_backtracks_sum', { method: 'Plan' }), 1);
  // A call with no stats (a limit) adds no expansion sample.
  assert.is(sample(text, 'aria_plan_expansions_count', { method: 'PlanStream' }), undefined);
  assert.is(sample(text, 'aria_plan_duration_seconds_count', { method: 'PlanStream' }), 1);
});

test('the pool, inline planner and queue are read when scraped; a failing queue leaves its gauge out', async () => {
  const m = new ServerMetrics({ defaultMetrics: false });
  let queued = 2;
  let redisUp = true;
  m.watch({ pool: () => ({ workers: 4, queued, utilization: 0.5 }), inline: () => ({ inline: 7, handedOn: 3 }) });
  m.watch({ jobs: async () => { if (!redisUp) throw new Error('connection refused'); return { queued: 1, running: 2, completed: 5, failed: 0, cancelled: 0 }; } });
  let text = await m.render();
  assert.is(sample(text, 'aria_pool_workers'), 4);
  assert.is(sample(text, 'aria_pool_queue_depth'), 2);
  assert.is(sample(text, 'aria_pool_utilization'), 0.5);
  assert.is(sample(text, 'aria_planner_calls', { where: 'inline' }), 7);
  assert.is(sample(text, 'aria_planner_calls', { where: 'pool' }), 3);
  assert.is(sample(text, 'aria_queue_jobs', { state: 'completed' }), 5);
  queued = 9;
  redisUp = false;
  text = await m.render();
  assert.is(sample(text, 'aria_pool_queue_depth'), 9);
  assert.is(sample(text, 'aria_queue_jobs', { state: 'completed' }), undefined);
});

test('two servers in one process keep their figures apart', async () => {
  const a = new ServerMetrics({ defaultMetrics: false });
  const b = new ServerMetrics({ defaultMetrics: false });
  a.rpc('s', 'M', 'OK', 0.001);
  assert.is(sample(await a.render(), 'aria_rpc_requests_total', { service: 's', method: 'M', code: 'OK' }), 1);
  assert.is(sample(await b.render(), 'aria_rpc_requests_total', { service: 's', method: 'M', code: 'OK' }), undefined);
});

test.run();
