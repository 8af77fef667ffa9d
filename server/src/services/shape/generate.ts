/**
 * Generation: plan `character(c)` for each character of a chunk, with the
 * seed's value orders in the state (value-order.ts), and read the values
 * back from the plan's `set_<k>(c, v)` actions.
 *
 * Why chunks on the calling thread rather than the worker pool: one
 * character takes microseconds, far less than a round trip to a worker, so
 * characters are planned many to a call, and the loop yields between
 * chunks (setImmediate) so that a request for the maximum count never holds
 * the event loop for long. The first chunk is one character: when the
 * template has none, that search fails alone, without the other
 * characters' choice points to backtrack into (a complete search over the
 * same values finds one for every order, so later chunks cannot fail).
 */
import { InvalidArgumentError } from '../../core/errors.js';
import { throwIfAborted } from '../../core/signals.js';
import { LimitError, type JsonValue } from '../../planner/index.js';
import type { SlotValue, Template } from './template-types.js';
import { BLOCK, compileTemplate, type CompiledTemplate } from './compile-template.js';
import { allowedValues } from './consistency.js';
import { characterOrders, orderPlan, type OrderPlan } from './value-order.js';
import { makeCharacter, type Character } from './character.js';

/** Most characters one call may ask for. */
export const MAX_COUNT = 1000;
/** Search steps allowed per character before the call gives up (a template whose constraints leave very few characters). */
export const EXPANSIONS_PER_CHARACTER = 1_000_000;
/** Characters planned per planner call after the first. */
const CHUNK = 32;

/** Options of one generation. */
export interface GenerateOptions {
  /** Any integer from 0 to 2^32-1 (default 0): the same seed gives the same characters. */
  seed?: number;
  /** How many characters, 1 to MAX_COUNT (default 1). */
  count?: number;
  /** A preset's name, or none. */
  preset?: string;
  /** Stops the generation between chunks. */
  signal?: AbortSignal;
}

/** What a generation found: characters, or proof that the template has none. */
export type GenerateResult =
  | { status: 'ok'; characters: Character[]; stats: GenerateStats }
  | { status: 'no_character'; message: string; stats: GenerateStats };

/** Search counters of one generation. */
export interface GenerateStats {
  expansions: number;
  backtracks: number;
}

/** Checks a seed, count and preset name, with the field at fault named. */
export function checkOptions(t: Template, opts: GenerateOptions): { seed: number; count: number } {
  const seed = opts.seed ?? 0;
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new InvalidArgumentError('seed', `must be an integer from 0 to 4294967295, got ${seed}`);
  const count = opts.count ?? 1;
  if (!Number.isInteger(count) || count < 1 || count > MAX_COUNT) throw new InvalidArgumentError('count', `must be an integer from 1 to ${MAX_COUNT}, got ${count}`);
  if (opts.preset && !t.presets.some((p) => p.name === opts.preset)) {
    const names = t.presets.map((p) => p.name).join(', ') || 'none';
    throw new InvalidArgumentError('preset', `unknown preset '${opts.preset}' (template ${t.name} has: ${names})`);
  }
  return { seed, count };
}

/** Generates `count` valid characters of a validated template, yielding to the event loop between chunks. */
export async function generate(t: Template, opts: GenerateOptions = {}): Promise<GenerateResult> {
  const run = prepare(t, opts);
  while (!run.done()) {
    if (run.started()) await new Promise((resolve) => setImmediate(resolve));
    throwIfAborted(opts.signal);
    const out = run.step();
    if (out) return out;
  }
  return run.result();
}

/**
 * The same characters as `generate`, without yielding: for worker threads
 * and benchmarks, where holding the thread is the point.
 */
export function generateSync(t: Template, opts: Omit<GenerateOptions, 'signal'> = {}): GenerateResult {
  const run = prepare(t, opts);
  while (!run.done()) {
    const out = run.step();
    if (out) return out;
  }
  return run.result();
}

/** One generation, chunk by chunk. */
function prepare(t: Template, opts: GenerateOptions) {
  const { seed, count } = checkOptions(t, opts);
  const preset = opts.preset ? t.presets.find((p) => p.name === opts.preset) : undefined;
  const compiled = compileTemplate(t);
  const plan = orderPlan(t, allowedValues(t, preset), preset);
  const characters: Character[] = [];
  const stats: GenerateStats = { expansions: 0, backtracks: 0 };
  let start = 0;
  return {
    done: () => start >= count,
    started: () => start > 0,
    /** Plans the next chunk; a result when it ends the generation early (no character). */
    step: (): GenerateResult | undefined => {
      const size = start === 0 ? 1 : Math.min(CHUNK, count - start);
      const chunk = planChunk(compiled, plan, seed, start, size, stats);
      if (chunk === undefined) {
        const message = `no character exists: template ${t.name}${preset ? ` with preset ${preset.name}` : ''} has constraints no combination of values satisfies`;
        return { status: 'no_character', message, stats };
      }
      characters.push(...chunk);
      start += size;
      return undefined;
    },
    result: (): GenerateResult => ({ status: 'ok', characters, stats }),
  };
}

/** Plans characters start .. start+size-1; undefined when there is none. */
export function planChunk(compiled: CompiledTemplate, plan: OrderPlan, seed: number, start: number, size: number, stats: GenerateStats): Character[] | undefined {
  const t = compiled.template;
  const orders = Array.from({ length: size }, (_, c) => characterOrders(t, plan, seed, start + c));
  const state: Record<string, JsonValue> = {};
  t.slots.forEach((_, k) => {
    state[`o_${k}`] = { __intkeys__: orders.map((o, c) => [c, o[k] as SlotValue[]]) };
  });
  const todo = Array.from({ length: size }, (_, c) => ['character', c]);
  const result = compiled.domain.plan({ state, todo }, { maxExpansions: EXPANSIONS_PER_CHARACTER * size, verifyGoals: false });
  stats.expansions += result.stats.expansions;
  stats.backtracks += result.stats.backtracks;
  if (result.status === 'no_plan') return undefined;
  if (result.status === 'limit') {
    throw new LimitError(result.limit, `no character found within ${EXPANSIONS_PER_CHARACTER} search steps: the constraints leave too few characters to find by search`, result.stats);
  }
  if (result.status !== 'plan') throw new Error(`shape domain of ${t.name} failed: ${result.message}`);
  const values: SlotValue[][] = Array.from({ length: size }, () => new Array(t.slots.length));
  for (const [name, c, ...vs] of result.plan as [string, number, ...SlotValue[]][]) {
    const first = Number(name.slice(4)) * BLOCK;
    vs.forEach((v, i) => (values[c][first + i] = v));
  }
  return values.map((slots, c) => makeCharacter(t, start + c, slots));
}
