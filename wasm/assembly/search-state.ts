// The state of one search: its figures, limits and switches, the depth of
// the choice-point stack, and what a step of the search returns. Shared by
// search.ts (the dispatcher) and refine.ts (methods and choice points).
import { SYMTAB, METHODS, MGMETHODS } from './layout';
import { SYM_STRIDE } from './abi';
import { fail, ST_LIMIT_EXPANSIONS } from './status';
import { checkTime } from './vm';

// What a step of the search returns: a todo list (a cell address, >= 0) to go on with at resumeDepth, or one of these.
/** Go on with the rest of the todo list, one level deeper. */
export const NEXT: i32 = -3;
/** Nothing applies: backtrack. */
export const BACKTRACK: i32 = -1;
/** An error, limit or space status was set (or a step found nothing to go on with): end the call. */
export const STOP: i32 = -2;
/** End the call with the status as it is. */
export const HALT: i32 = -4;

/** The call's figures (statsTo): plan length, expansions, backtracks, deepest depth, most choice points at once. */
export let planLen: i32 = 0;
export let expansions: i64 = 0;
export let backtracks: f64 = 0;
export let maxDepthSeen: i32 = 0;
export let choicePeak: i32 = 0;

/** Choice points on the stack. */
export let csp: i32 = 0;
/** The call's verify_goals switch and limits (setSearch). */
export let verifyGoals: bool = true;
export let maxExpansions: i64 = 0;
export let maxDepth: i32 = 0;
export let maxPlan: i32 = 0;
/** The depth a todo list returned by a refinement goes on at. */
export let resumeDepth: i32 = 0;

/**
 * Costs (costMode): whether applying an action adds its cost to planCost,
 * the plan's cost so far (restored from a choice point on backtracking),
 * and the branch-and-bound's bound: an action that would bring planCost to
 * costBound or more is not applied (the branch cannot beat the best plan).
 * Off, the search does exactly what it did without costs.
 */
export let costOn: bool = false;
export let planCost: f64 = 0;
export let costBound: f64 = Infinity;
export function setPlanCost(c: f64): void { planCost = c; }

/** Costs on or off, and the bound, for the next call (plan resets planCost, not these). */
export function costMode(on: i32, bound: f64): void { costOn = on != 0; costBound = bound; }
/** A new bound and expansion limit before resuming the search for a cheaper plan (resumeSearch). */
export function setBound(bound: f64, maxExp: f64): void {
  costBound = bound;
  maxExpansions = maxExp >= 9.0e18 || isNaN(maxExp) ? I64.MAX_VALUE : maxExp < 0 ? 0 : <i64>maxExp;
}

/** Field (SYM_*) of symbol s's dispatch record. */
@inline export function sym(s: u32, field: i32): i32 { return load<i32>(SYMTAB + ((<usize>s * SYM_STRIDE + field) << 2)); }
/** Multigoal methods: the count at MGMETHODS, the function indices after it. */
@inline export function mgMethodCount(): i32 { return load<i32>(MGMETHODS); }
@inline export function mgMethodList(): usize { return MGMETHODS + 4; }
/** First entry of symbol name's method list whose start is in field `startField`. */
@inline export function methodList(name: u32, startField: i32): usize { return METHODS + (<usize>sym(name, startField) << 2); }

/** Counts an expansion; false (status set) at the expansion limit, the deadline or a cancel. */
@inline export function expand(): bool {
  if (++expansions > maxExpansions) { fail(ST_LIMIT_EXPANSIONS); return false; }
  return (expansions & 0x3FF) != 0 || checkTime();
}
