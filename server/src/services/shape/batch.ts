/**
 * GenerateBatch: the best k of n candidate characters, diverse. The
 * options are checked here, on the calling thread; the sampling, scoring
 * and selection (batch-select.ts) run on a small piscina pool of batch
 * threads, never on the event loop. Each pick is checked again against the
 * template's constraints in TypeScript before it is returned.
 */
import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import { InvalidArgumentError } from '../../core/errors.js';
import type { Template } from './template-types.js';
import { checkOptions } from './generate.js';
import { checkCharacter, makeCharacter, type Character } from './character.js';
import { checkScoreOptions, type ScoreOptions } from './score-options.js';
import type { BatchOutcome, BatchTask } from './batch-select.js';

/** Most candidates one batch may sample. */
export const MAX_CANDIDATES = 1_000_000;
/** Most characters one batch may return. */
export const MAX_K = 1000;
/** Most candidates × k: bounds the selection's worst case (every candidate measured against every pick). */
export const MAX_WORK = 100_000_000;

/** Options of one batch. */
export interface BatchOptions extends ScoreOptions {
  /** Any integer from 0 to 2^32-1 (default 0): the same seed and options give the same characters. */
  seed?: number;
  /** A preset's name, or none. */
  preset?: string;
  /** Candidates to sample, 1 to MAX_CANDIDATES (default 10,000). */
  candidates?: number;
  /** Characters to return, 1 to MAX_K and at most `candidates` (default 10). */
  k?: number;
  signal?: AbortSignal;
}

/** One character of a batch: the character (its index is its candidate number), its score and distance. */
export interface BatchCharacter {
  readonly character: Character;
  readonly score: number;
  /** Attributes (a list: each element) that differ from the nearest character before it in the batch. */
  readonly distance: number;
}

/** A batch's answer. */
export interface BatchResult {
  /** Best first; fewer than k when fewer candidates were valid. */
  readonly characters: BatchCharacter[];
  readonly candidates: number;
  /** Candidates that broke no constraint. */
  readonly valid: number;
  /** Distance measurements the selection made. */
  readonly measured: number;
  readonly sampleMs: number;
  readonly scoreMs: number;
  readonly selectMs: number;
}

/** Checks a batch's options, with the field at fault named. */
export function checkBatchOptions(t: Template, o: BatchOptions): Omit<BatchTask, 'template'> {
  const { seed } = checkOptions(t, { seed: o.seed, preset: o.preset });
  const candidates = o.candidates ?? 10_000;
  if (!Number.isInteger(candidates) || candidates < 1 || candidates > MAX_CANDIDATES) throw new InvalidArgumentError('candidates', `must be an integer from 1 to ${MAX_CANDIDATES}, got ${candidates}`);
  const k = o.k ?? 10;
  if (!Number.isInteger(k) || k < 1 || k > MAX_K) throw new InvalidArgumentError('k', `must be an integer from 1 to ${MAX_K}, got ${k}`);
  if (k > candidates) throw new InvalidArgumentError('k', `must not exceed candidates (${candidates}), got ${k}`);
  if (k * candidates > MAX_WORK) throw new InvalidArgumentError('k', `k × candidates must be at most ${MAX_WORK}, got ${k} × ${candidates}`);
  const options = checkScoreOptions(t, o);
  // The lazy selection relies on the diversity term only falling as picks are added.
  if (options.diversity < 0) throw new InvalidArgumentError('diversity', `must be 0 or more for a batch, got ${options.diversity}`);
  return { seed, preset: o.preset || undefined, candidates, k, options };
}

let pool: Piscina<BatchTask, BatchOutcome> | undefined;

/** Runs a batch on a batch thread. */
export async function generateBatch(t: Template, o: BatchOptions = {}): Promise<BatchResult> {
  const task: BatchTask = { template: t, ...checkBatchOptions(t, o) };
  pool ??= new Piscina<BatchTask, BatchOutcome>({
    filename: new URL('./batch-worker.js', import.meta.url).href,
    minThreads: 0,
    maxThreads: Math.max(1, Math.min(2, availableParallelism())),
    idleTimeout: 10_000,
  });
  const out = await pool.run(task, o.signal ? { signal: o.signal } : {});
  const characters = out.picks.map((p) => {
    const character = makeCharacter(t, p.candidate, p.values.map((v, s) => t.slots[s].values[v]));
    const broken = checkCharacter(t, character);
    // The kernel and the TypeScript checks are held equal by the tests; a difference here is a bug, not bad input.
    if (broken.length > 0) throw new Error(`batch candidate ${p.candidate} breaks ${broken[0]}`);
    return { character, score: p.score, distance: p.distance };
  });
  return { characters, candidates: task.candidates, valid: out.valid, measured: out.measured, sampleMs: out.sampleMs, scoreMs: out.scoreMs, selectMs: out.selectMs };
}

/** Stops the batch threads (for tests and shutdown; batches in flight fail). */
export async function closeBatchPool(): Promise<void> {
  const p = pool;
  pool = undefined;
  await p?.destroy();
}
