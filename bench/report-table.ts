/**
 * The tables a run prints (Markdown, so that docs/performance.md can take
 * them as they are): every case's figures, and GTPyhop side by side.
 */
import type { CaseResult } from './results.js';

/** A Markdown table with padded columns; `right` marks right-aligned (numeric) columns. */
export function formatTable(headers: string[], rows: string[][], right: boolean[] = headers.map((_, i) => i > 0)): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const cell = (s: string, i: number) => (right[i] ? s.padStart(widths[i]!) : s.padEnd(widths[i]!));
  const line = (r: string[]) => `| ${r.map(cell).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (right[i] ? `${'-'.repeat(w + 1)}:` : `${'-'.repeat(w + 2)}`)).join('|')}|`;
  return [line(headers), rule, ...rows.map(line)].join('\n');
}

const bad = (v: number | null | undefined): v is null | undefined => v === null || v === undefined || !Number.isFinite(v);

/** About three significant digits, never in exponent form: 0.0123, 4.56, 78.9, 1234. */
export function sig3(v: number): string {
  const a = Math.abs(v);
  if (a >= 100 || a === 0) return v.toFixed(0);
  if (a >= 10) return v.toFixed(1);
  if (a >= 1) return v.toFixed(2);
  return Number(v.toPrecision(3)).toString();
}

/** 12.3k, 4.56M plans per second. */
export function fmtRate(v: number | null | undefined): string {
  if (bad(v)) return '-';
  if (v >= 1e6) return `${sig3(v / 1e6)}M`;
  if (v >= 1e3) return `${sig3(v / 1e3)}k`;
  return sig3(v);
}

/** Milliseconds; microseconds below 0.1 ms, nanoseconds below 0.1 µs. */
export function fmtMs(v: number | null | undefined): string {
  if (bad(v)) return '-';
  if (v < 1e-4) return `${sig3(v * 1e6)} ns`;
  if (v < 0.1) return `${sig3(v * 1000)} µs`;
  return `${sig3(v)} ms`;
}

/** Bytes in B, KiB or MiB (switching at 1000 of a unit, so that 1000 KiB reads 0.98 MiB). */
export function fmtBytes(v: number | null | undefined): string {
  if (bad(v)) return '-';
  if (v >= 1000 * 1024) return `${sig3(v / (1 << 20))} MiB`;
  if (v >= 1000) return `${sig3(v / 1024)} KiB`;
  return `${Math.round(v)} B`;
}

const fmtLen = (v: number | null | undefined) => (bad(v) ? '-' : Number.isInteger(v) ? String(v) : v.toFixed(1));

/** Every case: median throughput, latency, memory and plan length. */
export function resultsTable(results: readonly CaseResult[]): string {
  const rows = results.map((r) => {
    const m = r.figures?.median;
    if (!m) return [r.name, 'failed', '-', '-', '-', '-', '-', (r.error ?? '').slice(0, 60)];
    return [r.name, fmtRate(m.plansPerS), fmtMs(m.p50Ms), fmtMs(m.p99Ms), fmtMs(m.cpuMsPerPlan), fmtBytes(m.peakRssBytes), fmtBytes(m.engineBytes), fmtLen(m.planLength)];
  });
  return formatTable(['case', 'plans/s', 'p50', 'p99', 'CPU/plan', 'peak RSS', 'engine mem', 'plan len'], rows);
}

/** The cases that also ran in GTPyhop: time and memory per plan, and how many times faster Aria is. */
export function gtpyhopTable(results: readonly CaseResult[]): string | undefined {
  const rows: string[][] = [];
  for (const r of results) {
    if (!r.gtpyhop) continue;
    const ours = r.figures?.median;
    if ('error' in r.gtpyhop) {
      rows.push([r.name, fmtMs(ours?.p50Ms), 'failed', '-', fmtMs(ours?.cpuMsPerPlan), '-', '-', fmtBytes(ours?.engineBytes), '-', r.gtpyhop.error.slice(0, 60)]);
      continue;
    }
    const g = r.gtpyhop;
    rows.push([
      r.name, fmtMs(ours?.p50Ms), fmtMs(g.median.p50Ms), `${sig3(g.ratio)}×`,
      fmtMs(ours?.cpuMsPerPlan), fmtMs(g.median.cpuMsPerPlan), `${sig3(g.cpuRatio)}×`,
      fmtBytes(ours?.engineBytes), fmtBytes(g.tracedPeakBytes), `${fmtLen(ours?.planLength)} / ${fmtLen(g.planLength)}`,
    ]);
  }
  if (rows.length === 0) return undefined;
  return formatTable(['case', 'Aria p50', 'GTPyhop p50', 'ratio', 'Aria CPU/plan', 'GTPyhop CPU/plan', 'CPU ratio', 'Aria mem/plan', 'GTPyhop mem/plan', 'plan len A / G'], rows);
}
