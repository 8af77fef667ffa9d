// The engine's exports: numbers and addresses only. The typed wrapper is
// server/src/planner/runtime/engine.ts. Runtime: `stub` (no garbage collector): the
// engine never allocates from the AssemblyScript heap; every region lives at
// an address the host chose, so a planning call is free of allocator work and
// a trap only ever costs the instance, which the host then rebuilds.
export { configure, setDense, DENSE, VARROW, NSYMS, DENSE_K, SLOTS, VARLIST, TRAIL, TRAIL_CAP, ARENA_END } from './layout';
export { stateReset, stateInit, trailTop, trailPeak, stateVersion } from './state';
export { arenaReset, arenaFloor, arenaTop, arenaPeak, planHeap } from './arena';
export { setReadRegions, SLOTW, VARW, VARDEP, REC, REC_END, writeClock, memoEpoch, recOn, recTop, recPoison } from './reads';
export { setDeadline, setJitBase, retVal } from './vm';
export * from './rt';
export { status } from './status';

/** Builds the index of a multigoal the host wrote at address p. */
export function mgIndex(p: usize): void { mgBuildIndex(box(TAG_MG, <u32>p)); }
import { stateReset, slotCount, trailPeak, stateInit, undoTo, trailTop } from './state';
import { arenaReset, arenaTop, arenaPeak } from './arena';
import { resetStatus, status, ST_RUNNING, ST_ERR_ARITY, failWith } from './status';
import { resetVm, run, push, R_SUCCEED, R_FAIL, funcField } from './vm';
import { setSearch, search, planLen, expansions, backtracks, maxDepthSeen, choicePeak } from './search';
import { traceTop, traceTruncated } from './trace';
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
 * tuple `item` (acting). Returns 1 (applied), 0 (failed, state unchanged) or
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
  if (r == R_SUCCEED) return 1;
  if (r == R_FAIL) { undoTo(mark); return 0; }
  return status;
}

/**
 * Writes the call's figures at p as 8 f64 (slots, trail peak, choice peak,
 * arena peak, plan length, expansions, backtracks, deepest depth): one call
 * from the host instead of eight.
 */
export function statsTo(p: usize): void {
  store<f64>(p, <f64>slotCount); store<f64>(p, <f64>trailPeak, 8); store<f64>(p, <f64>choicePeak, 16);
  store<f64>(p, <f64>arenaPeak, 24); store<f64>(p, <f64>planLen, 32); store<f64>(p, <f64>expansions, 40);
  store<f64>(p, backtracks, 48); store<f64>(p, <f64>maxDepthSeen, 56);
}

export function getPlanLen(): i32 { return planLen; }
export function getExpansions(): f64 { return <f64>expansions; }
export function getBacktracks(): f64 { return backtracks; }
export function getMaxDepth(): i32 { return maxDepthSeen; }
export function getSlotCount(): i32 { return slotCount; }
export function getTrailPeak(): i32 { return trailPeak; }
export function getArenaTop(): usize { return arenaTop; }
export function getArenaPeak(): usize { return arenaPeak; }
export function getChoicePeak(): i32 { return choicePeak; }
export function getTraceTop(): usize { return traceTop; }
export function getTraceTruncated(): i32 { return traceTruncated ? 1 : 0; }
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
    const p = ptr + <usize>i * 24;
    if (!stateInit(<u32>load<u64>(p), load<u64>(p, 8), load<u64>(p, 16))) return status;
  }
  return 0;
}
