/**
 * The speed targets of issues 2 and 3, checked against a run's figures
 * and printed after the tables. A target whose cases did not run is left
 * out rather than failed.
 */
import { fmtBytes, fmtMs, formatTable, sig3 } from './report-table.js';
import type { CaseResult } from './results.js';

/**
 * The exponent k of y ≈ c·x^k fitted by least squares on log-log axes:
 * 1 means linear growth. NaN with fewer than two usable points.
 */
export function growthExponent(points: readonly [number, number][]): number {
  const p = points.filter(([x, y]) => x > 0 && y > 0).map(([x, y]) => [Math.log(x), Math.log(y)] as const);
  if (p.length < 2) return NaN;
  const mx = p.reduce((s, [x]) => s + x, 0) / p.length, my = p.reduce((s, [, y]) => s + y, 0) / p.length;
  const sxx = p.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  const sxy = p.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0);
  return sxx === 0 ? NaN : sxy / sxx;
}

const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');

/**
 * GTPyhop's CPU time per plan on blocks_gtn from ../shared/conformance/README.md
 * (2 cores, CPython 3.11), the low end of each range quoted: issue 2's yardstick.
 */
export const README_GTPYHOP_MS: Readonly<Record<number, number>> = { 10: 1.1, 20: 2, 50: 15, 100: 66, 200: 260 };

/**
 * Issue 2: blocks_gtn N=10..200, time per plan at least 100 times below
 * GTPyhop's figures (CPU time, as those are), memory per plan at most linear in N.
 */
export function issue2Table(results: readonly CaseResult[]): string | undefined {
  const rows: string[][] = [];
  const mem: [number, number][] = [], gmem: [number, number][] = [], len: [number, number][] = [];
  for (const n of [10, 20, 50, 100, 200]) {
    const r = results.find((x) => x.name === `wasm/blocks_gtn/blocks-${n}`);
    const m = r?.figures?.median;
    if (!m) continue;
    const g = r.gtpyhop && !('error' in r.gtpyhop) ? r.gtpyhop : undefined;
    const readme = README_GTPYHOP_MS[n]! / m.cpuMsPerPlan;
    mem.push([n, m.engineBytes]);
    len.push([n, m.planLength]);
    if (g) gmem.push([n, g.tracedPeakBytes]);
    rows.push([
      String(n), fmtMs(m.cpuMsPerPlan), g ? fmtMs(g.median.cpuMsPerPlan) : '-', g ? `${sig3(g.cpuRatio)}×` : '-',
      fmtMs(README_GTPYHOP_MS[n]), `${sig3(readme)}×`, verdict(readme >= 100),
      fmtBytes(m.engineBytes), fmtBytes(m.engineBytes / n), g ? fmtBytes(g.tracedPeakBytes) : '-',
    ]);
  }
  if (rows.length === 0) return undefined;
  const k = growthExponent(mem), gk = growthExponent(gmem), lk = growthExponent(len);
  const table = formatTable(['N', 'Aria CPU/plan', 'GTPyhop CPU/plan', 'ratio', 'README GTPyhop', 'ratio', '≥100×', 'Aria mem/plan', 'Aria mem/N', 'GTPyhop mem/plan'], rows);
  const growth = `memory per plan grows as N^${k.toFixed(2)} (target: at most N^1, ${verdict(k <= 1.05)}); plan length as N^${lk.toFixed(2)}`
    + (Number.isFinite(gk) ? `; GTPyhop's memory as N^${gk.toFixed(2)}` : '');
  return `${table}\n\n${growth}`;
}

/** Issue 3: unary Plan ≥ 70% of the empty RPC at equal concurrency; the pool ≥ 0.8·P times one worker. */
export function issue3Lines(results: readonly CaseResult[]): string[] {
  const median = (name: string) => results.find((r) => r.name === name)?.figures?.median;
  const rate = (name: string) => median(name)?.plansPerS;
  const lines: string[] = [];
  for (const r of results) {
    const m = /^grpc\/unary(-bytes)?\/simple_htn\/c(\d+)$/.exec(r.name);
    if (!m) continue;
    const [, bytes, c] = m;
    const plan = median(r.name), empty = median(`baseline/grpc-empty/c${c}`);
    if (!plan || !empty) continue;
    // Where the transport is CPU-bound, the ratio of CPU per call is the ceiling of the throughput ratio,
    // and unlike wall-clock throughput it holds up on a machine shared with other work.
    const cpu = `CPU per call ${fmtMs(plan.cpuMsPerPlan)} vs ${fmtMs(empty.cpuMsPerPlan)}: ${(100 * empty.cpuMsPerPlan / plan.cpuMsPerPlan).toFixed(0)}% if CPU-bound`;
    const client = bytes ? ' (client sends and keeps bytes, as the empty RPC\'s does)' : ' (generated client)';
    lines.push(`unary Plan simple_htn at c${c}${client}: ${(100 * plan.plansPerS / empty.plansPerS).toFixed(0)}% of the empty RPC (target 70%: ${verdict(plan.plansPerS >= 0.7 * empty.plansPerS)}; ${cpu})`);
  }
  const one = rate('pool/p1/blocks_gtn/blocks-100');
  for (const r of results) {
    const m = /^pool\/p(\d+)\/blocks_gtn\/blocks-100$/.exec(r.name);
    if (!m || m[1] === '1' || one === undefined || !r.figures) continue;
    const p = Number(m[1]), speedup = r.figures.median.plansPerS / one;
    lines.push(`pool of ${p} on blocks-100: ${speedup.toFixed(2)}× one worker (target ${(0.8 * p).toFixed(1)}×: ${verdict(speedup >= 0.8 * p)})`);
  }
  return lines;
}

