/**
 * Times one case: a warm-up, then several runs, each reduced to figures;
 * the case's figure is the median over runs (see stats.medianOfRuns).
 */
import { performance } from 'node:perf_hooks';
import type { CaseDriver, OpResult } from './cases/case-types.js';
import { mean, medianOfRuns, percentile } from './stats.js';

/** How long to time a case. */
export interface MeasureOptions {
  /** Seconds of untimed warm-up (JIT, caches, connections). */
  warmupS: number;
  /** Timed runs; the reported figure is their median. */
  runs: number;
  /** Seconds per run. */
  runS: number;
  /** Operations per run at least, however long they take (so slow cases still give several samples). */
  minOps: number;
}

/** The figures of one run (or the median of runs). NaN where a case cannot tell. */
export interface RunFigures extends Record<string, number> {
  /** Plans (or calls) completed. */
  ops: number;
  seconds: number;
  plansPerS: number;
  /** Latency of one plan, from issue to answer, in milliseconds. */
  p50Ms: number;
  p99Ms: number;
  /** CPU milliseconds per plan, all threads of the working processes (see CaseDriver.cpuMs). */
  cpuMsPerPlan: number;
  /** Highest resident set size seen during the run, in bytes. */
  peakRssBytes: number;
  /** Highest engine working memory of one call (stats.peakMemoryBytes). */
  engineBytes: number;
  /** Mean actions per plan over the calls that found one. */
  planLength: number;
}

/** A measured case: every run and their median. */
export interface CaseFigures {
  runs: RunFigures[];
  median: RunFigures;
}

/** Told how far a case has got: phase label and fraction (0..1) of the whole case. */
export type ProgressFn = (phase: string, fraction: number) => void;

/** What one timed loop collected. */
export interface Tally {
  /** Latency of each op, in ms. */
  lat: number[];
  /** Plan lengths of ops that named no problem. */
  lengths: number[];
  /** Plan length by problem index (OpResult.problem). */
  byProblem: Map<number, number>;
  /** Highest engine memory seen (NaN: none reported). */
  engine: number;
  rss: number;
  elapsedMs: number;
  cpuMs: number;
}

/** CPU milliseconds of this process, all threads. */
export function selfCpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

function record(t: Tally, r: OpResult): void {
  if (r.planLength !== null) {
    if (r.problem === undefined) t.lengths.push(r.planLength);
    else t.byProblem.set(r.problem, r.planLength);
  }
  if (r.engineBytes !== undefined && !(r.engineBytes <= t.engine)) t.engine = r.engineBytes;
}

/** Runs a synchronous op back to back; sampling the clock between ops only. */
function syncLoop(d: CaseDriver, op: () => OpResult, seconds: number, minOps: number, tick: (f: number) => void): Tally {
  const t: Tally = { lat: [], lengths: [], byProblem: new Map(), engine: NaN, rss: d.rss(), elapsedMs: 0, cpuMs: 0 };
  const start = performance.now();
  const end = start + seconds * 1000;
  let now = start, lastSample = start;
  while (now < end || t.lat.length < minOps) {
    const t0 = now;
    record(t, op());
    now = performance.now();
    t.lat.push(now - t0);
    // RSS and the progress bar cost microseconds: every 10 ms is enough.
    if (now - lastSample > 10) {
      lastSample = now;
      t.rss = Math.max(t.rss, d.rss());
      tick(Math.min(1, (now - start) / (end - start)));
    }
  }
  t.elapsedMs = now - start;
  return t;
}

/** Keeps `concurrency` async ops in flight until time is up. */
async function asyncLoop(d: CaseDriver, op: () => Promise<OpResult>, seconds: number, minOps: number, tick: (f: number) => void): Promise<Tally> {
  const t: Tally = { lat: [], lengths: [], byProblem: new Map(), engine: NaN, rss: d.rss(), elapsedMs: 0, cpuMs: 0 };
  const start = performance.now();
  const end = start + seconds * 1000;
  let issued = 0;
  const timer = setInterval(() => {
    t.rss = Math.max(t.rss, d.rss());
    tick(Math.min(1, (performance.now() - start) / (end - start)));
  }, 20);
  const loop = async (): Promise<void> => {
    while (performance.now() < end || issued < minOps) {
      issued++;
      const t0 = performance.now();
      const r = await op();
      t.lat.push(performance.now() - t0);
      record(t, r);
    }
  };
  try {
    await Promise.all(Array.from({ length: d.concurrency }, loop));
  } finally {
    clearInterval(timer);
  }
  t.rss = Math.max(t.rss, d.rss());
  t.elapsedMs = performance.now() - start;
  return t;
}

async function loop(d: CaseDriver, seconds: number, minOps: number, tick: (f: number) => void): Promise<Tally> {
  const cpu = d.cpuMs ?? selfCpuMs;
  const c0 = cpu();
  let t: Tally;
  if (d.sync) t = syncLoop(d, d.sync, seconds, minOps, tick);
  else if (d.async) t = await asyncLoop(d, d.async, seconds, minOps, tick);
  else throw new Error('a case driver needs sync or async');
  t.cpuMs = cpu() - c0;
  return t;
}

/** Figures of one run from its tally. */
export function figures(t: Tally, opsPerCall = 1): RunFigures {
  return {
    ops: t.lat.length * opsPerCall,
    seconds: t.elapsedMs / 1000,
    plansPerS: (t.lat.length * opsPerCall) / (t.elapsedMs / 1000),
    p50Ms: percentile(t.lat, 0.5) / opsPerCall,
    p99Ms: percentile(t.lat, 0.99) / opsPerCall,
    cpuMsPerPlan: t.cpuMs / (t.lat.length * opsPerCall),
    peakRssBytes: t.rss,
    engineBytes: t.engine,
    planLength: mean([...t.lengths, ...t.byProblem.values()]),
  };
}

/** Warms a driver up, then times `runs` runs of it. */
export async function measure(d: CaseDriver, o: MeasureOptions, progress: ProgressFn = () => {}): Promise<CaseFigures> {
  const total = o.warmupS + o.runs * o.runS;
  const at = (phase: string, before: number, span: number) => (f: number) => progress(phase, (before + f * span) / total);
  await loop(d, o.warmupS, d.concurrency, at('warm-up', 0, o.warmupS));
  const runs: RunFigures[] = [];
  for (let i = 0; i < o.runs; i++) {
    const t = await loop(d, o.runS, o.minOps, at(`run ${i + 1}/${o.runs}`, o.warmupS + i * o.runS, o.runS));
    runs.push(figures(t, d.opsPerCall));
  }
  return { runs, median: medianOfRuns(runs) };
}
