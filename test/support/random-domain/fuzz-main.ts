/**
 * `npm run fuzz:planner`: the differential comparison of
 * planner-differential.test.ts for as long as asked.
 *
 *   node dist/test/support/random-domain/fuzz-main.js --minutes 60 --seed 7 [--out failure.txt]
 *
 * Runs fast-check in rounds of 200 cases (seed, seed + 1, ...), prints
 * progress after each round (cases and pairs compared, skips, statuses)
 * and a summary at the end. On a mismatch it writes the shrunk case (domain
 * text and problem JSON) to --out (default fuzz-planner-failure.txt) and
 * exits with status 1.
 */
import { writeFileSync } from 'node:fs';
import fc from 'fast-check';
import { randomCase } from './arbitrary.js';
import { compareCase, describeCase } from './differential.js';
import type { RandomCase } from './domain-builder.js';
import { reduceCase } from './reduce-case.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

const minutes = Number(arg('minutes', '10'));
let seed = Number(arg('seed', String(Date.now() % 2 ** 31)));
const out = arg('out', 'fuzz-planner-failure.txt');
const ROUND = 200;
/** How long a failure may shrink past the run's end. */
const SHRINK_MS = 5 * 60_000;
let firstFailure: string | undefined;
const deadline = Date.now() + minutes * 60_000;
const counts: Record<string, number> = {};
const started = Date.now();

const tally = (): { cases: number; skipped: number } => {
  let cases = 0, skipped = 0;
  for (const [k, v] of Object.entries(counts)) { if (k.startsWith('skip')) skipped += v; else if (k !== 'mismatch') cases += v; }
  return { cases, skipped };
};
const line = (): string => {
  const { cases, skipped } = tally();
  return `cases compared ${cases} (pairs ${cases * 2}: reference vs JIT, reference vs interpreter), skipped ${skipped}, mismatches ${counts.mismatch ?? 0}; ${JSON.stringify(counts)}; ${((Date.now() - started) / 1000).toFixed(0)} s`;
};

console.log(`fuzz:planner: ${minutes} min from seed ${seed}`);
while (Date.now() < deadline) {
  const property = fc.property(randomCase(), (c: RandomCase) => {
    const v = compareCase(c);
    const key = v.kind === 'agree' ? v.status : v.kind === 'skip' ? `skip:${v.why}` : 'mismatch';
    counts[key] = (counts[key] ?? 0) + 1;
    if (v.kind === 'mismatch') {
      // Kept before shrinking starts: shrinking may be cut short by the time limit.
      if (!firstFailure) { firstFailure = `${v.detail}\n\n${describeCase(c)}`; writeFileSync(out, `unshrunk (seed ${seed}):\n${firstFailure}`); console.log(`mismatch found (seed ${seed}), shrinking...`); }
      throw new Error(v.detail);
    }
  });
  // A round's time covers its shrinking too: at most SHRINK_MS past the run's end.
  const d = fc.check(property, { numRuns: ROUND, seed, interruptAfterTimeLimit: Math.min(Math.max(1000, deadline - Date.now()), 120_000) + SHRINK_MS, markInterruptAsFailure: false });
  if (d.failed) {
    const shrunk = d.counterexample?.[0] as RandomCase | undefined;
    const c = shrunk && reduceCase(shrunk, 120_000);
    const verdict = c ? compareCase(c) : undefined;
    const text = `seed ${d.seed}, path ${d.counterexamplePath} (shrunk, then reduced)\n${verdict?.kind === 'mismatch' ? verdict.detail : ''}\n\n${c ? describeCase(c) : ''}`;
    writeFileSync(out, text);
    console.log(`MISMATCH (seed ${d.seed}): the shrunk case is in ${out}\n${text}`);
    console.log(`summary: ${line()}`);
    process.exit(1);
  }
  console.log(`seed ${seed}: ${line()}`);
  seed++;
}
console.log(`summary: no mismatch; ${line()}`);
