/**
 * A planning call's outcome read back from the engine: its figures (the
 * f64 record statsTo writes) and the result its final status stands for.
 */
import type { CompiledDomain } from '../compile/compiled-domain.js';
import type { JsonValue, PlanResult, PlanStats } from '../types.js';
import type { Layout } from './engine-layout.js';
import type { MemoryViews } from './engine-instance.js';
import { decodePlanStep } from './value-decoder.js';
import { type SymbolTable } from './engine-memory.js';
import { ST, LIMIT_OF } from './engine-status.js';
import { describeError } from './engine-messages.js';
import {
  CP_BYTES, SLOT_BYTES, STAMP_BYTES, STAT_ARENA_PEAK, STAT_BACKTRACKS, STAT_CHOICE_PEAK, STAT_EXPANSIONS, STAT_MAX_DEPTH,
  STAT_COST, STAT_PLAN_LEN, STAT_SLOTS, STAT_TRAIL_PEAK, TRAIL_ENTRY_BYTES, VALUE_BYTES,
} from './engine-abi.js';

/** A call's figures, and its plan's length and cost (read with them; cost 0 when costs were off). */
export interface CallStats { stats: PlanStats; planLen: number; cost: number }

/** Reads the figures statsTo wrote at l.stats (f64: the views' f64 array). */
export function readStats(f: Float64Array, l: Layout): CallStats {
  const b = l.stats >>> 3;
  const planLen = f[b + STAT_PLAN_LEN];
  // Bytes of what the call held at its peak: each slot with its write stamp, trail entries, choice points, arena, plan.
  const peak = f[b + STAT_SLOTS] * (SLOT_BYTES + STAMP_BYTES) + f[b + STAT_TRAIL_PEAK] * TRAIL_ENTRY_BYTES
    + f[b + STAT_CHOICE_PEAK] * CP_BYTES + (f[b + STAT_ARENA_PEAK] - l.arena) + planLen * VALUE_BYTES;
  return {
    stats: { expansions: f[b + STAT_EXPANSIONS], backtracks: f[b + STAT_BACKTRACKS], maxDepth: f[b + STAT_MAX_DEPTH], peakMemoryBytes: peak },
    planLen,
    cost: f[b + STAT_COST],
  };
}

/** The result of final status st (not a space status) of a call on layout l. */
export function toResult(st: number, planLen: number, l: Layout, stats: PlanStats, views: MemoryViews, syms: SymbolTable,
  domain: CompiledDomain, cost = planLen): PlanResult {
  const { u32, f64 } = views;
  if (st === ST.PLAN) {
    const plan: JsonValue[][] = [];
    for (let i = 0; i < planLen; i++) plan.push(decodePlanStep(u32, f64, syms, l.plan + i * VALUE_BYTES));
    return { status: 'plan', plan, cost, stats };
  }
  if (st === ST.NO_PLAN) return { status: 'no_plan', stats };
  const limit = LIMIT_OF[st];
  if (limit) return { status: 'limit', limit, message: limitMessage(limit), stats };
  return { status: 'error', message: describeError(st, l.result, u32, f64, syms, domain), stats };
}

/** The result of a call that needs more memory than its limit. */
export function memoryLimitResult(maxMemory: number, stats: PlanStats): PlanResult {
  return { status: 'limit', limit: 'memory', message: `the search needs more than the memory limit of ${maxMemory} bytes`, stats };
}

/** Figures of a call that did not get to plan. */
export function emptyStats(): PlanStats { return { expansions: 0, backtracks: 0, maxDepth: 0, peakMemoryBytes: 0 }; }

function limitMessage(limit: string): string {
  switch (limit) {
    case 'expansions': return 'the search reached the limit on node expansions';
    case 'depth': return 'the search reached the depth limit';
    case 'plan_length': return 'the plan reached the plan-length limit';
    case 'deadline': return 'the search ran past its deadline';
    default: return 'the call was cancelled';
  }
}
