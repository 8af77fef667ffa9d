/**
 * Deep and large searches: no recursion limit (GTPyhop needs a raised
 * Python recursion limit for these), and the plans found are valid.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { blocksProblem } from '../../bench/cases/blocks-world.js';
import { loadDomain, readBuiltinDomain, type JsonState, type JsonValue } from '../../server/src/planner/index.js';
import { INTERPRETED_FLAG } from '../../server/src/planner/compile/compile-domain.js';

test('a 5000-step recursive task (probe_misc count) gives 5000 actions', () => {
  const misc = loadDomain(readBuiltinDomain('probe_misc').text);
  const r = misc.plan({ state: { v: { x: null }, n: { c: 0 } }, todo: [['count', 5000]] });
  assert.is(r.status, 'plan');
  if (r.status !== 'plan') return;
  assert.is(r.plan.length, 5000);
  assert.ok(r.plan.every((a) => a.length === 1 && a[0] === 'inc'));
  // count(k) recurses once per inc: depth 2k + 1, as GTPyhop would reach.
  assert.is(r.stats.maxDepth, 10001);
});

test('a recursive fixture: a long todo list built by a method, then consumed one action at a time', () => {
  const d = loadDomain(`domain long_probe
var c
action step(i) { require c['n'] == i; c['n'] = i + 1 }
# Emits the whole chain at once: [step(0), step(1), ...].
fn upto(n) {
  if n == 0 { return [] }
  return upto(n - 1) + [n - 1]
}
task chain { method m(n) { return [step(i) for i in upto(n)] } }
`);
  const r = d.plan({ state: { c: { n: 0 } }, todo: [['chain', 300]] });
  assert.is(r.status, 'plan', JSON.stringify(r).slice(0, 300));
  if (r.status !== 'plan') return;
  assert.equal(r.plan, Array.from({ length: 300 }, (_, i) => ['step', i]));
});

test('deep but finite helper recursion (100,000 calls) returns, with the JIT and in the interpreter', () => {
  const src = `domain deep_probe
action out(x) { }
fn sumto(n) {
  if n == 0 { return 0 }
  return n + sumto(n - 1)
}
task t { method m(n) { return [out(sumto(n))] } }
`;
  const saved = process.env.ARIA_JIT;
  try {
    for (const mode of ['1', '0']) {
      process.env.ARIA_JIT = mode;
      const r = loadDomain(src).plan({ state: {}, todo: [['t', 100_000]] });
      assert.equal(r.status === 'plan' && r.plan, [['out', (100_000 * 100_001) / 2]], `ARIA_JIT=${mode}: ${JSON.stringify(r)}`);
    }
  } finally {
    if (saved === undefined) delete process.env.ARIA_JIT; else process.env.ARIA_JIT = saved;
  }
});

/** The intkeys pairs or object of a blocks state or goal, as a Map. */
function intMap(v: JsonValue): Map<number, JsonValue> {
  const inner = (v as { __intkeys__: JsonValue }).__intkeys__;
  if (Array.isArray(inner)) return new Map(inner.map((p) => [(p as JsonValue[])[0] as number, (p as JsonValue[])[1]]));
  return new Map(Object.entries(inner as Record<string, JsonValue>).map(([k, x]) => [Number(k), x]));
}

/**
 * Blocks-world semantics written out here, independently of the domain
 * files: each action's precondition and effect (GTPyhop's blocks actions).
 */
function simulate(start: JsonState, plan: JsonValue[][]): Map<number, JsonValue> {
  const pos = intMap(start.pos);
  const clear = intMap(start.clear);
  let holding: JsonValue = false;
  plan.forEach((a, i) => {
    const [name, x, y] = a as [string, number, number];
    const ok = name === 'pickup' ? pos.get(x) === 'table' && clear.get(x) === true && holding === false
      : name === 'unstack' ? pos.get(x) === y && clear.get(x) === true && holding === false
      : name === 'putdown' ? pos.get(x) === 'hand'
      : name === 'stack' ? pos.get(x) === 'hand' && clear.get(y) === true
      : false;
    assert.ok(ok, `step ${i}: ${JSON.stringify(a)} is not applicable`);
    if (name === 'pickup' || name === 'unstack') { pos.set(x, 'hand'); clear.set(x, false); holding = x; }
    if (name === 'unstack') clear.set(y, true);
    if (name === 'putdown') { pos.set(x, 'table'); clear.set(x, true); holding = false; }
    if (name === 'stack') { pos.set(x, y); clear.set(x, true); clear.set(y, false); holding = false; }
  });
  return pos;
}

test('a random 200-block problem (blocks_gtn): solved, and the plan is valid', () => {
  const d = loadDomain(readBuiltinDomain('blocks_gtn').text);
  const problem = blocksProblem(200, 1);
  const r = d.plan(problem);
  assert.is(r.status, 'plan');
  if (r.status !== 'plan') return;
  const mg = problem.todo[0] as unknown as { vars: { pos: JsonValue } };
  const goal = intMap(mg.vars.pos);
  assert.is(goal.size, 200);
  assert.ok(r.plan.length > 0 && r.plan.length % 2 === 0, `${r.plan.length} actions`);
  // Gupta and Nau's algorithm moves each block at most twice.
  assert.ok(r.plan.length <= 4 * 200, `${r.plan.length} actions`);

  // Replay with the domain's own actions (GTPyhop's acting step).
  let state: JsonState = problem.state;
  r.plan.forEach((a, i) => {
    const next = d.execute(a, state);
    assert.ok(next !== false, `step ${i}: ${JSON.stringify(a)} failed`);
    state = next as JsonState;
  });
  const finalPos = intMap(state.pos);
  for (const [b, p] of goal) assert.is(finalPos.get(b), p, `pos[${b}]`);
  assert.equal((state.holding as Record<string, JsonValue>).hand, false);

  // And with the semantics written out above.
  const simulated = simulate(problem.state, r.plan);
  for (const [b, p] of goal) assert.is(simulated.get(b), p, `simulated pos[${b}]`);
});

test('blocks_hgn and blocks_htn (the same algorithm with goals or tasks) find the same 200-block plan', () => {
  const plans = ['blocks_gtn', 'blocks_hgn', 'blocks_htn'].map((name) => {
    const r = loadDomain(readBuiltinDomain(name).text).plan(blocksProblem(200, 1, name));
    assert.is(r.status, 'plan', name);
    return r.status === 'plan' ? r.plan : [];
  });
  assert.equal(plans[1], plans[0]);
  assert.equal(plans[2], plans[0]);
});

test('other seeds and sizes solve and are valid', () => {
  const d = loadDomain(readBuiltinDomain('blocks_gtn').text);
  for (const [n, seed] of [[10, 2], [50, 3], [100, 4]]) {
    const problem = blocksProblem(n, seed);
    const r = d.plan(problem);
    assert.is(r.status, 'plan', `${n} blocks, seed ${seed}`);
    if (r.status !== 'plan') continue;
    const goal = intMap((problem.todo[0] as unknown as { vars: { pos: JsonValue } }).vars.pos);
    const pos = simulate(problem.state, r.plan);
    for (const [b, p] of goal) assert.is(pos.get(b), p, `${n}/${seed}: pos[${b}]`);
  }
});

test('a method returning a 20,000-item literal plans: interpreted, while the rest of the domain is compiled', () => {
  const items = Array.from({ length: 20_000 }, (_, i) => `a(${i % 7})`).join(', ');
  const d = loadDomain(`domain big_literal
var v
action a(k) { v['n'] = k }
task t { method m() { return [${items}] } }
`);
  assert.ok(d.compiled.jit, 'compiled to WebAssembly');
  // Functions: a (0), m (1). V8 would take seconds over m's compiled form, which runs once.
  assert.equal([0, 1].map((i) => (d.compiled.funcs[i * 4 + 3]! & INTERPRETED_FLAG) !== 0), [false, true]);
  const r = d.plan({ state: { v: { n: 0 } }, todo: [['t']] }, { maxPlanLength: 50_000 });
  assert.is(r.status, 'plan');
  if (r.status !== 'plan') return;
  assert.is(r.plan.length, 20_000);
  assert.equal(r.plan[19_999], ['a', 19_999 % 7]);
});

test('tail recursion (return f(...) inside f) runs as a loop; endless tail recursion still ends with an error', () => {
  const src = `domain tail_probe
action out(x) { }
fn count(n, acc) {
  if n == 0 { return acc }
  return count(n - 1, acc + 2)
}
fn spin(x) { if x > 0 { return spin(x) }
  return 0 }
task t { method m(n) { return [out(count(n, 0))] } }
task s { method m2() { return [out(spin(1))] } }
`;
  const saved = process.env.ARIA_JIT;
  try {
    for (const mode of ['1', '0']) {
      process.env.ARIA_JIT = mode;
      const d = loadDomain(src);
      for (const n of [10, 1_500, 100_000]) {
        const r = d.plan({ state: {}, todo: [['t', n]] });
        assert.equal(r.status === 'plan' && r.plan, [['out', 2 * n]], `ARIA_JIT=${mode}, n=${n}: ${JSON.stringify(r)}`);
      }
      const e = d.plan({ state: {}, todo: [['s']] });
      assert.is(e.status, 'error', `ARIA_JIT=${mode}`);
      assert.match(e.status === 'error' ? e.message : '', 'spin');
    }
  } finally {
    if (saved === undefined) delete process.env.ARIA_JIT; else process.env.ARIA_JIT = saved;
  }
});

test.run();
