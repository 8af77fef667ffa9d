/**
 * Domain bugs found while planning: each ends the call with status 'error'
 * and a message naming the method, function or item at fault (GTPyhop
 * raises an exception in each of these cases). None throws.
 *
 * Every test runs twice: with the domain compiled to WebAssembly (the JIT,
 * the default) and with its bytecode interpreted (ARIA_JIT=0).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadDomain as loadDefault, readBuiltinDomain, type DomainHandle, type JsonState, type PlanResult, type TodoItem } from '../../server/src/planner/index.js';

const ERRS = `domain error_probe
var v, n
action a(x) { v['x'] = x }
fn add1(x) { return x + 1 }
# Has a base case, so the validator accepts it, but never reaches it from 0.
fn runaway(x) {
  if x == -1 { return 0 }
  return runaway(x + 1)
}
task bad_item { method m_bad_item() { return [('nosuch', 1)] } }
task bad_arity { method m_bad_arity() { return [('a', 1, 2)] } }
task bad_type { method m_bad_type() { return [a(add1('s'))] } }
task bad_ret { method m_bad_ret() { return n['c'] } }
task bad_rec { method m_bad_rec() { return [a(runaway(0))] } }
multigoal { method m_nothing(mg) { return [] } }
`;
const STATE: JsonState = { v: { x: 0 }, n: { c: 5 } };

/** Which engine the running test uses. */
let jit = true;

/** Loads a domain for the current engine. */
function loadDomain(src: string): DomainHandle {
  const saved = process.env.ARIA_JIT;
  process.env.ARIA_JIT = jit ? '1' : '0';
  try {
    const d = loadDefault(src);
    if (!jit) assert.is(d.compiled.jit, undefined, 'ARIA_JIT=0 still compiled the domain');
    return d;
  } finally {
    if (saved === undefined) delete process.env.ARIA_JIT; else process.env.ARIA_JIT = saved;
  }
}

/** Registers `fn` as two tests, one per engine. */
function both(name: string, fn: () => void): void {
  test(`${name} [jit]`, () => { jit = true; errs = loadDomain(ERRS); fn(); });
  test(`${name} [interpreter]`, () => { jit = false; errs = loadDomain(ERRS); fn(); });
}

let errs: DomainHandle;

function errorOf(r: PlanResult): string {
  assert.is(r.status, 'error', JSON.stringify(r));
  return r.status === 'error' ? r.message : '';
}

const planErr = (todo: TodoItem[], state: JsonState = STATE): string => errorOf(errs.plan({ state, todo }));

both('unigoal method that does not achieve its goal: error naming the method and goal; with verify off, the plan', () => {
  const d = loadDomain(readBuiltinDomain('probe_verify').text);
  const problem = { state: { v: { x: 0 }, w: { x: 0 } }, todo: [['v', 'x', 1]] as TodoItem[] };
  const msg = errorOf(d.plan(problem));
  assert.match(msg, 'm_lazy');
  assert.match(msg, "didn't achieve");
  assert.match(msg, 'v[x] = 1');
  // GTPyhop with verify_goals=False returns m_lazy's plan, though it does not achieve the goal.
  const off = d.plan({ ...problem, verify_goals: false });
  assert.equal(off.status === 'plan' && off.plan, [['noop']]);
  // The option overrides the problem's field, both ways.
  assert.equal(d.plan(problem, { verifyGoals: false }).status, 'plan');
  assert.equal(d.plan({ ...problem, verify_goals: false }, { verifyGoals: true }).status, 'error');
  assert.match(errorOf(d.plan({ ...problem, todo: [['w', 'x', 5]] })), 'm_wrong');
});

both('multigoal method that does not achieve its multigoal: error naming the method and multigoal; with verify off, the plan', () => {
  const mg = { __multigoal__: 'goal1', vars: { v: { x: 3 } } };
  const msg = errorOf(errs.plan({ state: STATE, todo: [mg] }));
  assert.match(msg, 'm_nothing');
  assert.match(msg, 'goal1');
  assert.match(msg, "didn't achieve");
  const off = errs.plan({ state: STATE, todo: [mg], verify_goals: false });
  assert.equal(off.status === 'plan' && off.plan, []);
});

both("an item that is neither action, task nor goal: GTPyhop's message, naming the item", () => {
  for (const msg of [planErr([['bad_item']]), planErr([['nosuch', 1]])]) {
    assert.match(msg, "isn't an action, task, unigoal, or multigoal");
    assert.match(msg, 'nosuch');
  }
  // A name that is a state variable without unigoal methods is not a goal either.
  assert.match(planErr([['n', 'c', 6]]), "isn't an action, task, unigoal, or multigoal");
});

both('an action called with the wrong number of arguments names the action', () => {
  for (const msg of [planErr([['bad_arity']]), planErr([['a']]), planErr([['a', 1, 2]])]) {
    assert.match(msg, /\ba\b/);
    assert.match(msg, /argument/);
  }
});

both('a type error (a symbol plus a number) names the function', () => {
  const msg = planErr([['bad_type']]);
  assert.match(msg, 'add1');
  assert.match(msg, '+');
  assert.match(msg, "'s'");
});

both('a type error in an action or method body names it', () => {
  const d = loadDomain(`domain te
var v
action bump(k) { v[k] = v[k] + 1 }
task t { method m_cmp() { require v['x'] < 'a'; return [] } }
`);
  const msg1 = errorOf(d.plan({ state: { v: { x: 'sym' } }, todo: [['bump', 'x']] }));
  assert.match(msg1, 'bump');
  const msg2 = errorOf(d.plan({ state: { v: { x: 1 } }, todo: [['t']] }));
  assert.match(msg2, 'm_cmp');
});

both('a method returning something other than a list names the method', () => {
  const msg = planErr([['bad_ret']]);
  assert.match(msg, 'm_bad_ret');
  assert.match(msg, /not a list/);
});

both('the error is reported even when another method could have worked: no backtracking over domain bugs', () => {
  // As in GTPyhop, an exception ends find_plan; it is not a failed branch.
  const d = loadDomain(`domain nb
action ok() { }
task t {
  method m_err() { return [('nosuch', 1)] }
  method m_ok() { return [ok()] }
}
`);
  assert.match(errorOf(d.plan({ state: {}, todo: [['t']] })), 'nosuch');
});

// Regression (fixed in 7feda6c): runaway recursion overflowed the native stack
// and came back as "engine trap (Maximum call stack size exceeded)", without
// the function's name.
both('runaway helper recursion is an error that names the function', () => {
  const msg = planErr([['bad_rec']]);
  assert.match(msg, 'runaway');
});

both('runaway recursion leaves the handle usable', () => {
  planErr([['bad_rec']]);
  const r = errs.plan({ state: STATE, todo: [['a', 7]] });
  assert.equal(r.status === 'plan' && r.plan, [['a', 7]]);
});

test.run();
