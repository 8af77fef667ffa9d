/**
 * The compiled code's helper memo keeps a helper's value across actions
 * that did not write what the helper read (jit/helper-memo.ts,
 * wasm/assembly/reads.ts), and loops over a filtering helper are fused
 * (jit/fuse-loops.ts). Each test plans a sequence where a kept value would
 * be wrong if a read were missed, and runs with the JIT and with the
 * interpreter (which has neither), expecting the same plan.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadDomain, type JsonState, type JsonValue, type PlanResult, type TodoItem } from '../../server/src/planner/index.js';

let jit = true;

function run(body: string, state: JsonState, todo: TodoItem[]): PlanResult {
  const saved = process.env.ARIA_JIT;
  process.env.ARIA_JIT = jit ? '1' : '0';
  try {
    const d = loadDomain(`domain memo_probe
var ${[...new Set(['v', 'on', ...Object.keys(state)])].join(', ')}
action out(a) { }
action out2(a, b) { }
action set(k, x) { v[k] = x }
action del_on(b, x) { on[b] = x }
action no() { fail }
${body}`);
    assert.is(d.compiled.jit === undefined, !jit);
    return d.plan({ state, todo });
  } finally {
    if (saved === undefined) delete process.env.ARIA_JIT; else process.env.ARIA_JIT = saved;
  }
}

function planOf(body: string, state: JsonState, todo: TodoItem[]): JsonValue[][] {
  const r = run(body, state, todo);
  if (r.status !== 'plan') assert.unreachable(`expected a plan, got ${JSON.stringify(r)}`);
  return (r as { plan: JsonValue[][] }).plan;
}

function both(name: string, fn: () => void): void {
  test(`${name} [jit]`, () => { jit = true; fn(); });
  test(`${name} [interpreter]`, () => { jit = false; fn(); });
}

/** `ask(e)` is a task whose method returns [out(e)]: a new entry from the engine each time. */
const ask = (name: string, e: string): string => `task ${name} { method m_${name}() { return [out(${e})] } }`;

both('a helper that follows a chain is computed again when a slot of its chain is written, and only then', () => {
  // bottom(b) reads on[b], on[on[b]], ... as blocks' is_done does.
  const body = `fn bottom(b) { if on[b] == 'floor' { return b }
  return bottom(on[b]) }
fn bottoms() { return [bottom('a'), bottom('d')] }
${ask('q', 'bottoms()')}
task t { method m() { return [q(), del_on('d', 'floor'), q(), del_on('b', 'floor'), q(), del_on('b', 'e'), q()] } }`;
  const state = { v: {}, on: { a: 'b', b: 'c', c: 'floor', d: 'e', e: 'floor' } };
  assert.equal(planOf(body, state, [['t']]).filter((s) => s[0] === 'out').map((s) => s[1]), [
    ['c', 'e'], ['c', 'd'], ['b', 'd'], ['e', 'd'],
  ]);
});

both('a helper that read a missing key sees the key once an action adds it', () => {
  const body = `fn get(k) { let x = v[k]
  if x == nil { return 'none' }
  return x }
fn twice(k) { return [get(k), get(k)] }
${ask('q', "twice('new')")}
task t { method m() { return [q(), set('other', 1), q(), set('new', 7), q()] } }`;
  assert.equal(planOf(body, { v: { a: 1 } }, [['t']]).filter((s) => s[0] === 'out').map((s) => s[1]), [
    ['none', 'none'], ['none', 'none'], [7, 7],
  ]);
});

both('a helper given a state variable as an argument depends on all of it', () => {
  const body = `fn count(vv) { let n = 0
  for k in vv { n = n + 1 }
  return n }
task q { method m_q() { return [out(count(v))] } }
task t { method m() { return [q(), set('a', 5), q(), set('new', 1), q()] } }`;
  assert.equal(planOf(body, { v: { a: 1 } }, [['t']]).filter((s) => s[0] === 'out').map((s) => s[1]), [1, 1, 2]);
});

both('a helper that walks a whole variable is computed again after any write to it', () => {
  const body = `fn total() { let s = 0
  for k in v { s = s + v[k] }
  return s }
fn total2() { return total() * 2 }
${ask('q', 'total2()')}
task t { method m() { return [q(), set('a', 5), q(), del_on('x', 'y'), q(), set('z', 1), q()] } }`;
  assert.equal(planOf(body, { v: { a: 1, b: 2 }, on: { x: 'floor' } }, [['t']]).filter((s) => s[0] === 'out').map((s) => s[1]), [
    6, 14, 14, 16,
  ]);
});

both('a value computed on a path the search backtracked over is not kept', () => {
  const body = `fn twice(k) { let s = 0
  for i in [1, 2] { s = s + v[k] }
  return s }
${ask('q', "twice('a')")}
task t {
  method first() { return [set('a', 10), q(), no()] }
  method second() { return [q(), set('a', 3), q()] }
}`;
  assert.equal(planOf(body, { v: { a: 1 } }, [['t']]), [['out', 2], ['set', 'a', 3], ['out', 6]]);
});

both('a helper that used another helper\'s kept value depends on what that one read', () => {
  const body = `fn inner() { let s = 0
  for i in [1] { s = s + v['a'] }
  return s }
fn outer() { let s = 0
  for i in [1] { s = s + inner() + v['b'] }
  return s }
${ask('qi', 'inner()')}
${ask('qo', 'outer()')}
task t { method m() { return [qi(), qo(), set('a', 100), qo(), set('b', 1000), qo()] } }`;
  assert.equal(planOf(body, { v: { a: 1, b: 2 } }, [['t']]).filter((s) => s[0] === 'out').map((s) => s[1]), [
    1, 3, 102, 1100,
  ]);
});

both('a helper given a list made while planning is asked again for each new list', () => {
  const body = `fn sum(xs) { let s = 0
  for x in xs { s = s + x }
  return s }
task q { method m_q(n) { let xs = [n, n + 1]
  return [out(sum(xs))] } }`;
  // Each list is made at the same arena address as the one before, reclaimed after its method.
  assert.equal(planOf(body, { v: {} }, [['q', 1], ['q', 10], ['q', 100]]).map((s) => s[1]), [3, 21, 201]);
});

both('a chain longer than an entry keeps reads of is still computed again after a write', () => {
  const on: Record<string, string> = {};
  for (let i = 0; i < 40; i++) on[`b${i}`] = i === 39 ? 'floor' : `b${i + 1}`;
  const body = `fn depth(b) { if on[b] == 'floor' { return 0 }
  return 1 + depth(on[b]) }
fn d0() { return depth('b0') }
${ask('q', 'd0()')}
task t { method m() { return [q(), del_on('b20', 'floor'), q(), del_on('b5', 'floor'), q()] } }`;
  assert.equal(planOf(body, { v: {}, on }, [['t']]).filter((s) => s[0] === 'out').map((s) => s[1]), [39, 20, 5]);
});

both('a loop over a filtering helper sees the same keys, in order, with break, continue and return', () => {
  const body = `fn clear_ones() { return [x for x in v if v[x] == true] }
fn with_value(val) { return [k for k in v if v[k] == val and not (k == 'skip')] }
task t { method m() {
  let seen = []
  for x in clear_ones() {
    if x == 'c' { continue }
    if x == 'e' { break }
    seen = seen + [x]
  }
  for y in with_value(false) { return [out2(seen, y), t2()] }
  return []
} }
task t2 { method m2() {
  for x in clear_ones() { if v[x] == true and x != 'a' { return [out(x)] } }
  return [out('none')]
} }`;
  const state = { v: { a: true, skip: false, b: false, c: true, d: true, e: true, f: true } };
  assert.equal(planOf(body, state, [['t']]), [['out2', ['a', 'd'], 'b'], ['out', 'c']]);
});

both('a fused loop keeps the meaning of names the caller rebinds', () => {
  // The caller's own `flag` and `x` are not the helper's.
  const body = `fn marked() { return [x for x in v if v[x] == flag] }
task t { method m(flag) {
  let out_ = []
  for x in marked() { out_ = out_ + [(x, flag)] }
  return [out(out_)]
} }`;
  assert.equal(planOf(body, { v: { a: 1, b: 2, c: 1 }, flag: 1 } as unknown as JsonState, [['t', 2]]), [['out', [['a', 2], ['c', 2]]]]);
});

both('a helper whose filter can fail still fails when the loop would have stopped before the bad key', () => {
  const body = `fn big() { return [k for k in v if v[k] > 1] }
task t { method m() { for x in big() { return [out(x)] }
  return [] } }`;
  const r = run(body, { v: { a: 5, b: 'sym' } }, [['t']]);
  assert.is(r.status, 'error');
  assert.match((r as { message: string }).message, /big/);
});

test.run();
