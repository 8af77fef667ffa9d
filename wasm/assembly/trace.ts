// The optional structured trace: events written to the trace buffer, which
// the host takes when it is full (server/src/planner/runtime/engine-trace.ts).
import { TRACE, TRACE_END } from './layout';
import { NIL, TAG_TUPLE, TAG_MG, tagOf, payload, isNum, seqLen, seqAt } from './values';

@external("env", "traceFlush") declare function hostTraceFlush(): i32;

// Trace event kinds (server/src/planner/runtime/engine-status.ts mirrors them).
export const EV_TODO: i32 = 1;
export const EV_METHOD_TRIED: i32 = 2;
export const EV_METHOD_FAILED: i32 = 3;
export const EV_ACTION_APPLIED: i32 = 4;
export const EV_ACTION_FAILED: i32 = 5;
export const EV_GOAL_ACHIEVED: i32 = 6;
export const EV_GOAL_VERIFIED: i32 = 7;
export const EV_BACKTRACK: i32 = 8;

/** The call's trace level (0: no trace). */
export let traceLevel: i32 = 0;
export let traceTop: usize = 0;
export let traceTruncated: bool = false;

/** A new call's trace, at this level. */
export function traceReset(level: i32): void { traceLevel = level; traceTop = TRACE; traceTruncated = false; }

/** Records a trace event when the call traces at this level (checked inline: most calls do not trace). */
@inline export function trace(level: i32, kind: i32, depth: i32, fn: i32, item: u64): void {
  if (traceLevel >= level) traceEvent(kind, depth, fn, item);
}

function traceEvent(kind: i32, depth: i32, fn: i32, item: u64): void {
  if (traceTruncated) return;
  const t = tagOf(item);
  const n = t == TAG_TUPLE ? seqLen(item) : 1;
  const need = 16 + (<usize>n << 3);
  if (traceTop + need > TRACE_END) {
    // Full: the host takes the events so far and the buffer starts again, unless it will take no more.
    if (hostTraceFlush() == 0 || TRACE + need > TRACE_END) { traceTruncated = true; return; }
    traceTop = TRACE;
  }
  store<i32>(traceTop, kind | (t == TAG_MG ? 0x100 : 0)); store<i32>(traceTop, depth, 4);
  store<i32>(traceTop, fn, 8); store<i32>(traceTop, n, 12);
  if (t == TAG_TUPLE) {
    for (let i = 0; i < n; i++) {
      const e = load<u64>(seqAt(item, i));
      store<u64>(traceTop + 16 + (<usize>i << 3), isNum(e) || tagOf(e) <= 3 ? e : NIL);
    }
  } else store<u64>(traceTop + 16, t == TAG_MG ? load<u64>(<usize>payload(item)) : item);
  traceTop += need;
}

