/**
 * The bench's statistics: percentiles by linear interpolation, medians,
 * the median over runs, and the growth exponent of the issue-2 check.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mean, median, medianOfRuns, percentile } from '../../bench/stats.js';
import { figures, measure } from '../../bench/measure.js';
import { growthExponent } from '../../bench/targets.js';

const close = (a: number, b: number, eps = 1e-9) => assert.ok(Math.abs(a - b) <= eps, `${a} != ${b}`);

test('median of odd and even counts, unsorted input', () => {
  assert.is(median([5, 1, 3]), 3);
  assert.is(median([4, 1, 3, 2]), 2.5);
  assert.is(median([7]), 7);
  assert.ok(Number.isNaN(median([])));
});

test('percentile interpolates between closest ranks (numpy default)', () => {
  const xs = Array.from({ length: 101 }, (_, i) => i); // 0..100
  assert.is(percentile(xs, 0), 0);
  assert.is(percentile(xs, 1), 100);
  close(percentile(xs, 0.99), 99);
  close(percentile([1, 2, 3, 4], 0.25), 1.75);
  close(percentile([10, 20], 0.99), 19.9);
  assert.throws(() => percentile([1], 1.5), /quantile/);
});

test('percentile does not reorder its input', () => {
  const xs = [3, 1, 2];
  percentile(xs, 0.5);
  assert.equal(xs, [3, 1, 2]);
});

test('mean', () => {
  assert.is(mean([1, 2, 3, 4]), 2.5);
  assert.ok(Number.isNaN(mean([])));
});

test('medianOfRuns takes each field separately and skips NaN', () => {
  const m = medianOfRuns([
    { plansPerS: 10, p50Ms: 3, engineBytes: NaN },
    { plansPerS: 30, p50Ms: 1, engineBytes: 100 },
    { plansPerS: 20, p50Ms: 2, engineBytes: 300 },
  ]);
  assert.is(m.plansPerS, 20);
  assert.is(m.p50Ms, 2);
  assert.is(m.engineBytes, 200);
});

test('growthExponent recovers k of c·x^k', () => {
  close(growthExponent([[10, 30], [20, 60], [100, 300]]), 1, 1e-12);
  close(growthExponent([[10, 100], [20, 400], [50, 2500]]), 2, 1e-12);
  assert.ok(Number.isNaN(growthExponent([[10, 1]])));
  assert.ok(Number.isNaN(growthExponent([[10, 1], [10, 2]])));
});

test('figures: per-plan latency and rate scale with the batch; plan length is averaged per problem', () => {
  const f = figures({ lat: [2, 4, 6], lengths: [], byProblem: new Map([[0, 10], [1, 20]]), engine: 512, rss: 1e6, elapsedMs: 12, cpuMs: 6 }, 1000);
  assert.is(f.ops, 3000);
  close(f.plansPerS, 250_000);
  close(f.p50Ms, 0.004);
  close(f.cpuMsPerPlan, 0.002);
  assert.is(f.planLength, 15);
  assert.is(f.engineBytes, 512);
});

test('measure runs a synchronous driver and reports the median of its runs', async () => {
  let calls = 0;
  const out = await measure(
    { concurrency: 1, sync: () => ({ planLength: 3, engineBytes: 100 + (calls++ % 2), problem: 0 }), rss: () => 1 },
    { warmupS: 0.01, runs: 3, runS: 0.01, minOps: 5 },
  );
  assert.is(out.runs.length, 3);
  assert.ok(out.runs.every((r) => r.ops >= 5));
  assert.is(out.median.planLength, 3);
  assert.is(out.median.engineBytes, 101);
  assert.ok(out.median.plansPerS > 0);
});

test('measure keeps `concurrency` async ops in flight', async () => {
  let inFlight = 0, most = 0;
  await measure(
    {
      concurrency: 4, rss: () => 1,
      async: async () => {
        most = Math.max(most, ++inFlight);
        await new Promise((r) => setTimeout(r, 1));
        inFlight--;
        return { planLength: null };
      },
    },
    { warmupS: 0.01, runs: 1, runS: 0.02, minOps: 1 },
  );
  assert.is(most, 4);
});

test.run();
