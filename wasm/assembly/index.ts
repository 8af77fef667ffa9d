// The engine's exports: numbers and addresses only. The typed wrapper is
// server/src/planner/runtime/engine.ts. Runtime: `stub` (no garbage collector): the
// engine never allocates from the AssemblyScript heap; every region lives at
// an address the host chose, so a planning call is free of allocator work and
// a trap only ever costs the instance, which the host then rebuilds.
export { configure, setDense, DENSE, VARROW, NSYMS, DENSE_K, SLOTS, VARLIST, TRAIL, TRAIL_CAP, ARENA_END } from './layout';
export { trailTop, trailPeak, stateVersion } from './state';
export { arenaReset, arenaFloor, arenaTop, arenaPeak, planHeap } from './arena';
export { setReadRegions, SLOTW, VARW, VARDEP, REC, REC_END, writeClock, memoEpoch, recOn, recTop, recPoison } from './reads';
export { setDeadline, setJitBase, retVal } from './vm';
export * from './rt';
export { status } from './status';

/** Builds the index of a multigoal the host wrote at address p. */
export function mgIndex(p: usize): void { mgBuildIndex(box(TAG_MG, <u32>p)); }
import { stateReset, slotCount, trailPeak, stateInit, undoTo, trailTop } from './state';
import { arenaPeak } from './arena';
import { resetStatus, status, ST_RUNNING, ST_ERR_ARITY, failWith } from './status';
import { resetVm, run, push, R_SUCCEED, R_FAIL, funcField } from './vm';
import { setSearch, search, planLen, expansions, backtracks, maxDepthSeen, choicePeak } from './search';
import { planCost } from './search-state';
export { resumeSearch } from './search';
export { costMode, setBound } from './search-state';
import { traceTop } from './trace';
import {
  APPLY_DONE, APPLY_FAILED, STATE_INPUT_BYTES, STAT_SLOTS, STAT_TRAIL_PEAK, STAT_CHOICE_PEAK, STAT_ARENA_PEAK, STAT_PLAN_LEN,
  STAT_EXPANSIONS, STAT_BACKTRACKS, STAT_MAX_DEPTH, STAT_COST,
} from './abi';
import { seqLen, seqAt, mgBuildIndex, box, TAG_MG } from './values';

/** Runs one planning call from the todo list at `todo` (a cell address, 0 = empty). */
export function plan(todo: usize, traceLevel: i32, verify: i32, maxExpansions: f64, maxDepth: i32, maxPlan: i32): i32 {
  resetStatus();
  resetVm();
  setSearch(traceLevel, verify != 0, maxExpansions, maxDepth, maxPlan);
  return search(todo);
}

/**
 * Applies action or command `fn` to the loaded state with the arguments of
 * tuple `item` (acting). Returns APPLY_DONE, APPLY_FAILED (state unchanged) or
 * a status code >= 10.
 */
export function apply(fn: i32, item: u64): i32 {
  resetStatus();
  resetVm();
  const n = seqLen(item);
  if (funcField(fn, 1) != n - 1) { failWith(ST_ERR_ARITY, <u64>fn, item); return status; }
  const mark = trailTop;
  for (let i = 1; i < n; i++) push(<u64>load<u64>(seqAt(item, i)));
  if (status != ST_RUNNING) return status;
  const r = run(fn);
  if (r == R_SUCCEED) return APPLY_DONE;
  if (r == R_FAIL) { undoTo(mark); return APPLY_FAILED; }
  return status;
}

/**
 * Writes the call's figures at p as 9 f64 (slots, trail peak, choice peak,
 * arena peak, plan length, expansions, backtracks, deepest depth, plan cost): one call
 * from the host instead of eight.
 */
export function statsTo(p: usize): void {
  store<f64>(p, <f64>slotCount, STAT_SLOTS << 3); store<f64>(p, <f64>trailPeak, STAT_TRAIL_PEAK << 3);
  store<f64>(p, <f64>choicePeak, STAT_CHOICE_PEAK << 3); store<f64>(p, <f64>arenaPeak, STAT_ARENA_PEAK << 3);
  store<f64>(p, <f64>planLen, STAT_PLAN_LEN << 3); store<f64>(p, <f64>expansions, STAT_EXPANSIONS << 3);
  store<f64>(p, backtracks, STAT_BACKTRACKS << 3); store<f64>(p, <f64>maxDepthSeen, STAT_MAX_DEPTH << 3);
  store<f64>(p, planCost, STAT_COST << 3);
}

/** Slots in use: how much of the state `apply` left for the host to read. */
export function getSlotCount(): i32 { return slotCount; }
/** End of the trace events written since the buffer last started again. */
export function getTraceTop(): usize { return traceTop; }
/** First byte past the engine's own static data: the host places the domain's tables from here. */
export function getHeapBase(): usize { return __heap_base; }

/**
 * Loads n (var symbol, key, value) words triples from `ptr` into the emptied
 * state, in order, so each variable's keys keep the problem's order.
 * Returns 0, or a space status when the state tables are full.
 */
export function loadState(ptr: usize, n: i32): i32 {
  resetStatus();
  stateReset();
  for (let i = 0; i < n; i++) {
    const p = ptr + <usize>i * STATE_INPUT_BYTES;
    if (!stateInit(<u32>load<u64>(p), load<u64>(p, 8), load<u64>(p, 16))) return status;
  }
  return 0;
}
