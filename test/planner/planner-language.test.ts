/**
 * The domain compiler and VM: each language feature, checked through the
 * plan it produces. A method returns `[out(expr, ...)]` and the action `out`
 * accepts anything, so the plan shows the values the engine computed; the
 * expected values are Python's for the same expressions.
 *
 * Every test runs twice: with the domain compiled to WebAssembly (the JIT,
 * the default) and with its bytecode interpreted (ARIA_JIT=0).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadDomain, type DomainHandle, type JsonState, type JsonValue, type PlanOptions, type PlanResult, type TodoItem } from '../../server/src/planner/index.js';

/** Which engine the running test uses. */
let jit = true;

/** Loads a domain for the current engine. */
function load(src: string): DomainHandle {
  const saved = process.env.ARIA_JIT;
  process.env.ARIA_JIT = jit ? '1' : '0';
  try {
    const d = loadDomain(src);
    if (!jit) assert.is(d.compiled.jit, undefined, 'ARIA_JIT=0 still compiled the domain');
    return d;
  } finally {
    if (saved === undefined) delete process.env.ARIA_JIT; else process.env.ARIA_JIT = saved;
  }
}

/** Registers `fn` as two tests, one per engine. */
function both(name: string, fn: () => void): void {
  test(`${name} [jit]`, () => { jit = true; fn(); });
  test(`${name} [interpreter]`, () => { jit = false; fn(); });
}

/**
 * Plans `todo` on `state` in a domain made of `body` plus an `out(...)` action
 * of each arity 1..4 (and `var` declarations for the state's variables, unless
 * the body declares them).
 */
function run(body: string, state: JsonState, todo: TodoItem[], opts: PlanOptions = {}): PlanResult {
  const vars = /^var /m.test(body) || Object.keys(state).length === 0 ? '' : `var ${Object.keys(state).join(', ')}`;
  const src = `domain lang_probe
${vars}
action out(a) { }
action out2(a, b) { }
action out3(a, b, c) { }
action out4(a, b, c, d) { }
${body}
`;
  return load(src).plan({ state, todo }, opts);
}

function planOf(body: string, state: JsonState, todo: TodoItem[], opts: PlanOptions = {}): JsonValue[][] {
  const r = run(body, state, todo, opts);
  assert.is(r.status, 'plan', `expected a plan, got ${JSON.stringify(r)}`);
  if (r.status !== 'plan') throw new Error('unreachable');
  return r.plan;
}

/** The values of the expressions, evaluated in a method of task `t`. */
function values(exprs: string[], state: JsonState = {}, extra = ''): JsonValue[] {
  const body = `${extra}
task t { method m() { return [${exprs.map((e) => `out(${e})`).join(', ')}] } }`;
  return planOf(body, state, [['t']]).map((step) => step[1]);
}

both('helper functions recurse, call each other in any declaration order, and read the state', () => {
  const fns = `
fn fact(n) {
  if n <= 1 { return 1 }
  return n * fact(n - 1)
}
fn is_even(n) {
  if n == 0 { return true }
  return is_odd(n - 1)
}
fn is_odd(n) {
  if n == 0 { return false }
  return is_even(n - 1)
}
# Follows below[] down to the bottom, as blocks' is_done does.
fn depth(b) {
  if below[b] == 'floor' { return 0 }
  return 1 + depth(below[b])
}`;
  const state = { below: { a: 'b', b: 'c', c: 'floor' } };
  assert.equal(values(['fact(5)', 'fact(10)', 'is_even(7)', 'is_odd(7)', "depth('a')", "depth('c')"], state, fns),
    [120, 3628800, false, true, 2, 0]);
});

both('list comprehensions: filter, two loop variables, over a state variable', () => {
  const state = { loc: { alice: 'park', bob: 'home', carol: 'park' } };
  assert.equal(values([
    '[x * 2 for x in [1, 2, 3] if x != 2]',
    "[p for p in loc if loc[p] == 'park']",
    '[(p, l) for p, l in loc]',
    '[x for x in [] if true]',
    'len([1 for p in loc])',
  ], state), [
    [2, 6], ['alice', 'carol'], [['alice', 'park'], ['bob', 'home'], ['carol', 'park']], [], 3,
  ]);
});

both('and / or return one of their operands and short-circuit, as in Python', () => {
  // boom(x) is a type error for a symbol: evaluating it would end the call with an error.
  const fns = 'fn boom(x) { return x + 1 }';
  assert.equal(values([
    "0 or 'z'", '3 and 4', "0 and boom('a')", "'a' or boom('a')", 'nil or false', 'false or nil',
    '[] or 5', '[1] and []', 'not []', 'not 0', "not 'a'", '1 and 2 and 3', '0 or nil or 7',
  ], {}, fns), [
    'z', 4, 0, 'a', false, null, 5, [], true, true, false, 3, 7,
  ]);
});

both('== and != against a symbol, boolean or nil literal: equal only to that value (compiled as one compare)', () => {
  const state = { v: { one: 1, zero: 0, t: true, s: 'table', n: null, l: { __set__: ['a'] } } };
  assert.equal(values([
    "v['s'] == 'table'", "'table' == v['s']", "v['s'] != 'hand'", "v['one'] == true", "v['zero'] == false",
    "v['t'] == true", "v['n'] == nil", "v['zero'] == nil", "v['missing'] == nil", "v['l'] == 'a'",
    "(1, 2) != nil", "[] == false", "'a' == 'a'", '0 == -0', "v['zero'] != false",
  ], state), [
    true, true, true, false, false,
    true, true, false, true, false,
    true, false, true, true, true,
  ]);
});

both('`in` and `not in` on sets, lists, tuples, constant maps, state variables and set values', () => {
  const extra = "const m = {'a': 1, 'b': 2}\nconst s = {'x', 'y'}";
  const state = { loc: { alice: 'park' }, has: { alice: { __set__: ['key', 'map'] } } };
  assert.equal(values([
    "'x' in s", "'z' in s", "'z' not in s", '2 in [1, 2]', "'a' in (1, 'a')",
    "'a' in m", "1 in m", "'alice' in loc", "'bob' in loc", "'park' in loc",
    "'key' in has['alice']", "'car' in has['alice']",
  ], state, extra), [
    true, false, true, true, true,
    true, false, true, false, false, // `in` on a map or state variable tests its keys, not its values
    true, false,
  ]);
});

both('`in`, indexing and iteration on the wanted values of a multigoal (mg.v)', () => {
  const body = `multigoal {
  method m_look(mg) {
    return [out4('a' in mg.v, 'z' in mg.v, mg.v['a'], mg.v['z']), out([k for k in mg.v]), out([(k, x) for k, x in mg.v])]
  }
}`;
  const mg = { __multigoal__: 'g', vars: { v: { a: 1, b: 2 } } };
  // m_look does not achieve its goals: verify_goals off, so the plan comes back as GTPyhop would return it.
  assert.equal(planOf(body, { v: { a: 0 } }, [mg], { verifyGoals: false }), [
    ['out4', true, false, 1, null],
    ['out', ['a', 'b']],
    ['out', [['a', 1], ['b', 2]]],
  ]);
});

both('scalar state variables: written as `flag = 3` in an action, read as `flag`', () => {
  const body = `var flag
action setflag(x) { flag = x }
action bump() { flag = flag + 1 }
task show { method m() { return [out(flag)] } }
task t { method m() { return [show(), setflag(3), show(), bump(), show()] } }`;
  assert.equal(planOf(body, { flag: -1 }, [['t']]), [
    ['out', -1], ['setflag', 3], ['out', 3], ['bump'], ['out', 4],
  ]);
});

both('integer keys: lookup, membership, writes, and iteration in insertion order', () => {
  const body = `var pos
action put(b, x) { pos[b] = x }
task show { method m() { return [out([(k, pos[k]) for k in pos])] } }
task t { method m() { return [out4(pos[1], 1 in pos, 2 in pos, pos[3]), put(2, 1), show()] } }`;
  // Pairs keep the order they were written in: 3 before 1.
  const state = { pos: { __intkeys__: [[3, 'table'], [1, 3]] } };
  assert.equal(planOf(body, state as JsonState, [['t']]), [
    ['out4', 3, true, false, 'table'], ['put', 2, 1], ['out', [[3, 'table'], [1, 3], [2, 1]]],
  ]);
  // The object form of __intkeys__ reads the same keys.
  assert.equal(planOf(body, { pos: { __intkeys__: { 1: 3, 3: 'table' } } }, [['t']])[0], ['out4', 3, true, false, 'table']);
});

both('sets as state values: membership, len, equality regardless of order, written by an action', () => {
  const body = `var has
action give(p, s) { has[p] = s }
task show { method m(p) { return [out3(len(has[p]), 1 in has[p], has[p] == {2, 1})] } }
task t { method m() { return [out3(len(has['a']), has['a'] == {'y', 'x'}, 'x' in has['a']), give('b', {1, 2}), show('b')] } }`;
  const plan = planOf(body, { has: { a: { __set__: ['x', 'y'] } } }, [['t']]);
  assert.equal(plan[0], ['out3', 2, true, true]);
  assert.equal(plan[2], ['out3', 2, true, true]);
  const given = plan[1][2] as { __set__: JsonValue[] };
  assert.equal([...given.__set__].sort(), [1, 2]);
  // A set from the problem drops duplicates, as Python's set() does.
  assert.equal(values(["len(has['a'])"], { has: { a: { __set__: ['x', 'x', 'y'] } } }), [2]);
  // Equal as JSON texts: 0 and -0 are one element; 1 and '1', true and 'true' are two. Small sets
  // of flat values and others (over 32 elements, or with lists) are checked by different code.
  assert.equal(values(["len(has['a'])"], { has: { a: { __set__: [0, -0, 1, '1', true, 'true', true, 'x', 1] } } }), [6]);
  const many = Array.from({ length: 40 }, (_, i) => `s${i % 35}`);
  assert.equal(values(["len(has['a'])"], { has: { a: { __set__: many } } }), [35]);
  assert.equal(values(["len(has['a'])"], { has: { a: { __set__: [[1, 'a'], [1, 'a'], 'a'] } } }), [2]);
  // A scalar variable holding a set (no map around it).
  assert.equal(values(['len(flags)'], { flags: { __set__: ['p', 'q', 'p'] } }, 'var flags'), [2]);
});

// Regression (fixed in 7feda6c): set literals kept duplicate elements, in
// method bodies and in constants (len({1, 2, 2}) was 3). Python: {1, 2}.
both('a set literal drops duplicate elements, as in Python', () => {
  const extra = 'const S = {1, 1, 2}\nfn twice(x) { return len({x, x}) }';
  assert.equal(values(['len({1, 2, 2})', "len({'a', 'a'})", 'twice(1)', 'len(S)', '{1, 2, 2} == {1, 2}'], {}, extra),
    [2, 1, 1, 2, true]);
});

both('constant maps: nested lookup, missing key is nil, keys in declaration order', () => {
  const extra = "const m = {'b': {'x': 3}, 'a': 4}\nconst k = 'a'";
  assert.equal(values([
    "m['b']['x']", "m['zz']", 'm[k]', '[key for key in m]', '[(key, x) for key, x in m if key == k]', 'len(m)',
  ], {}, extra), [3, null, 4, ['b', 'a'], [['a', 4]], 2]);
});

both('tuples: indexing, len, equality, and an explicit tuple as a todo item', () => {
  assert.equal(values(["(1, 'a', 3)[1]", "len((1, 'a', 3))", '(1, 2) == (1, 2)', '(1, 2) == (2, 1)', "[1, 2][0]"]),
    ['a', 3, true, false, 1]);
  // ('out2', ...) written as a tuple is dispatched like out2(...).
  assert.equal(planOf("task t { method m() { return [('out2', 5, 'x')] } }", {}, [['t']]), [['out2', 5, 'x']]);
});

both('break and continue in for loops', () => {
  const fns = `fn odd_sum_upto5() {
  let s = 0
  for x in [1, 2, 3, 4, 5, 6, 7] {
    if x % 2 == 0 { continue }
    if x > 5 { break }
    s = s + x
  }
  return s
}
fn first_big(l) {
  let found = nil
  for x in l {
    if x > 10 {
      found = x
      break
    }
  }
  return found
}`;
  assert.equal(values(['odd_sum_upto5()', 'first_big([3, 12, 40])', 'first_big([1, 2])'], {}, fns), [9, 12, null]);
});

both('arithmetic follows Python: // floors, % takes the sign of the divisor, / is true division', () => {
  assert.equal(values(['7 // 2', '-7 // 2', '7 % 3', '-7 % 3', '7 / 2', '2 + 3 * 4', '(2 + 3) * 4', 'abs(-3)', 'min(2, 5)', 'max(2, 5)']),
    [3, -4, 1, 2, 3.5, 14, 20, 3, 2, 5]);
});

const METHOD_RESULTS = `var v
action setx() { v['x'] = 'set' }
action check() { require v['x'] == 'set' }
task t {
  method m_none() { let a = 1 }
  method m_fail() { fail }
  method m_nil() { return nil }
  method m_empty() { return [] }
  method m_last() { return [setx()] }
}`;

both('a method returning [] is applicable with nothing to do; falling off the end, fail and nil are not applicable', () => {
  // m_none, m_fail and m_nil are skipped; m_empty applies and adds nothing.
  const r = run(METHOD_RESULTS, { v: { x: 0 } }, [['t']], { traceLevel: 3 });
  assert.is(r.status, 'plan');
  assert.equal((r as { plan: JsonValue[][] }).plan, []);
  const tried = (r.trace ?? []).filter((e) => e.kind === 'method_tried').map((e) => e.method);
  const failed = (r.trace ?? []).filter((e) => e.kind === 'method_failed').map((e) => e.method);
  assert.equal(tried, ['m_none', 'm_fail', 'm_nil', 'm_empty']);
  assert.equal(failed, ['m_none', 'm_fail', 'm_nil']);
});

both('when the empty decomposition leads to a failure later, the search backtracks to the next method', () => {
  assert.equal(planOf(METHOD_RESULTS, { v: { x: 0 } }, [['t'], ['check']]), [['setx'], ['check']]);
});

both('a lifted method backtracks over every binding of choose, in order', () => {
  const body = `var target, v
action need(x) { require x == target['t'] }
action setv(x) { v['x'] = x }
action check() { require v['x'] == target['t'] }
task pick { method m() {
  choose x in [1, 2, 3]
  return [need(x)]
} }
task atleast2 { method m() {
  choose x in [1, 2, 3]
  require x >= 2
  return [out(x)]
} }
# The choice is only found wrong after pick2 is done: backtracking must come back to it.
task pick2 { method m() {
  choose x in [1, 2, 3]
  return [setv(x)]
} }
action need2(x, y) { require x == target['x'] and y == target['y'] }
task pair { method m() {
  choose x in [1, 2]
  choose y in ['a', 'b']
  return [out2(x, y), need2(x, y)]
} }`;
  const r = run(body, { target: { t: 3 } }, [['pick']]);
  assert.is(r.status, 'plan');
  assert.equal((r as { plan: JsonValue[][] }).plan, [['need', 3]]);
  assert.ok(r.stats.backtracks >= 2, `backtracks ${r.stats.backtracks}`);
  // The first binding that works wins: 2, not 3.
  assert.equal(planOf(body, { target: { t: 3 } }, [['atleast2']]), [['out', 2]]);
  // The second and third binding, found by backtracking from a later todo item.
  assert.equal(planOf(body, { target: { t: 2 }, v: { x: 0 } }, [['pick2'], ['check']]), [['setv', 2], ['check']]);
  assert.equal(planOf(body, { target: { t: 3 }, v: { x: 0 } }, [['pick2'], ['check']]), [['setv', 3], ['check']]);
  // No binding works: no plan (not an error).
  assert.is(run(body, { target: { t: 4 }, v: { x: 0 } }, [['pick2'], ['check']]).status, 'no_plan');
  // Two choose statements: bindings in order x=1,y=a; 1,b; 2,a; 2,b.
  const pair = run(body, { target: { x: 2, y: 'a' } }, [['pair']], { traceLevel: 3 });
  assert.equal((pair as { plan: JsonValue[][] }).plan, [['out2', 2, 'a'], ['need2', 2, 'a']]);
  const tried = (pair.trace ?? []).filter((e) => e.kind === 'action_applied' && e.method === 'out2').map((e) => e.item);
  assert.equal(tried, [['out2', 1, 'a'], ['out2', 1, 'b'], ['out2', 2, 'a']]);
});

both('choose over the keys of a state variable', () => {
  const body = `var clear, on
action stack(b) { require clear[b] == true; on['top'] = b }
task put_on_clear { method m() {
  choose b in clear
  return [stack(b)]
} }`;
  assert.equal(planOf(body, { clear: { a: false, b: false, c: true }, on: {} }, [['put_on_clear']]), [['stack', 'c']]);
});

both('multigoal values built in a method and passed to a task', () => {
  const body = `var v
action set(k, x) { v[k] = x }
task achieve { method m(g) { return [set(k, x) for k, x in g.v if v[k] != x] } }
task t { method m() { return [achieve(multigoal 'goal' { v['a'] = 1; v['b'] = 2 })] } }`;
  assert.equal(planOf(body, { v: { a: 1, b: 0 } }, [['t']]), [['set', 'b', 2]]);
});

// Helpers that loop or call helpers are memoised in compiled code; a state
// write (inside an action, or between two methods) must make them compute again.
both('helper results are recomputed after every state write', () => {
  const body = `var v
fn total(k) { let s = 0
  for x in v { s = s + v[x] }
  return s * k }
fn deep(n) { if n == 0 { return total(1) }; return deep(n - 1) }
action bump() { v['a'] = v['a'] + total(1); v['b'] = total(1) }
task t { method m() { return [bump(), t2(), bump(), t2()] } }
task t2 { method m2() { return [out2(total(1), deep(3))] } }`;
  // a=1, b=2: bump sets a = 1 + 3 = 4, then b = 4 + 2 = 6 (not the 3 read before the write);
  // t2 sees 10; the second bump sets a = 4 + 10 = 14, b = 14 + 6 = 20; t2 sees 34.
  assert.equal(planOf(body, { v: { a: 1, b: 2 } }, [['t']]), [['bump'], ['out2', 10, 10], ['bump'], ['out2', 34, 34]]);
});

both('iterating a variable skips keys that were added on a path the search backtracked over', () => {
  const body = `var v
action add(k) { v[k] = 1 }
action no() { fail }
fn keys() { return [k for k in v] }
fn count() { let n = 0
  for k in v { n = n + v[k] }
  return n }
task t {
  method first() { return [add('x'), add('y'), no()] }
  method second() { return [add('z'), t2()] }
}
task t2 { method m2() { return [out2(keys(), count())] } }`;
  // x and y were added, then undone: their slots stay, absent, between a and z.
  assert.equal(planOf(body, { v: { a: 1 } }, [['t']]), [['add', 'z'], ['out2', ['a', 'z'], 2]]);
});

// After each method the arena keeps only what its result holds: moved down as one block when the
// result was made last, deep-copied when it holds something made before it.
both('method results survive the arena compaction, whether made last or holding older objects', () => {
  const body = `var v
action keep(x) { v['k'] = x }
fn noise(n) { return [i * n for i in [1, 2, 3, 4, 5, 6, 7, 8]] }
task t { method m() {
  let a = [10, [20, 'b'], 30]
  let g = noise(1)
  return [keep(a), t2(len(g)), t3()]
} }
task t2 { method m2(n) { let z = noise(2)
  return [out2(v['k'], n)] } }
task t3 { method m3() { let z = noise(3)
  return [out3([1, [2, 'c']], (4, 'd'), len(z))] } }`;
  assert.equal(planOf(body, { v: { k: 0 } }, [['t']]), [
    ['keep', [10, [20, 'b'], 30]], ['out2', [10, [20, 'b'], 30], 8], ['out3', [1, [2, 'c']], [4, 'd'], 8],
  ]);
});

test.run();
