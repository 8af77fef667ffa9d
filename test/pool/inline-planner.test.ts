/**
 * The main-thread try before the pool: small problems are answered there,
 * a problem that outruns the budget is handed on (unless the caller's own
 * limit is the smaller), trace calls always go to the pool, and a domain
 * that keeps overrunning stops being tried.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import type { Domain } from '../../server/src/planner/language/ast.js';
import { parseDomain } from '../../server/src/planner/language/parse-domain.js';
import type { PlanOptions, PlanResult, Problem } from '../../server/src/planner/types.js';
import type { PlannerLibrary } from '../../server/src/planner/library.js';
import { importLibrary } from '../../server/src/planner/library.js';
import { InlinePlanner } from '../../server/src/pool/inline-planner.js';
import { within } from '../support/time-slack.js';

const library = await importLibrary();
const probe = { id: 'probe', domainJson: JSON.stringify(parseDomain(readFileSync(new URL('../../../domains/probe_misc.aria', import.meta.url), 'utf8'), 'probe_misc.aria')) };
const count = (n: number): Problem => ({ state: { v: { x: null }, n: { c: 0 } }, todo: [['count', n]], verify_goals: true });

test('a small problem is answered on the calling thread', async () => {
  const inline = new InlinePlanner(library, { maxExpansions: 100 });
  const r = await inline.tryPlan(probe, count(5), {});
  assert.is(r?.status, 'plan');
  assert.is(r?.status === 'plan' && r.plan.length, 5);
  assert.equal(inline.counts, { inline: 1, handedOn: 0 });
  inline.close();
});

test('a problem that outruns the budget is handed on; the caller\'s own smaller limit is answered here', async () => {
  const inline = new InlinePlanner(library, { maxExpansions: 100 });
  assert.is(await inline.tryPlan(probe, count(400), {}), undefined);
  assert.equal(inline.counts, { inline: 0, handedOn: 1 });
  const limited = await inline.tryPlan(probe, count(400), { maxExpansions: 50 });
  assert.is(limited?.status, 'limit');
  assert.is(limited?.status === 'limit' && limited.limit, 'expansions');
  inline.close();
});

test('a helper that runs long without expanding nodes is stopped after a few milliseconds and handed on', async () => {
  const fib = { id: 'fib', domainJson: JSON.stringify(parseDomain(`domain fib_probe
var v
fn fib(n, a, b) { if n < 2 { return n }; return fib(n - 1, a, b) + fib(n - 2, a, b) }
action out(x) { v['x'] = x }
task t { method m() { return [out(fib(40, 0, 0))] } }`, 'fib.aria')) };
  const inline = new InlinePlanner(library, { maxMillis: 20 });
  const t0 = performance.now();
  assert.is(await inline.tryPlan(fib, { state: {}, todo: [['t']] }, {}), undefined);
  assert.ok(performance.now() - t0 < within(1000), `held the thread ${performance.now() - t0} ms`);
  assert.equal(inline.counts, { inline: 0, handedOn: 1 });
  inline.close();
});

test('JSON problems are parsed here, and their errors name the field', async () => {
  const inline = new InlinePlanner(library);
  const r = await inline.tryPlan(probe, { json: JSON.stringify(count(3)), field: 'problem_json' }, {});
  assert.is(r?.status, 'plan');
  try {
    await inline.tryPlan(probe, { json: '{"state": 1', field: 'problem_json' }, {});
    assert.unreachable('bad JSON was accepted');
  } catch (err) {
    assert.is((err as Error).name, 'InvalidArgumentError');
    assert.match((err as Error).message, /^problem_json: not valid JSON/);
  }
  inline.close();
});

test('trace calls, large JSON problems and inlining switched off go to the pool', async () => {
  const on = new InlinePlanner(library, { maxProblemBytes: 10 });
  assert.is(await on.tryPlan(probe, count(3), { traceLevel: 1 }), undefined);
  assert.is(await on.tryPlan(probe, { json: JSON.stringify(count(3)), field: 'problem_json' }, {}), undefined);
  const off = new InlinePlanner(library, { maxExpansions: 0 });
  assert.is(await off.tryPlan(probe, count(3), {}), undefined);
  on.close();
  off.close();
});

test('a domain whose calls keep overrunning is sent straight on, with an occasional probe', async () => {
  let plans = 0;
  const overrun: PlanResult = { status: 'limit', limit: 'expansions', message: 'x', stats: { expansions: 0, backtracks: 0, maxDepth: 0, peakMemoryBytes: 0 } };
  const fake: PlannerLibrary = {
    loadDomain: (d) => ({ name: 'fake', hash: 'h', domain: d as Domain, plan: (_p: Problem, _o?: PlanOptions) => { plans++; return overrun; } }),
    builtinDomainNames: () => [],
    readBuiltinDomain: () => ({ text: '' }),
  };
  const inline = new InlinePlanner(fake, { maxExpansions: 10 });
  const domain = { id: 'd', domainJson: '{}' };
  for (let i = 0; i < 200; i++) assert.is(await inline.tryPlan(domain, count(1), {}), undefined);
  assert.is(inline.counts.handedOn, 200);
  // Four tries before backing off, then one probe in 64 of the remaining 196 calls.
  assert.is(plans, 4 + Math.floor(196 / 64));
});

test.run();
