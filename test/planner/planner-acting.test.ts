/**
 * Lazy-lookahead acting (GTPyhop's run_lazy_lookahead, with its replanning
 * bug fixed): plan, execute commands until one fails, replan from the state
 * reached, up to max_tries plans.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadDomain, readBuiltinDomain, type JsonState, type JsonValue } from '../../server/src/planner/index.js';

const rll = loadDomain(readBuiltinDomain('rll_probe').text);
const RLL = { state: { done: { a1: false, a2: false } }, todo: [['do']] };

test('rll_probe: the first a1 fails, the actor replans from the same state and finishes', async () => {
  const calls: JsonValue[][] = [];
  let a1Runs = 0;
  const r = await rll.act(RLL, {
    executor: (cmd, st) => {
      calls.push(cmd);
      if (cmd[0] === 'a1' && ++a1Runs === 1) return false;
      return rll.execute(cmd, st);
    },
  });
  assert.is(r.status, 'done');
  assert.equal(r.executed, [['a1'], ['a2']]);
  assert.equal(r.state, { done: { a1: true, a2: true } });
  // Plan [a1, a2] (a1 fails), plan [a1, a2] again (both run), plan [] (done).
  assert.is(r.tries, 3);
  assert.equal(calls, [['a1'], ['a1'], ['a2']]);
  // The problem's state is not changed.
  assert.equal(RLL.state, { done: { a1: false, a2: false } });
});

test('replanning starts from the state the executor returned, surprises included', async () => {
  // a1 runs and the world also finishes a2; then the a2 command fails. Planning
  // again from the state the executor returned finds nothing left to do. (From
  // any other state, the plan would be [a1, a2] again, and a2 would fail again.)
  const r = await rll.act(RLL, {
    maxTries: 3,
    executor: async (cmd, st) => {
      if (cmd[0] === 'a2') return false;
      return { done: { a1: true, a2: true } };
    },
  });
  assert.is(r.status, 'done');
  assert.equal(r.executed, [['a1']]);
  assert.equal(r.state, { done: { a1: true, a2: true } });
  assert.is(r.tries, 2);
});

test('max_tries exhausted: status max_tries after exactly max_tries plans', async () => {
  let calls = 0;
  const r = await rll.act(RLL, { maxTries: 3, executor: () => { calls++; return false; } });
  assert.is(r.status, 'max_tries');
  assert.is(r.tries, 3);
  assert.is(calls, 3);
  assert.equal(r.executed, []);
  assert.equal(r.state, RLL.state);
  assert.type(r.message, 'string');
});

test('acting ends with the planner status when planning fails', async () => {
  const r = await rll.act({ state: RLL.state, todo: [['nosuch']] });
  assert.is(r.status, 'error');
  assert.match(r.message ?? '', 'nosuch');
  const bt = loadDomain(readBuiltinDomain('backtracking_htn').text);
  const none = await bt.act({ state: { flag: -1 }, todo: [['need0']] });
  assert.is(none.status, 'no_plan');
  assert.is(none.tries, 1);
});

const CMD_PROBE = `domain command_probe
var pos, log
# The action models the move; the command also logs that it ran.
action move(r) { pos[r] = 'b' }
command move(r) {
  pos[r] = 'b'
  log['command'] = true
}
# No command: acting applies the action.
action mark(r) { log['marked'] = r }
task mark_once { method m(r) {
  if log['marked'] == r { return [] }
  return [mark(r)]
} }
command jam(r) { fail }
action jam(r) { pos[r] = 'jammed' }
task go { method m(r) {
  if pos[r] == 'b' { return [] }
  return [move(r)]
} }
`;

test('the default executor runs the command when there is one, else the action', async () => {
  const d = loadDomain(CMD_PROBE);
  const r = await d.act({ state: { pos: { r1: 'a' }, log: { command: false } }, todo: [['go', 'r1'], ['mark_once', 'r1']] });
  assert.is(r.status, 'done');
  assert.equal(r.executed, [['move', 'r1'], ['mark', 'r1']]);
  assert.equal(r.state, { pos: { r1: 'b' }, log: { command: true, marked: 'r1' } });
  // Planning uses the action (which succeeds); executing uses the command (which fails), every try.
  const jam = await d.act({ state: { pos: { r1: 'a' }, log: {} }, todo: [['jam', 'r1']] }, { maxTries: 2 });
  assert.is(jam.status, 'max_tries');
  assert.equal(jam.executed, []);
  assert.equal(d.execute(['jam', 'r1'], { pos: { r1: 'a' } }), false);
});

test('simple_htn_acting_error: the ride_taxi command fails in a bad taxi, which the action never checks', async () => {
  const d = loadDomain(readBuiltinDomain('simple_htn_acting_error').text);
  const state = (condition: string): JsonState => ({
    loc: { alice: 'home_a', bob: 'home_b', taxi1: 'park', taxi2: 'station' },
    cash: { alice: 20, bob: 15 }, owe: { alice: 0, bob: 0 },
    taxi_condition: { taxi1: condition, taxi2: condition },
  });
  const good = await d.act({ state: state('good'), todo: [['travel', 'alice', 'park']] });
  assert.is(good.status, 'done');
  assert.equal(good.executed, [['call_taxi', 'alice', 'home_a'], ['ride_taxi', 'alice', 'park'], ['pay_driver', 'alice', 'park']]);
  // taxi_rate(dist home_a-park = 8) = 1.5 + 0.5 * 8 = 5.5
  assert.equal((good.state.cash as Record<string, JsonValue>).alice, 14.5);
  assert.equal((good.state.loc as Record<string, JsonValue>).alice, 'park');
  // In a bad taxi: call_taxi runs, ride_taxi fails; the replan from "alice in taxi1" evaluates
  // distance('taxi1', 'park') <= 2 in travel_by_foot, which is None <= 2: a TypeError in Python.
  const bad = await d.act({ state: state('bad'), todo: [['travel', 'alice', 'park']] });
  assert.equal(bad.executed, [['call_taxi', 'alice', 'home_a']]);
  assert.is(bad.status, 'error');
  assert.match(bad.message ?? '', 'travel_by_foot');
  assert.equal((bad.state.loc as Record<string, JsonValue>).alice, 'taxi1');
});

const KEEP = `domain keep_probe
var flag, pos, tags, misc
action setflag(x) { flag = x }
action put(b, x) { pos[b] = x }
task go { method m() {
  if flag == 3 { return [] }
  return [setflag(3), put(2, 'table')]
} }
`;

test('the state after acting keeps scalar variables, integer keys, sets and other values', async () => {
  const d = loadDomain(KEEP);
  const r = await d.act({
    state: { flag: 0, pos: { __intkeys__: [[1, 2], [2, 'hand']] }, tags: { a: { __set__: ['x'] } }, misc: { f: 1.5, b: true, n: null } },
    todo: [['go']],
  });
  assert.is(r.status, 'done');
  assert.is(r.state.flag, 3);
  assert.equal(r.state.pos, { __intkeys__: { 1: 2, 2: 'table' } });
  assert.equal(r.state.tags, { a: { __set__: ['x'] } });
  assert.equal(r.state.misc, { f: 1.5, b: true, n: null });
  // execute() alone does the same.
  assert.equal(d.execute(['setflag', 5], { flag: 0 }), { flag: 5 });
  assert.equal(d.execute(['put', 7, 'x'], { pos: { __intkeys__: {} } }), { pos: { __intkeys__: { 7: 'x' } } });
});

// Regression (fixed in 7feda6c): a state variable with no entries (GTPyhop:
// state.holding = {}) disappeared from the state execute() and act() return.
test('a state variable with no entries survives acting', async () => {
  const d = loadDomain(KEEP);
  const next = d.execute(['setflag', 5], { flag: 0, pos: {}, tags: { __intkeys__: {} } });
  assert.ok(next !== false);
  assert.ok(next && 'pos' in next, JSON.stringify(next));
  assert.ok(next && 'tags' in next, JSON.stringify(next));
});

test('execute() rejects an unknown command with InvalidArgumentError', () => {
  assert.throws(() => rll.execute(['nosuch'], RLL.state), /nosuch/);
});

test.run();
