/**
 * The work of one GenerateBatch, synchronous (it runs on a batch worker
 * thread, batch-worker.ts, or in a benchmark): sample n candidates in the
 * kernel, score them, drop the ones that break a constraint, and pick k by
 * greedy diversity: the best-scoring first, then each time the candidate
 * whose score plus diversity times its distance to the nearest pick is
 * highest (ties: the lower candidate number).
 *
 * The greedy is lazy (as for any submodular gain): a candidate's distance
 * to the picks only shrinks as picks are added, so its last computed
 * score is an upper bound, and a heap pops candidates by that bound; one
 * whose bound is up to date is the true best. Most candidates are never
 * measured against most picks. The result is exactly the plain greedy's.
 */
import type { Template } from './template-types.js';
import { kernelTables } from './kernel-tables.js';
import { ScoreKernel } from './score-kernel.js';
import type { CheckedScoreOptions } from './score-options.js';

/** What a batch worker is asked. */
export interface BatchTask {
  readonly template: Template;
  readonly preset?: string;
  readonly seed: number;
  readonly candidates: number;
  readonly k: number;
  readonly options: CheckedScoreOptions;
}

/** One picked candidate. */
export interface BatchPick {
  /** Its number among the candidates: with the seed, it determines the candidate. */
  readonly candidate: number;
  /** Its value index per slot. */
  readonly values: number[];
  /** Its score when picked (preferences + style + diversity times distance). */
  readonly score: number;
  /** Slots that differ from the nearest earlier pick (0 for the first). */
  readonly distance: number;
}

/** The batch's picks, best first, and what it took. */
export interface BatchOutcome {
  readonly picks: BatchPick[];
  /** Candidates that broke no constraint. */
  readonly valid: number;
  /** Distance measurements the greedy made (candidate × pick). */
  readonly measured: number;
  readonly sampleMs: number;
  readonly scoreMs: number;
  readonly selectMs: number;
}

/** Rows sampled and scored per kernel call (keeps each call short, for nothing but tidiness of the timings). */
const CHUNK = 65536;

/** Runs one batch. */
export function runBatch(task: BatchTask): BatchOutcome {
  const t = task.template;
  const preset = task.preset ? t.presets.find((p) => p.name === task.preset) : undefined;
  const n = task.candidates;
  const kernel = new ScoreKernel(kernelTables(t, task.options, preset), n, task.k);
  const t0 = performance.now();
  for (let from = 0; from < n; from += CHUNK) kernel.sample(task.seed, from, Math.min(n, from + CHUNK));
  const t1 = performance.now();
  let valid = 0;
  for (let from = 0; from < n; from += CHUNK) valid += kernel.score(from, Math.min(n, from + CHUNK));
  const t2 = performance.now();
  const { picks, measured } = select(kernel, valid, task.k, task.options.diversity);
  const t3 = performance.now();
  return { picks, valid, measured, sampleMs: t1 - t0, scoreMs: t2 - t1, selectMs: t3 - t2 };
}

/** The lazy greedy over the valid rows (scores hold each row's score with no picks). */
function select(kernel: ScoreKernel, valid: number, k: number, diversity: number): { picks: BatchPick[]; measured: number } {
  const base = kernel.scores;
  const picks: BatchPick[] = [];
  if (valid === 0) return { picks, measured: 0 };
  // The first pick: the best score (no diversity term yet).
  let first = -1;
  for (let i = 0; i < kernel.rows; i++) {
    if (kernel.violations[i] === 0 && (first < 0 || base[i] > base[first])) first = i;
  }
  const pick = (row: number, score: number, distance: number) => {
    kernel.picks[picks.length] = row;
    picks.push({ candidate: row, values: kernel.row(row), score, distance });
  };
  pick(first, base[first], 0);
  const heap = new BoundHeap(valid - 1);
  // Distance known so far (an upper bound until measured against every pick) and how many picks it covers.
  const near = new Int32Array(kernel.rows).fill(kernel.slots);
  const covered = new Int32Array(kernel.rows);
  for (let i = 0; i < kernel.rows; i++) if (kernel.violations[i] === 0 && i !== first) heap.add(base[i] + diversity * kernel.slots, i);
  heap.heapify();
  let measured = 0;
  while (picks.length < k && heap.size > 0) {
    const row = heap.topRow();
    if (covered[row] < picks.length) {
      near[row] = kernel.nearest(row, covered[row], picks.length, near[row]);
      measured += picks.length - covered[row];
      covered[row] = picks.length;
      heap.replaceTop(base[row] + diversity * near[row], row);
      continue;
    }
    heap.pop();
    pick(row, base[row] + diversity * near[row], near[row]);
  }
  return { picks, measured };
}

/** A binary max-heap of (bound, row), ties to the lower row, in typed arrays. */
class BoundHeap {
  size = 0;
  private readonly keys: Float64Array;
  private readonly rows: Int32Array;

  constructor(capacity: number) {
    this.keys = new Float64Array(Math.max(1, capacity));
    this.rows = new Int32Array(Math.max(1, capacity));
  }

  /** Appends without ordering (heapify() after the last). */
  add(key: number, row: number): void {
    this.keys[this.size] = key;
    this.rows[this.size++] = row;
  }

  heapify(): void {
    for (let i = (this.size >> 1) - 1; i >= 0; i--) this.down(i);
  }

  topRow(): number {
    return this.rows[0];
  }

  replaceTop(key: number, row: number): void {
    this.keys[0] = key;
    this.rows[0] = row;
    this.down(0);
  }

  pop(): void {
    this.size--;
    this.keys[0] = this.keys[this.size];
    this.rows[0] = this.rows[this.size];
    this.down(0);
  }

  /** Whether entry a comes before entry b. */
  private before(a: number, b: number): boolean {
    return this.keys[a] > this.keys[b] || (this.keys[a] === this.keys[b] && this.rows[a] < this.rows[b]);
  }

  private down(i: number): void {
    for (;;) {
      const l = 2 * i + 1;
      if (l >= this.size) return;
      const c = l + 1 < this.size && this.before(l + 1, l) ? l + 1 : l;
      if (!this.before(c, i)) return;
      const k = this.keys[i];
      const r = this.rows[i];
      this.keys[i] = this.keys[c];
      this.rows[i] = this.rows[c];
      this.keys[c] = k;
      this.rows[c] = r;
      i = c;
    }
  }
}
