/**
 * The engine's working memory follows what the search still holds: the
 * arena above a finished method's todo list is reused, the plan keeps its
 * own copy of each action, and adjacent identical multigoal verifications
 * are one item. These tests fail if any of that is undone, and check that
 * plans, errors and depths stay GTPyhop's while memory is reused.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { blocksProblem } from '../../bench/cases/blocks-world.js';
import { loadDomain, readBuiltinDomain, type DomainHandle, type PlanOptions, type Problem } from '../../server/src/planner/index.js';

/** Runs f with the JIT on, then with the interpreter. */
function bothEngines(src: string, f: (d: DomainHandle, mode: string) => void): void {
  const saved = process.env.ARIA_JIT;
  try {
    for (const mode of ['1', '0']) {
      process.env.ARIA_JIT = mode;
      f(loadDomain(src), mode);
    }
  } finally {
    if (saved === undefined) delete process.env.ARIA_JIT; else process.env.ARIA_JIT = saved;
  }
}

test('blocks_gtn, 200 blocks: peak engine memory under 80 bytes per plan action (was 184)', () => {
  const d = loadDomain(readBuiltinDomain('blocks_gtn').text);
  const r = d.plan(blocksProblem(200, 1));
  assert.is(r.status, 'plan');
  if (r.status !== 'plan') return;
  assert.is(r.plan.length, 682);
  const perAction = r.stats.peakMemoryBytes / r.plan.length;
  assert.ok(perAction < 80, `${perAction.toFixed(1)} bytes per action`);
});

test('an endless tail recursion ([loop()]) runs in constant memory', () => {
  const d = loadDomain('domain loop_probe\ntask loop { method m() { return [loop()] } }\n');
  const r = d.plan({ state: {}, todo: [['loop']] }, { maxDepth: 100_000 });
  assert.equal(r.status === 'limit' && r.limit, 'depth');
  assert.ok(r.stats.peakMemoryBytes < 4096, `peak ${r.stats.peakMemoryBytes} bytes`);
});

/** A multigoal method that applies inc() and recurses until c['n'] reaches c['stop']. */
const MGREC = `domain mgrec
var c
action inc() { c['n'] = c['n'] + 1 }
multigoal { method m_rec(mg) { if c['n'] < c['stop'] { return [inc(), mg] }; return [] } }
task t { method m(mg) { return [mg, inc()] } }
`;
const want = (n: number): Problem['todo'][number] => ({ __multigoal__: 'g', vars: { c: { n } } });

test('a recursive multigoal method leaves one pending verification, not one per level', () => {
  const d = loadDomain(MGREC);
  const r = d.plan({ state: { c: { n: 0, stop: 20_000 } }, todo: [want(20_000)] });
  assert.is(r.status, 'plan');
  // The plan costs 24 bytes per action (its step, its copy of inc()); a verification per level would cost 48 more.
  assert.ok(r.stats.peakMemoryBytes / 20_000 < 32, `peak ${r.stats.peakMemoryBytes} bytes`);
  // Depth as GTPyhop counts it: 2 per level, 1 per verification, 1 for the empty todo list.
  assert.is(r.stats.maxDepth, 3 * 20_000 + 2);
});

test('merged verifications: the same errors, depths and depth limit as one item each', () => {
  const d = loadDomain(MGREC);
  const plan = (state: { n: number; stop: number }, todo: Problem['todo'], o: PlanOptions = {}) => {
    const quiet = d.plan({ state: { c: state }, todo }, o);
    // Level-3 traces keep every verification (each is a traced event): same outcome.
    const traced = d.plan({ state: { c: state }, todo }, { ...o, traceLevel: 3 });
    assert.equal({ ...quiet, trace: undefined, stats: { ...quiet.stats, peakMemoryBytes: 0 } },
      { ...traced, trace: undefined, stats: { ...traced.stats, peakMemoryBytes: 0 } });
    return quiet;
  };
  // The deepest verification fails first and names its depth.
  let r = plan({ n: 0, stop: 3 }, [want(5)]);
  assert.equal(r.status === 'error' && r.message, "depth 6: method m_rec didn't achieve multigoal g");
  // Verified (five merged), then a second multigoal fails after them: its depth counts all five.
  r = plan({ n: 0, stop: 5 }, [want(5), ['t', want(7)]]);
  assert.equal(r.status === 'error' && r.message, "depth 18: method m_rec didn't achieve multigoal g");
  assert.is(r.stats.maxDepth, 19);
  // A depth limit inside a run of merged verifications stops at the first one past it.
  for (const maxDepth of [11, 12, 13, 14]) {
    r = plan({ n: 0, stop: 5 }, [want(5), ['x']], { maxDepth });
    assert.equal(r.status === 'limit' && r.limit, 'depth');
    assert.is(r.stats.maxDepth, maxDepth + 1);
  }
});

test('plan steps keep list arguments made by methods whose memory is reused', () => {
  bothEngines(`domain lists_probe
action out(l) { }
task t { method m(n) { if n == 0 { return [] }; return [out([n, [n + 1, (n, 'a')]]), t(n - 1)] } }
`, (d, mode) => {
    const r = d.plan({ state: {}, todo: [['t', 4]] });
    assert.equal(r.status === 'plan' && r.plan, [4, 3, 2, 1].map((n) => ['out', [n, [n + 1, [n, 'a']]]]), `ARIA_JIT=${mode}`);
  });
});

test('a list an action wrote into the state outlives the memory reuse after it', () => {
  bothEngines(`domain pin_probe
var v
action put(l) { v['x'] = l }
action saw(l) { }
task main { method m() { return [t(3), fin()] } }
task t { method m(n) { if n == 0 { return [] }; return [put([n, n * 10, [n]]), t(n - 1)] } }
task fin { method m() { return [saw(v['x']), saw([len(v['x'])])] } }
`, (d, mode) => {
    const r = d.plan({ state: { v: { x: 0 } }, todo: [['main']] });
    assert.equal(r.status === 'plan' && r.plan.slice(3), [['saw', [1, 10, [1]]], ['saw', [3]]], `ARIA_JIT=${mode}`);
  });
});

test('backtracking over reused memory: plan steps and state lists of the failed branch are undone', () => {
  bothEngines(`domain bt_probe
var v
action put(l) { v['x'] = l }
action out(l) { }
action no() { fail }
task t { method a(n) { if n == 0 { return [] }; return [out([n, 'a']), put([n]), t(n - 1), check(n)] } }
task check {
  method c1(n) { require n % 2 == 0; return [out(['even', n, v['x']])] }
  method c2(n) { return [out(['odd', n]), no()] }
  method c3(n) { return [out(['odd3', [n, v['x']]])] }
}
`, (d, mode) => {
    const r = d.plan({ state: { v: { x: 0 } }, todo: [['t', 3]] });
    assert.equal(r.status === 'plan' && r.plan, [
      ['out', [3, 'a']], ['put', [3]], ['out', [2, 'a']], ['put', [2]], ['out', [1, 'a']], ['put', [1]],
      ['out', ['odd3', [1, [1]]]], ['out', ['even', 2, [1]]], ['out', ['odd3', [3, [1]]]],
    ], `ARIA_JIT=${mode}`);
  });
});

test('a call after one that put tuple keys in the state table finds none of them', () => {
  // Tuple keys go to the hash table, which is emptied only when a call put keys in it.
  bothEngines(`domain reuse_probe
var at
action seen(v) { }
task look { method m(x, y) { return [seen(at[(x, y)])] } }
`, (d, mode) => {
    const plan = (pairs: [string[], number][]) => {
      const r = d.plan({ state: { at: { __pairs__: pairs } }, todo: [['look', 'c', 'd']] });
      return r.status === 'plan' && r.plan;
    };
    assert.equal(plan([[['a', 'b'], 1], [['c', 'd'], 2]]), [['seen', 2]], `ARIA_JIT=${mode}`);
    assert.equal(plan([[['e', 'f'], 3]]), [['seen', null]], `ARIA_JIT=${mode}`);
    assert.equal(plan([[['c', 'd'], 4]]), [['seen', 4]], `ARIA_JIT=${mode}`);
  });
});

test.run();
