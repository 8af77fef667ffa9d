/**
 * Differential testing of the planner (issue 22): random domains and
 * problems (test/support/random-domain/) planned by the reference planner
 * (test/support/reference-planner/), the JIT and the bytecode interpreter,
 * which must agree on status, plan and error message.
 *
 * Bounded in runs and in time; ARIA_FUZZ_SEED replays a run, ARIA_FUZZ_RUNS
 * changes its length. A failure reports the seed and the shrunk case (the
 * domain text and the problem JSON) as an assertion, so uvu still prints
 * its totals. `npm run fuzz:planner` runs the same comparison for longer.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { randomCase } from '../support/random-domain/arbitrary.js';
import { reduceCase } from '../support/random-domain/reduce-case.js';
import { compareCase, describeCase, judge, type Verdict } from '../support/random-domain/differential.js';
import type { PlanResult } from '../../server/src/planner/index.js';
import { Tape } from '../support/random-domain/tape.js';
import { buildCase, type RandomCase } from '../support/random-domain/domain-builder.js';

const RUNS = Number(process.env.ARIA_FUZZ_RUNS ?? 300);
const SEED = Number(process.env.ARIA_FUZZ_SEED ?? Date.now() % 2 ** 31);
/** Stops generating new cases after this long (a slow, loaded machine gets fewer, never a timeout). */
const TIME_LIMIT_MS = 35_000;

/** A fixed batch of cases, the same on every run (a small deterministic generator for the tapes). */
function fixedBatch(n: number, seed: number): RandomCase[] {
  let x = seed;
  const next = (): number => { x = (x * 1103515245 + 12345) % 2147483648; return x % 10000; };
  return Array.from({ length: n }, () => buildCase(new Tape(Array.from({ length: 600 }, next))));
}

test('the generator: valid domains nearly always, every mode and every outcome', () => {
  const batch = fixedBatch(150, 42);
  const verdicts = batch.map(compareCase);
  const skipped = verdicts.filter((v) => v.kind === 'skip').length;
  assert.ok(skipped <= batch.length * 0.05, `${skipped} of ${batch.length} skipped: ${JSON.stringify(verdicts.filter((v) => v.kind === 'skip').slice(0, 3))}`);
  const statuses = new Set(verdicts.map((v) => (v.kind === 'agree' ? v.status : v.kind)));
  for (const s of ['plan', 'no_plan', 'error']) assert.ok(statuses.has(s), `no case ended with ${s}: ${[...statuses]}`);
  const modes = new Set(batch.map((c) => c.mode));
  assert.is(modes.size, 7, [...modes].join(', '));
  // Shapes of the fast paths the modes aim at (docs/engine.md), each in a good share of the cases.
  const share = (re: RegExp): number => batch.filter((c) => re.test(c.text)).length / batch.length;
  assert.ok(share(/for o in at\(/) > 0.05, 'loops over a filtering helper (fused loops)');
  assert.ok(share(/require (total\(\)|score\(x\)|busy\(loc\[x\]\))/) > 0.05, 'helpers re-asked across actions (helper memo)');
  assert.ok(share(/[[,] ?loc\([^()]*\)\]/) > 0.1, 'goals ending a method list (compaction)');
  assert.ok(share(/n\[x\] = n\[('a'|'b'|objs\[0\])\] \+ k/) > 0.1, 'writes that read another key (in-place writes)');
  assert.ok(batch.filter((c) => /method m_(rec|look)\(/.test(c.text) && c.problem.todo.some((i) => !Array.isArray(i))).length > 10, 'recursive multigoal methods on a multigoal (merged verifications)');
  assert.ok(batch.filter((c) => !c.text.includes('m0_1')).length > batch.length * 0.2, 'tasks with one method (sole-method path)');
});

test('the verdict: plans, messages and limit kinds compared; runaway recursion by status; skips', () => {
  const stats = { expansions: 0, backtracks: 0, maxDepth: 0, peakMemoryBytes: 0 };
  const side = (result: PlanResult): { side: string; result: PlanResult }[] => [{ side: 'JIT', result }];
  const plan: PlanResult = { status: 'plan', plan: [['mv', 'a', 'p']], stats };
  assert.equal(judge({ status: 'plan', plan: [['mv', 'a', 'p']] }, side(plan)), { kind: 'agree', status: 'plan' });
  assert.is(judge({ status: 'plan', plan: [['mv', 'a', 'q']] }, side(plan)).kind, 'mismatch');
  assert.is(judge({ status: 'no_plan' }, side(plan)).kind, 'mismatch');
  const err = (message: string): PlanResult => ({ status: 'error', message, stats });
  assert.is(judge({ status: 'error', message: 'x', errorKind: 'exact' }, side(err('x'))).kind, 'agree');
  assert.is(judge({ status: 'error', message: 'x', errorKind: 'exact' }, side(err('y'))).kind, 'mismatch');
  assert.is(judge({ status: 'error', message: 'x', errorKind: 'runaway' }, side(err('y'))).kind, 'agree');
  const limit: PlanResult = { status: 'limit', limit: 'expansions', message: 'm', stats };
  assert.is(judge({ status: 'limit', limit: 'expansions' }, side(limit)).kind, 'agree');
  assert.is(judge({ status: 'no_plan' }, side(limit)).kind, 'mismatch');
  assert.is(judge({ status: 'limit', limit: 'stack' }, side(plan)).kind, 'skip');
  // The second side is compared too.
  assert.is(judge({ status: 'plan', plan: [['mv', 'a', 'p']] }, [...side(plan), { side: 'interpreter', result: err('z') }]).kind, 'mismatch');
});

test(`reference, JIT and interpreter agree on random domains (seed ${SEED}, up to ${RUNS} runs)`, () => {
  const counts: Record<string, number> = {};
  const property = fc.property(randomCase(), (c) => {
    const v: Verdict = compareCase(c);
    const key = v.kind === 'agree' ? v.status : v.kind === 'skip' ? `skip:${v.why}` : 'mismatch';
    counts[key] = (counts[key] ?? 0) + 1;
    if (v.kind === 'mismatch') throw new Error(v.detail);
  });
  const details = fc.check(property, { numRuns: RUNS, seed: SEED, interruptAfterTimeLimit: TIME_LIMIT_MS, markInterruptAsFailure: false });
  const compared = Object.entries(counts).filter(([k]) => !k.startsWith('skip')).reduce((n, [, v]) => n + v, 0);
  const skipped = Object.entries(counts).filter(([k]) => k.startsWith('skip')).reduce((n, [, v]) => n + v, 0);
  if (details.failed) {
    // fast-check's shrinking of the tape, then lines and blocks of the domain deleted (reduce-case.ts).
    const tape = details.counterexample?.[0] as RandomCase | undefined;
    const shrunk = tape && reduceCase(tape, 15_000);
    const verdict = shrunk && compareCase(shrunk);
    assert.unreachable([
      `the planners disagree (seed ${details.seed}, path ${details.counterexamplePath}; replay with ARIA_FUZZ_SEED=${details.seed}):`,
      verdict?.kind === 'mismatch' ? verdict.detail : String(details.errorInstance),
      shrunk ? describeCase(shrunk) : '(no counterexample)',
    ].join('\n'));
  }
  assert.ok(details.numRuns >= Math.min(RUNS, 20), `only ${details.numRuns} runs in the time limit`);
  assert.ok(skipped <= Math.max(3, compared * 0.05), `${skipped} skipped of ${compared + skipped}: ${JSON.stringify(counts)}`);
});

test.run();
