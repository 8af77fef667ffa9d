/**
 * Calls the search settles before its first expansion (an empty todo list,
 * a multigoal in a domain with no multigoal methods, unigoals that already
 * hold) are answered without writing the state into engine memory
 * (runtime/host-settled.ts), and the answer is the engine's own: each is
 * compared with the same call traced at level 1, which always runs the
 * engine and searches identically.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCases } from '../../../server/src/planner/conformance.js';
import { loadDomain, readBuiltinDomain, type DomainHandle, type JsonState, type PlanOptions, type PlanResult, type Problem } from '../../../server/src/planner/index.js';

const ROOT = fileURLToPath(new URL('../../../..', import.meta.url));
const cases = loadCases([join(ROOT, '..', 'shared', 'conformance', 'gtpyhop', 'cases.json')]).filter((c) => c.kind === 'find_plan');

const handles = new Map<string, DomainHandle>();
function domainOf(name: string): DomainHandle {
  let d = handles.get(name);
  if (!d) { d = loadDomain(readBuiltinDomain(name).text, { file: `${name}.aria` }); handles.set(name, d); }
  return d;
}

/** The call's result, and the engine's (traced at level 1, without its trace). */
function both(d: DomainHandle, p: Problem, options: PlanOptions = {}): { fast: PlanResult; engine: PlanResult } {
  const fast = d.plan(p, options);
  const engine = d.plan(p, { ...options, traceLevel: 1 });
  delete engine.trace;
  return { fast, engine };
}

/** The two agree in everything but the memory the engine held. */
function assertSame(fast: PlanResult, engine: PlanResult, what: string): void {
  const strip = (r: PlanResult): unknown => ({ ...r, stats: { ...r.stats, peakMemoryBytes: undefined } });
  assert.equal(strip(fast), strip(engine), what);
}

/** The goals of the state that hold now, as unigoal items, for the domain's goal variables. */
function heldGoals(d: DomainHandle, state: JsonState): [string, string, string | number | boolean][] {
  const out: [string, string, string | number | boolean][] = [];
  for (const v of d.compiled.unigoalVars) {
    const m = state[v];
    if (m === null || typeof m !== 'object' || Array.isArray(m) || '__set__' in m) continue;
    for (const [k, x] of Object.entries(m)) if (typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean') out.push([v, k, x]);
  }
  return out;
}

test('every find_plan conformance case: the same answer as the engine', () => {
  assert.ok(cases.length > 50, `${cases.length} cases`);
  let settled = 0;
  for (const c of cases) {
    const d = domainOf(c.domain);
    const { fast, engine } = both(d, { state: c.state as JsonState, todo: c.todo as Problem['todo'], verify_goals: c.verify_goals });
    assertSame(fast, engine, c.name);
    if (fast.stats.peakMemoryBytes === 0) settled++;
  }
  // The empty todo list, the multigoal without methods and the goals that already hold among them.
  assert.ok(settled >= 4, `${settled} settled on the host`);
});

test('settled on the host: no engine memory, and the engine agrees', () => {
  const c = cases.find((x) => x.name === 'logistics_hgn/x_multigoal_no_methods')!;
  const d = domainOf('logistics_hgn');
  const state = c.state as JsonState;
  const goals = heldGoals(d, state);
  assert.ok(goals.length >= 2, 'the logistics state has goals that hold');
  const mg = c.todo[0] as Problem['todo'][number];
  const todos: Problem['todo'][] = [[], [mg], goals, [...goals, mg], [goals[0], mg, ['no_such_task']], [goals[1], goals[0]]];
  for (const todo of todos) {
    const { fast, engine } = both(d, { state, todo });
    assertSame(fast, engine, JSON.stringify(todo));
    assert.is(fast.stats.peakMemoryBytes, 0, `host-settled: ${JSON.stringify(todo)}`);
  }
  assert.is(both(d, { state, todo: [mg] }).fast.status, 'no_plan');
  assert.is(both(d, { state, todo: goals }).fast.stats.maxDepth, goals.length);
});

test('what the walk does not settle goes to the engine, with the same answer', () => {
  const d = domainOf('logistics_hgn');
  const state = cases.find((x) => x.name === 'logistics_hgn/x_multigoal_no_methods')!.state as JsonState;
  const goals = heldGoals(d, state);
  const [v, k] = goals[0];
  const todos: Problem['todo'][] = [
    [[v, k, 'elsewhere']], // a goal that does not hold: its methods run
    [goals[0], ['drive_truck', 'truck1', 'location1']], // an action after a goal that holds
    [[v, k]], // a unigoal of the wrong arity: the engine's error
    [['no_such_task']], // nothing by that name: the engine's error
  ];
  for (const todo of todos) {
    const { fast, engine } = both(d, { state, todo });
    assertSame(fast, engine, JSON.stringify(todo));
    assert.ok(fast.stats.peakMemoryBytes > 0 || fast.status === 'error', `engine call: ${JSON.stringify(todo)}`);
  }
  // A depth limit the goals reach: the engine reports the limit.
  const limited = both(d, { state, todo: goals }, { maxDepth: 0 });
  assertSame(limited.fast, limited.engine, 'maxDepth 0');
  assert.is(limited.fast.status, 'limit');
  // A small memory limit is the engine's to report.
  assert.is(d.plan({ state, todo: [] }, { maxMemoryBytes: 1 }).status, 'limit');
});

test('input the writer refuses is refused even when the todo list needs no state', () => {
  const d = domainOf('logistics_hgn');
  assert.throws(() => d.plan({ state: { at: { package1: Infinity } } as unknown as JsonState, todo: [] }), /not finite/);
  let deep: unknown = 'x';
  for (let i = 0; i < 80; i++) deep = [deep];
  assert.throws(() => d.plan({ state: { at: { package1: deep } } as unknown as JsonState, todo: [] }), /nested deeper/);
  assert.throws(() => d.plan({ state: [] as unknown as JsonState, todo: [] }), /must be an object/);
  assert.throws(() => d.plan({ state: {}, todo: [[]] as unknown as Problem['todo'] }), /todo\[0\]/);
  // Keys that are Object's own members are state like any other.
  const r = d.plan({ state: { at: { constructor: 'x' } } as JsonState, todo: [['at', 'valueOf', 'x']] });
  assert.not.equal(r.status, 'plan', 'valueOf is not a key of that state');
});

test.run();
