/**
 * Runs a case's problems through GTPyhop (bench/gtpyhop-driver.py, with the
 * local python3) and turns its answer into figures next to ours.
 * GTPyhop's times are those of find_plan alone; ours include the library's
 * encoding of the problem and decoding of the plan.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { GtpyhopSpec } from './cases/case-types.js';
import type { MeasureOptions } from './measure.js';
import { gtpyhopDriverPath } from './repo-paths.js';
import type { GtpyhopFigures } from './results.js';
import { median } from './stats.js';

/** Throws unless dir looks like a GTPyhop checkout. */
export function checkGtpyhopDir(dir: string): void {
  if (!existsSync(join(dir, 'gtpyhop.py')) || !existsSync(join(dir, 'Examples'))) {
    throw new Error(`--gtpyhop ${dir}: not a GTPyhop checkout (no gtpyhop.py and Examples/); clone github.com/dananau/GTPyhop`);
  }
}

/** A case's GTPyhop run is stopped after this long (its slowest problems take seconds per plan). */
const GTPYHOP_TIMEOUT_MS = 120_000;

interface DriverAnswer {
  runs?: GtpyhopFigures['runs'];
  plan_length?: number | null;
  traced_peak_bytes?: number;
  max_rss_bytes?: number;
  error?: string;
}

/** Runs the driver with the job on stdin; resolves with its JSON answer. */
function runDriver(dir: string, job: object, timeoutMs: number): Promise<DriverAnswer> {
  const python = process.env.ARIA_BENCH_PYTHON ?? 'python3';
  return new Promise((resolve, reject) => {
    // A fixed hash seed keeps Python's own set and dict behaviour the same from run to run.
    const child = spawn(python, [gtpyhopDriverPath(), dir], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, PYTHONHASHSEED: '0' } });
    let out = '', err = '';
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`GTPyhop took more than ${timeoutMs / 1000} s`)); }, timeoutMs);
    child.stdout.on('data', (b: Buffer) => { out += b.toString(); });
    child.stderr.on('data', (b: Buffer) => { err = (err + b.toString()).slice(-2000); });
    child.on('error', (e) => { clearTimeout(timer); reject(e); });
    child.on('close', () => {
      clearTimeout(timer);
      try {
        resolve(JSON.parse(out) as DriverAnswer);
      } catch {
        reject(new Error(`GTPyhop driver gave no answer: ${err.trim().split('\n').slice(-3).join(' | ')}`));
      }
    });
    child.stdin.end(JSON.stringify(job));
  });
}

/**
 * GTPyhop's figures for the spec's problems, timed like ours (warm-up,
 * runs, at least minOps plans per run), with the ratio to our median time
 * per plan.
 */
export async function gtpyhopFigures(dir: string, spec: GtpyhopSpec, o: MeasureOptions, ours: { p50Ms: number; cpuMsPerPlan: number }): Promise<GtpyhopFigures | { error: string }> {
  // One plan per run at least: a GTPyhop plan can take seconds, and three runs still give a median.
  const job = { domain: spec.domain, problems: spec.problems, warmup_s: o.warmupS, run_s: o.runS, runs: o.runs, min_ops: 1 };
  try {
    const a = await runDriver(dir, job, GTPYHOP_TIMEOUT_MS);
    if (a.error || !a.runs) return { error: a.error ?? 'no runs' };
    const m = (k: 'plans_per_s' | 'p50_ms' | 'p99_ms') => median(a.runs!.map((r) => r[k]));
    const p50 = m('p50_ms');
    const cpu = median(a.runs.map((r) => (r.cpu_s * 1000) / r.ops));
    return {
      runs: a.runs,
      median: { plansPerS: m('plans_per_s'), p50Ms: p50, p99Ms: m('p99_ms'), cpuMsPerPlan: cpu },
      planLength: a.plan_length ?? null,
      tracedPeakBytes: a.traced_peak_bytes ?? NaN,
      maxRssBytes: a.max_rss_bytes ?? NaN,
      ratio: p50 / ours.p50Ms,
      cpuRatio: cpu / ours.cpuMsPerPlan,
    };
  } catch (e) {
    return { error: (e as Error).message };
  }
}
