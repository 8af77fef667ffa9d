/**
 * What a bench run produces, as written by `--json`.
 */
import type { ChartPoint } from './cases/case-types.js';
import type { CaseFigures, RunFigures } from './measure.js';

/** GTPyhop's figures for the same problems (bench/gtpyhop-driver.py). */
export interface GtpyhopFigures {
  runs: { ops: number; wall_s: number; cpu_s: number; plans_per_s: number; p50_ms: number; p99_ms: number; cpu_p50_ms: number }[];
  /** Median over runs. */
  median: { plansPerS: number; p50Ms: number; p99Ms: number; cpuMsPerPlan: number };
  planLength: number | null;
  /** Python heap peak of one plan (tracemalloc), the largest over the problems. */
  tracedPeakBytes: number;
  /** The driver process's peak RSS. */
  maxRssBytes: number;
  /** GTPyhop's median time per plan over ours: how many times faster Aria is. */
  ratio: number;
  /** The same with CPU time per plan (steadier on a busy machine). */
  cpuRatio: number;
}

/** One case's outcome. */
export interface CaseResult {
  name: string;
  layer: string;
  chart?: ChartPoint;
  /** Absent when the case failed. */
  figures?: CaseFigures;
  error?: string;
  gtpyhop?: GtpyhopFigures | { error: string };
}

/** A whole run. */
export interface BenchReport {
  date: string;
  /** loadAvg: 1, 5 and 15-minute load averages when the run started; loadAvgAfter: when it ended (other work on the machine skews every figure). */
  machine: { cpus: number; cpuModel: string; memoryBytes: number; node: string; platform: string; loadAvg: number[]; loadAvgAfter?: number[] };
  options: { patterns: string[]; durationS: number; runs: number; warmupS: number; gtpyhop?: string };
  results: CaseResult[];
}

/** The median figures of a case that ran, else undefined. */
export function medianOf(r: CaseResult): RunFigures | undefined {
  return r.figures?.median;
}
