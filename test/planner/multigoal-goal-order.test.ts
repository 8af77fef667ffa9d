/**
 * A multigoal literal's goals go variable by variable, as in GTPyhop, whose
 * multigoal is a dict of dicts (one attribute per state variable, in the
 * order the variables were first written): `{ n[x] = 2; loc['c'] = 'p';
 * n['b'] = 2 }` is n[x], n['b'], then loc['c']. The engine kept them in the
 * order written, so split_multigoal tried loc['c'] before n['b']: a
 * different plan, or no_plan where GTPyhop's order ends in an error of
 * verify_goals. Found by `npm run fuzz:planner` (seed 1207029).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { PlanResult, Problem } from '../../server/src/planner/index.js';
import { loadReferenceDomain } from '../support/reference-planner/index.js';
import { loadDomainWith } from '../support/engine-mode.js';

const essence = (r: PlanResult | ReturnType<ReturnType<typeof loadReferenceDomain>['plan']>): unknown =>
  r.status === 'plan' ? r.plan : r.status === 'error' ? { error: r.message } : { status: r.status };

const domain = (mv: string, inc: string, literal: string): string => `domain mg_order
var loc, n
action mv(x, y) { ${mv} }
action inc(x, k) { ${inc} }
task t { method m(x) { return [multigoal 'g' { ${literal} }] } }
unigoal loc { method g_mv(x, v) { return [mv(x, v)] } }
unigoal n { method g_n(x, v) { return [inc(x, v - n[x])] } }
multigoal { builtin split_multigoal }`;

const cases: [string, string, Problem, unknown][] = [
  ['split_multigoal goes variable by variable',
    domain('loc[x] = y', 'n[x] = n[x] + k', "n[x] = 2; loc['c'] = 'p'; n['b'] = 2"),
    { state: { loc: { c: 'q' }, n: { a: 1, b: 1 } }, todo: [['t', 'a']] },
    [['inc', 'a', 1], ['inc', 'b', 1], ['mv', 'c', 'p']]],
  ['a goal written twice keeps its first place among its variable\'s goals',
    domain('loc[x] = y', 'n[x] = n[x] + k', "n[x] = 2; loc[x] = 'q'; n['b'] = 4; loc['a'] = 'r'; n['a'] = 3"),
    { state: { loc: { a: 'p' }, n: { a: 1, b: 1 } }, todo: [['t', 'a']] },
    [['inc', 'a', 2], ['inc', 'b', 3], ['mv', 'a', 'r']]],
  // In GTPyhop's order n['b'] comes before loc['c'] (whose action fails): g_n misses it, an error under verify_goals.
  ['verify_goals fails on the goal GTPyhop tries second (minimal case)',
    domain('fail', "n[x] = n['a'] + k", "n[x] = 2; loc['c'] = 'p'; n['b'] = 2"),
    { state: { loc: {}, n: { a: 3, b: 1 } }, todo: [['t', 'a']], verify_goals: true },
    { error: "depth 5: method g_n didn't achieve goal n[b] = 2" }],
  ['the case the fuzzer found (seed 1207029)', `domain rnd
var loc, n, flag, seen, cnt, mode
const objs = ['a', 'b', 'c']
const places = {'p', 'q', 'r'}
const cost = {'p': 1, 'q': 2, 'r': 3}
fn at(p) { let r = []
  for o in objs { if loc[o] == p { r = r + [o] } }
  return r }
fn total() { let s = 0
  for o, v in n { if v > 0 { s = s + v } }
  return s }
fn score(x) { if flag[x] { return busy(loc[x]) }
  return n[x] }
fn busy(p) { let k = 0
  for o in at(p) { k = k + 1 }
  return k }
fn ok(x) { return loc[x] != 'r' and x not in seen }
fn sumto(k) { if k <= 0 { return 0 }
  return k + sumto(k - 1) }
action mv(x, y) {
  let v0 = (abs(2) * 0)
  if 2 >= v0 { let v1 = -cnt } else { require mode in places }
  loc[x] = y
  for o in objs { n[x] = len([o1 for o1 in n if loc['b'] == 'p']) }
  require loc['a'] != 'p'
}
action inc(x, k) {
  let v1 = ((2 + k) * 0)
  if ok(x) { let v2 = k } else { return }
  let v2 = 3
  n[x] = n['a'] + k
}
action tog(x) {
  require ((loc['c'] != 'q' or loc['b'] != 'q') and loc['c'] != 'q')
  loc[x] = 'p'
  flag[x] = not flag[x]
}
action note(x) {
  fail
  let v0 = (n[x] + min(3, -1))
  seen[cnt] = x
}
action tick(k) {
  fail
  let v1 = (k % 1)
  require loc['a'] != mode
  mode = 'p'
}
task t0 {
  method m0_0(x) {
    if -1 >= (1 - 1) { return [] }
    return [multigoal 'g' { n[x] = 2; loc['c'] = 'p'; n['b'] = 2 }, first('a')]
  }
  method m0_1(x) {
    for o in at('q') { if not false { return [mv(x, loc[o]), mv(o, 'r')] } }
    for o in at('q') { if false { return [loc('b', mode)] } }
    return [note(objs[-3]), loc(x, 'q'), n(objs[-2], 4), loc('a', mode)]
  }
  method m0_2(x) {
    let v0 = n[objs[2]]
    return []
  }
}
task loop {
  method loop_done(k) { require k <= 0; return [] }
  method loop_step(k) { require k > 0; return [n(objs[k % 3], k), loop(k - 1)] }
}
task grow {
  method grow_m(x) {
    if score(x) >= 5 { return [] }
    return [inc(x, 1), grow(x)]
  }
}
task first {
  method first_m(x) { for o in seen { return [tog(o)] }; return [note(x)] }
}
unigoal loc {
  method g_mv(x, v) { return [mv(x, v)] }
  method g_wrong(x, v) { return [mv(x, 'p')] }
  method g_tog(x, v) { return [tog(x), mv(x, v), tog(x)] }
}
unigoal n {
  method g_n(x, v) { return [inc(x, v - n[x])] }
}
multigoal {
  method m_choose(mg) { choose x in mg.loc; return [mv(x, mg.loc[x]), mg] }
  builtin split_multigoal
}`,
    {"state":{"loc":{"a":"p","b":"p","c":"r"},"n":{"a":3,"b":1,"c":1},"flag":{"a":true,"b":false,"c":false},"seen":{},"cnt":0,"mode":"r"},"todo":[["t0","a"],{"__multigoal__":"goal","vars":{"loc":{"b":"r","c":"q"},"n":{"a":0}}},["t0","a"]],"verify_goals":true},
    { error: "depth 5: method g_n didn't achieve goal n[b] = 2" }],
];

for (const [name, text, problem, expected] of cases) {
  for (const jit of [true, false]) {
    test(`${name} [${jit ? 'jit' : 'interpreter'}]`, () => {
      assert.equal(essence(loadDomainWith(text, jit).plan(problem)), expected);
    });
  }
  test(`${name} [reference]`, () => {
    assert.equal(essence(loadReferenceDomain(text).plan(problem)), expected);
  });
}

test.run();
