/**
 * The two wrong answers random differential testing found (issue 22), with
 * the reproductions, on the JIT and on the interpreter:
 * 1. a unigoal that ends a task method's list was verified against memory
 *    the goal method's result had been compacted over;
 * 2. `V[k] = e` compiled in place wrote the key of the last state read in
 *    `e` instead of `k`.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type JsonState, type PlanResult, type TodoItem } from '../../server/src/planner/index.js';
import { loadDomainWith } from '../support/engine-mode.js';

function plan(jit: boolean, text: string, state: JsonState, todo: TodoItem[], verifyGoals = true): PlanResult {
  const d = loadDomainWith(text, jit);
  assert.is(d.compiled.jit === undefined, !jit);
  return d.plan({ state, todo, verify_goals: verifyGoals });
}

function both(name: string, fn: (jit: boolean) => void): void {
  test(`${name} [jit]`, () => fn(true));
  test(`${name} [interpreter]`, () => fn(false));
}

const V1 = `domain v1
var loc
action mv(x, s) {
  loc[x] = s
}
task t {
  method m(x) {
    return [loc(x, 'p')]
  }
}
unigoal loc {
  method g(x, v) {
    return [mv(x, v)]
  }
}`;

both('a unigoal ending a task method\'s list is verified against itself', (jit) => {
  const r = plan(jit, V1, { loc: { a: 'q' } }, [['t', 'a']]);
  assert.equal(r.status, 'plan', JSON.stringify(r));
  assert.equal((r as { plan: unknown }).plan, [['mv', 'a', 'p']]);
});

both('a unigoal ending a list of three, with state-reading actions around its own method', (jit) => {
  const text = `domain v2
var loc, n
action mv(x, s) { loc[x] = s }
action inc(x) { n[x] = n[x] + 1 }
task t { method m(x) { return [loc(x, 'q')] } }
unigoal loc { method g(x, v) { return [inc(x), mv(x, v), inc(x)] } }`;
  const r = plan(jit, text, { loc: { b: 'p' }, n: { b: 0 } }, [['t', 'b']]);
  assert.equal(r.status, 'plan', JSON.stringify(r));
  assert.equal((r as { plan: unknown }).plan, [['inc', 'b'], ['mv', 'b', 'q'], ['inc', 'b']]);
});

both('a goal method that does not achieve a unigoal ending a list names the goal itself', (jit) => {
  const text = V1.replace('return [mv(x, v)]', "return [mv(x, 'z')]");
  const r = plan(jit, text, { loc: { a: 'q' } }, [['t', 'a']]);
  assert.equal(r.status, 'error');
  assert.match((r as { message: string }).message, "method g didn't achieve goal loc[a] = p");
});

const keyDomain = (body: string, vars = 'n'): string => `domain key_bug
var ${vars}
action set_from(x, y) {
  ${body}
}
action check(k, w) {
  require n[k] == w
}
action check_v(k, w) {
  require v[k] == w
}
action check_u(k, w) {
  require u[k] == w
}`;

both('n[x] = n[y] + 10 writes n[x], not n[y]', (jit) => {
  const text = keyDomain('n[x] = n[y] + 10', 'n, v, u');
  const state = { n: { a: 0, b: 1 } };
  assert.equal(plan(jit, text, state, [['set_from', 'a', 'b'], ['check', 'a', 11]]).status, 'plan');
  assert.equal(plan(jit, text, state, [['set_from', 'a', 'b'], ['check', 'b', 11]]).status, 'no_plan');
  assert.equal(plan(jit, text, state, [['set_from', 'a', 'b'], ['check', 'b', 1]]).status, 'plan');
});

const cases: Array<[string, JsonState, TodoItem[]]> = [
  ['v[y] = v[x]', { v: { a: 1, b: 2 } }, [['set_from', 'a', 'b'], ['check_v', 'b', 1], ['check_v', 'a', 1]]],
  ['u[y] = v[x]', { v: { a: 1, b: 2 }, u: { a: 5, b: 6 } }, [['set_from', 'a', 'b'], ['check_u', 'b', 1], ['check_u', 'a', 5], ['check_v', 'a', 1]]],
  ["v[y] = v['x1']", { v: { x1: 7, a: 1, b: 2 } }, [['set_from', 'a', 'b'], ['check_v', 'b', 7], ['check_v', 'x1', 7]]],
  ['n[x] = max(n[y], 0)', { n: { a: -3, b: 4 } }, [['set_from', 'a', 'b'], ['check', 'a', 4], ['check', 'b', 4]]],
  ['n[x] = len([o for o in n if n[o] > 0])', { n: { a: 0, b: 4, c: 2 } }, [['set_from', 'a', 'b'], ['check', 'a', 2], ['check', 'b', 4]]],
];
for (const [body, state, todo] of cases) {
  both(`${body} writes the key on its left`, (jit) => {
    const r = plan(jit, keyDomain(body, 'n, v, u'), state, todo);
    assert.equal(r.status, 'plan', JSON.stringify(r));
  });
}

// Found by npm run fuzz:planner (seed 424350): the interpreter named the operator of a
// membership test in a scalar state variable "an operator", the JIT "in".
both('a type error in `x in V` and `x not in V` (V a scalar variable) names `in` on both engines', (jit) => {
  const text = `domain nin
var seen
fn ok(x) { return x not in seen }
fn ok2(x) { return x in seen }
action a(x) { require ok(x) }
action b(x) { require ok2(x) }`;
  for (const [act, fn] of [['a', 'ok'], ['b', 'ok2']]) {
    const r = plan(jit, text, { seen: 'p' }, [[act, 'a']]);
    assert.equal(r, { ...r, status: 'error', message: `in ${fn}: in cannot take 'a' and 'p'` });
  }
});

test.run();
