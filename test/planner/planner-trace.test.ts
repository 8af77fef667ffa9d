/**
 * The structured trace: GTPyhop's verbosity levels 1 to 3 as events of the
 * kinds listed in types.ts, each kind from its own level up.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadDomain, readBuiltinDomain, type PlanResult, type TraceEvent, type TraceEventKind } from '../../server/src/planner/index.js';

const KINDS: TraceEventKind[] = ['todo', 'method_tried', 'method_failed', 'action_applied', 'action_failed',
  'goal_achieved', 'goal_verified', 'backtrack', 'result'];
/** The lowest level that emits each kind (types.ts). */
const LEVEL: Record<TraceEventKind, number> = {
  result: 1, todo: 2, method_tried: 3, method_failed: 3, action_applied: 3, action_failed: 3, goal_achieved: 3, goal_verified: 3, backtrack: 3,
};

const bt = loadDomain(readBuiltinDomain('backtracking_htn').text);
/** put_it then need1: m_err fails at getv(1), m0 fails later at need1, m1 works. */
const BT_PROBLEM = { state: { flag: -1 }, todo: [['put_it'], ['need1']] };

function traceOf(r: PlanResult): TraceEvent[] {
  assert.ok(Array.isArray(r.trace), `no trace in ${JSON.stringify(r)}`);
  return r.trace ?? [];
}

function checkShape(events: TraceEvent[], level: number): void {
  for (const e of events) {
    assert.ok(KINDS.includes(e.kind), `unknown kind ${e.kind}`);
    assert.ok(LEVEL[e.kind] <= level, `${e.kind} at level ${level}`);
    assert.ok(Number.isInteger(e.depth) && e.depth >= 0, `depth ${e.depth}`);
  }
}

test('level 0 (the default) gives no trace, and the plan is the same at every level', () => {
  const r0 = bt.plan(BT_PROBLEM);
  assert.is(r0.trace, undefined);
  assert.is(bt.plan(BT_PROBLEM, { traceLevel: 0 }).trace, undefined);
  const expected = [['putv', 1], ['getv', 1], ['getv', 1]];
  for (const traceLevel of [0, 1, 2, 3]) {
    const r = bt.plan(BT_PROBLEM, { traceLevel });
    assert.equal(r.status === 'plan' && r.plan, expected);
  }
});

test('every event has a known kind, allowed at its level, and a depth', () => {
  for (const traceLevel of [1, 2, 3]) checkShape(traceOf(bt.plan(BT_PROBLEM, { traceLevel })), traceLevel);
});

// Regression (fixed in 7feda6c): no 'result' event was emitted, so level 1
// gave an empty list. (GTPyhop's verbose 1 prints the result.)
test('level 1 gives the result event, and only that', () => {
  const events = traceOf(bt.plan(BT_PROBLEM, { traceLevel: 1 }));
  assert.ok(events.length > 0 && events.every((e) => e.kind === 'result'), JSON.stringify(events));
  // Every level ends with it, whatever the result.
  for (const traceLevel of [2, 3]) assert.is(traceOf(bt.plan(BT_PROBLEM, { traceLevel })).at(-1)?.kind, 'result');
  assert.is(traceOf(bt.plan({ state: { flag: -1 }, todo: [['need0']] }, { traceLevel: 1 })).at(-1)?.kind, 'result');
});

test('level 2 adds the todo list at each depth; its first items follow the search', () => {
  const events = traceOf(bt.plan(BT_PROBLEM, { traceLevel: 2 }));
  const todos = events.filter((e) => e.kind === 'todo');
  assert.ok(todos.length > 0);
  assert.equal(todos[0], { kind: 'todo', depth: 0, item: ['put_it'] });
  // The search ends at an empty todo list: GTPyhop's last seek_plan call, one deeper than the last action.
  assert.is(todos[todos.length - 1].item, undefined);
  assert.is(todos[todos.length - 1].depth, 5);
});

test('level 3 on backtracking_htn: methods tried in order, actions applied and failed, backtracks', () => {
  const events = traceOf(bt.plan(BT_PROBLEM, { traceLevel: 3 }));
  const tried = events.filter((e) => e.kind === 'method_tried').map((e) => e.method);
  assert.equal(tried, ['m_err', 'm0', 'm_need1', 'm1', 'm_need1']);
  const backtracks = events.filter((e) => e.kind === 'backtrack');
  // m_err's branch fails; m0's fails under need1 (need1 backtracks, then put_it).
  assert.ok(backtracks.length >= 2, JSON.stringify(backtracks));
  assert.ok(backtracks.some((e) => e.depth === 0 && JSON.stringify(e.item) === '["put_it"]'));
  const failed = events.filter((e) => e.kind === 'action_failed').map((e) => e.item);
  assert.equal(failed, [['getv', 1], ['getv', 1]]);
  const applied = events.filter((e) => e.kind === 'action_applied').map((e) => e.item);
  assert.equal(applied.slice(-3), [['putv', 1], ['getv', 1], ['getv', 1]]);
  // Level 3 includes level 2's events, in the same order.
  const level2 = traceOf(bt.plan(BT_PROBLEM, { traceLevel: 2 })).filter((e) => e.kind === 'todo');
  assert.equal(events.filter((e) => e.kind === 'todo'), level2);
});

test('level 3: method_failed for methods that are not applicable', () => {
  const misc = loadDomain(readBuiltinDomain('probe_misc').text);
  const events = traceOf(misc.plan({ state: { v: { x: null }, n: { c: 0 } }, todo: [['none_then_second']] }, { traceLevel: 3 }));
  assert.equal(events.filter((e) => e.kind === 'method_failed').map((e) => e.method), ['m_none', 'm_false']);
  assert.equal(events.filter((e) => e.kind === 'method_tried').map((e) => e.method), ['m_none', 'm_false', 'm_second']);
});

test('level 3: goal_achieved for a goal that already holds, goal_verified after a goal method', () => {
  const d = loadDomain(readBuiltinDomain('probe_unigoal_backtrack').text);
  const held = traceOf(d.plan({ state: { v: { x: 1 } }, todo: [['v', 'x', 1]] }, { traceLevel: 3 }));
  assert.ok(held.some((e) => e.kind === 'goal_achieved'), JSON.stringify(held));
  assert.not.ok(held.some((e) => e.kind === 'method_tried'));
  const solved = d.plan({ state: { v: { x: 0 } }, todo: [['v', 'x', 1]] }, { traceLevel: 3 });
  assert.equal(solved.status === 'plan' && solved.plan, [['set_v', 1]]);
  const events = traceOf(solved);
  assert.equal(events.filter((e) => e.kind === 'method_tried').map((e) => e.method), ['mA', 'mB']);
  assert.ok(events.some((e) => e.kind === 'goal_verified'), JSON.stringify(events));
  // No verification, no goal_verified events.
  const unverified = traceOf(d.plan({ state: { v: { x: 0 } }, todo: [['v', 'x', 1]] }, { traceLevel: 3, verifyGoals: false }));
  assert.not.ok(unverified.some((e) => e.kind === 'goal_verified'));
});

test('a trace comes with error and no-plan results too', () => {
  const pv = loadDomain(readBuiltinDomain('probe_verify').text);
  const err = pv.plan({ state: { v: { x: 0 }, w: { x: 0 } }, todo: [['v', 'x', 1]] }, { traceLevel: 3 });
  assert.is(err.status, 'error');
  assert.ok(traceOf(err).some((e) => e.kind === 'method_tried' && e.method === 'm_lazy'));
  const none = bt.plan({ state: { flag: -1 }, todo: [['need0']] }, { traceLevel: 3 });
  assert.is(none.status, 'no_plan');
  assert.ok(traceOf(none).some((e) => e.kind === 'action_failed'));
});

test('a trace longer than the engine\'s buffer comes back whole, in order', () => {
  // count 20,000: some 100,000 events at level 3, several times what the buffer holds.
  const d = loadDomain(readBuiltinDomain('probe_misc').text);
  const r = d.plan({ state: { v: { x: null }, n: { c: 0 } }, todo: [['count', 20_000]] }, { traceLevel: 3 });
  assert.is(r.status, 'plan');
  const events = traceOf(r);
  assert.ok(events.length > 60_000, `${events.length} events`);
  const applied = events.filter((e) => e.kind === 'action_applied');
  assert.is(applied.length, r.status === 'plan' ? r.plan.length : -1);
  assert.equal(applied.map((e) => e.item), r.status === 'plan' ? r.plan : []);
  assert.is(events[events.length - 1]!.kind, 'result');
});

test('onTrace streams the same events in chunks while the search runs, and the result carries none', () => {
  const d = loadDomain(readBuiltinDomain('probe_misc').text);
  const problem = { state: { v: { x: null }, n: { c: 0 } }, todo: [['count', 20_000]] };
  const whole = traceOf(d.plan(problem, { traceLevel: 3 }));
  const chunks: TraceEvent[][] = [];
  const r = d.plan(problem, { traceLevel: 3, onTrace: (events) => chunks.push(events) });
  assert.is(r.status, 'plan');
  assert.is(r.trace, undefined);
  assert.ok(chunks.length > 2, `${chunks.length} chunks`);
  const flat = chunks.flat();
  assert.is(flat.length, whole.length);
  assert.ok(flat.every((e, i) => JSON.stringify(e) === JSON.stringify(whole[i])), 'the same events in the same order');
});

test('a call run again after a region grew does not stream its events twice', () => {
  const d = loadDomain(readBuiltinDomain('probe_misc').text);
  const problem = { state: { v: { x: null }, n: { c: 0 } }, todo: [['count', 20_000]] };
  const whole = traceOf(d.plan(problem, { traceLevel: 3 }));
  // A fresh handle starts with small regions: this problem outgrows the plan region three times,
  // the last time after a full trace buffer was streamed.
  const fresh = loadDomain(readBuiltinDomain('probe_misc').text);
  const streamed: TraceEvent[] = [];
  const r = fresh.plan(problem, { traceLevel: 3, onTrace: (events) => streamed.push(...events) });
  assert.is(r.status, 'plan');
  assert.is(streamed.length, whole.length);
  assert.ok(streamed.every((e, i) => JSON.stringify(e) === JSON.stringify(whole[i])), 'the same events in the same order');
});

test.run();
