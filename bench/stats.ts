/**
 * Small statistics for benchmark figures.
 */

/**
 * The q-quantile (0..1) of xs, interpolating linearly between the closest
 * ranks (numpy's default), so that p99 of few samples is not just the
 * maximum. NaN for an empty list.
 */
export function percentile(xs: readonly number[], q: number): number {
  if (xs.length === 0) return NaN;
  if (q < 0 || q > 1) throw new RangeError(`quantile must be within 0..1, got ${q}`);
  const s = [...xs].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, s.length - 1);
  return s[lo]! + (s[hi]! - s[lo]!) * (pos - lo);
}

/** The median of xs (mean of the middle two for an even count); NaN when empty. */
export function median(xs: readonly number[]): number {
  return percentile(xs, 0.5);
}

/** The arithmetic mean; NaN when empty. */
export function mean(xs: readonly number[]): number {
  return xs.length === 0 ? NaN : xs.reduce((a, b) => a + b, 0) / xs.length;
}

/**
 * The median of each numeric field over several runs: the figure a case
 * reports. Fields that are missing (or NaN) in a run are left out for that
 * field; a field with no value at all is NaN.
 */
export function medianOfRuns<T extends Record<string, number>>(runs: readonly T[]): T {
  const out: Record<string, number> = {};
  const keys = new Set(runs.flatMap((r) => Object.keys(r)));
  for (const k of keys) out[k] = median(runs.map((r) => r[k]).filter((v): v is number => typeof v === 'number' && !Number.isNaN(v)));
  return out as T;
}
