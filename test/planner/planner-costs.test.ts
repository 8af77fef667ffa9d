/**
 * Action costs and the anytime branch-and-bound (PlanOptions.optimize) on
 * domains/travel_costs.aria: the first plan is today's, the final plan's
 * cost is the minimum a brute-force enumeration in this file finds, the
 * improvements strictly decrease, and the search proves optimality.
 *
 * Every test runs twice: with the domain compiled to WebAssembly (the JIT,
 * the default) and with its bytecode interpreted (ARIA_JIT=0).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadDomain, readBuiltinDomain, type DomainHandle, type JsonValue, type PlanResult, type Problem } from '../../server/src/planner/index.js';
import { domainToProto } from '../../server/src/transport/engine/domain-to-proto.js';
import { domainFromProto } from '../../server/src/transport/engine/domain-from-proto.js';
import { decodeOptions } from '../../server/src/transport/engine/request-codec.js';
import { OptimizeMetric } from '../../gen/ts/aria/planner/v1/planner.js';
import { parseDomain } from '../../server/src/planner/language/parse-domain.js';

let jit = true;
function load(src: string): DomainHandle {
  const saved = process.env.ARIA_JIT;
  process.env.ARIA_JIT = jit ? '1' : '0';
  try { return loadDomain(src); } finally {
    if (saved === undefined) delete process.env.ARIA_JIT; else process.env.ARIA_JIT = saved;
  }
}
function both(name: string, fn: () => void): void {
  test(`${name} [jit]`, () => { jit = true; fn(); });
  test(`${name} [interpreter]`, () => { jit = false; fn(); });
}

const TRAVEL = readBuiltinDomain('travel_costs').text;

// The town of travel_costs.aria, written out again here so that the expected answers do not come from the planner.
const ROADS: Record<string, string[]> = {
  home: ['station', 'park'], park: ['market', 'school'], station: ['market', 'office'], market: ['office', 'school'], school: ['office'], office: [],
};
const DIST: Record<string, Record<string, number>> = {
  home: { station: 4, park: 1 }, park: { market: 2, school: 3 }, station: { market: 1, office: 6 }, market: { office: 3, school: 1 }, school: { office: 2 },
};
const BUS: Record<string, string[]> = { home: ['station'], station: ['office'], park: ['school'], market: [], school: ['office'] };

/** The cost of one step by each mode that may take it (taxi: 3 + 2d, bus: 2 on a bus road, foot: d when d <= 3). */
function modes(x: string, y: string): [string, number][] {
  const d = DIST[x]![y]!;
  const out: [string, number][] = [['ride_taxi', 3 + 2 * d]];
  if (BUS[x]!.includes(y)) out.push(['ride_bus', 2]);
  if (d <= 3) out.push(['walk', d]);
  return out;
}

/** Every plan from x to y (brute force over routes and modes): the cheapest cost, and how many plans there are. */
function bruteForce(x: string, y: string): { min: number; count: number } {
  if (x === y) return { min: 0, count: 1 };
  let min = Infinity, count = 0;
  for (const z of ROADS[x]!) {
    const rest = bruteForce(z, y);
    if (rest.count === 0) continue;
    for (const [, c] of modes(x, z)) { min = Math.min(min, c + rest.min); count += rest.count; }
  }
  return { min, count };
}

/** Checks a plan independently: a connected route from x to y, each step by a mode allowed there; returns its cost. */
function checkPlan(plan: JsonValue[][], x: string, y: string): number {
  let at = x, cost = 0;
  for (const [mode, who, from, to] of plan as string[][]) {
    assert.is(who, 'alice');
    assert.is(from, at, `step ${mode} from ${from} while at ${at}`);
    assert.ok(ROADS[from!]!.includes(to!), `no road ${from} -> ${to}`);
    const m = modes(from!, to!).find(([name]) => name === mode);
    assert.ok(m, `${mode} cannot go ${from} -> ${to}`);
    cost += m![1];
    at = to!;
  }
  assert.is(at, y);
  return cost;
}

const problem = (x: string, y: string): Problem => ({ state: { loc: { alice: x } }, todo: [['travel', 'alice', y]] });
type Plan = PlanResult & { status: 'plan' };
function planOf(r: PlanResult): Plan {
  if (r.status !== 'plan') assert.unreachable(`expected a plan, got ${r.status}: ${'message' in r ? r.message : ''}`);
  return r as Plan;
}

both('a plan reports its cost: the costs of its actions, evaluated with their arguments', () => {
  const d = load(TRAVEL);
  const r = planOf(d.plan(problem('home', 'office')));
  assert.equal(r.plan, [['ride_taxi', 'alice', 'home', 'station'], ['ride_taxi', 'alice', 'station', 'market'], ['ride_taxi', 'alice', 'market', 'office']]);
  assert.is(r.cost, checkPlan(r.plan, 'home', 'office'));
  assert.is(r.cost, 11 + 5 + 9);
  assert.is(r.anytime, undefined);
});

both('without cost clauses every action costs 1, with or without optimize', () => {
  const d = load(`domain c\nvar v\naction a(x) { v['k'] = x }\ntask t {\n method m1() { return [a(1), a(2), a(3)] }\n method m2() { return [a(4)] }\n}`);
  const r = planOf(d.plan({ state: { v: { k: 0 } }, todo: [['t']] }));
  assert.is(r.cost, 3);
  const o = planOf(d.plan({ state: { v: { k: 0 } }, todo: [['t']] }, { optimize: { metric: 'cost' } }));
  assert.equal(o.plan, [['a', 4]]);
  assert.is(o.cost, 1);
  assert.equal(o.anytime!.improvements.map((i) => i.cost), [3, 1]);
  assert.is(o.anytime!.optimal, true);
});

both('optimize: the first plan is the one found without it, the last the brute-force minimum, proven optimal', () => {
  const d = load(TRAVEL);
  let checked = 0;
  for (const x of Object.keys(ROADS)) {
    for (const y of Object.keys(ROADS)) {
      const truth = bruteForce(x, y);
      const plain = d.plan(problem(x, y));
      if (truth.count === 0) { assert.is(plain.status, 'no_plan'); continue; }
      const first = planOf(plain);
      const r = planOf(d.plan(problem(x, y), { optimize: { metric: 'cost' } }));
      const a = r.anytime!;
      assert.ok(a, 'an optimised plan carries its anytime report');
      assert.is(a.optimal, true, `${x} -> ${y}`);
      assert.is(a.stoppedBy, undefined);
      assert.is(a.improvements[0]!.cost, first.cost);
      assert.is(r.cost, truth.min, `${x} -> ${y}: cost ${r.cost}, brute force ${truth.min}`);
      assert.is(checkPlan(r.plan, x, y), r.cost);
      assert.is(a.improvements[a.improvements.length - 1]!.cost, r.cost);
      for (let i = 1; i < a.improvements.length; i++) {
        const [p, q] = [a.improvements[i - 1]!, a.improvements[i]!];
        assert.ok(q.cost < p.cost, 'improvements strictly decrease');
        assert.ok(q.expansions > p.expansions && q.ms >= p.ms);
      }
      checked++;
    }
  }
  assert.ok(checked >= 10, `${checked} instances`);
  // The example the domain is for: the first plan is not the cheapest.
  const r = planOf(d.plan(problem('home', 'office'), { optimize: { metric: 'cost' } }));
  assert.ok(r.anytime!.improvements.length > 2);
  assert.equal(r.plan, [['ride_bus', 'alice', 'home', 'station'], ['ride_bus', 'alice', 'station', 'office']]);
});

both('optimize with a budget ending at the first plan returns exactly the first plan, not proven optimal', () => {
  const d = load(TRAVEL);
  const first = planOf(d.plan(problem('home', 'office')));
  const r = planOf(d.plan(problem('home', 'office'), { optimize: { metric: 'cost', budgetExpansions: first.stats.expansions } }));
  assert.equal(r.plan, first.plan);
  assert.is(r.cost, first.cost);
  assert.is(r.anytime!.optimal, false);
  assert.is(r.anytime!.stoppedBy, 'budget');
  assert.is(r.anytime!.improvements.length, 1);
});

both('a cost that is negative, not finite or not a number is a clear error naming the action', () => {
  for (const [cost, shown] of [['-1', '-1'], ["'x'", "'x'"], ['nil', 'None'], ['x * 1e308 * 10', 'inf'], ["v['k'] - 5", '-4']] as const) {
    // Evaluated on the state the action produced: v['k'] is then 1.
    const d = load(`domain c\nvar v\naction a(x) cost ${cost} { v['k'] = x }\ntask t { method m() { return [a(1)] } }`);
    const r = d.plan({ state: { v: { k: 0 } }, todo: [['t']] });
    assert.is(r.status, 'error', cost);
    const m = (r as { message: string }).message;
    assert.ok(m.startsWith('action a: its cost must be a non-negative finite number, not '), m);
    if (shown !== 'inf') assert.ok(m.endsWith(`not ${shown}`), m);
  }
});

both('a cost reads the state the action produced and its arguments', () => {
  const d = load(`domain c\nvar v\naction a(x) cost v['k'] * x { v['k'] = v['k'] + 1 }\ntask t { method m() { return [a(2), a(3)] } }`);
  const r = planOf(d.plan({ state: { v: { k: 0 } }, todo: [['t']] }));
  assert.is(r.cost, 1 * 2 + 2 * 3);
});

test('a cost is kept by the structured (protobuf) domain, and only actions may have one', () => {
  const ast = parseDomain(TRAVEL);
  const back = domainFromProto(domainToProto(ast));
  assert.equal(back.actions.map((a) => a.cost !== undefined), [true, true, true]);
  assert.equal(JSON.parse(JSON.stringify(back.actions[0]!.cost)), JSON.parse(JSON.stringify(ast.actions[0]!.cost)));
  const d = loadDomain(back);
  assert.is(planOf(d.plan(problem('home', 'office'))).cost, 25);
  assert.throws(() => loadDomain({ ...back, commands: [{ ...back.actions[0]!, cost: { lit: { num: 1 } } }] } as never), /a command has no cost/);
});

test('PlanOptions.optimize over gRPC: the metric is checked, the budgets carried', () => {
  assert.equal(decodeOptions({ traceLevel: 0, optimize: { metric: OptimizeMetric.OPTIMIZE_METRIC_COST, budgetMs: 10, budgetExpansions: 0 } }, 'options', 0).optimize,
    { metric: 'cost', budgetMs: 10 });
  assert.throws(() => decodeOptions({ traceLevel: 0, optimize: { metric: OptimizeMetric.OPTIMIZE_METRIC_UNSPECIFIED, budgetMs: 0, budgetExpansions: 0 } }, 'options', 0),
    /options\.optimize\.metric/);
});

test.run();
