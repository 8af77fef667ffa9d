// The optional structured trace: events written to the trace buffer, which
// the host takes when it is full (server/src/planner/engine-trace.ts).
import { TRACE, TRACE_END } from './layout';
import { NIL, TAG_NIL, TAG_TUPLE, TAG_MG, tagOf, payload, isNum, seqLen, seqAt } from './values';

@external("env", "traceFlush") declare function hostTraceFlush(): i32;

export {
  EV_TODO, EV_METHOD_TRIED, EV_METHOD_FAILED, EV_ACTION_APPLIED, EV_ACTION_FAILED, EV_GOAL_ACHIEVED, EV_GOAL_VERIFIED, EV_BACKTRACK,
} from './abi';
import { EV_MG_FLAG, EV_HEADER_BYTES } from './abi';

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
  const need = <usize>EV_HEADER_BYTES + (<usize>n << 3);
  if (traceTop + need > TRACE_END) {
    // Full: the host takes the events so far and the buffer starts again, unless it will take no more.
    if (hostTraceFlush() == 0 || TRACE + need > TRACE_END) { traceTruncated = true; return; }
    traceTop = TRACE;
  }
  store<i32>(traceTop, kind | (t == TAG_MG ? EV_MG_FLAG : 0)); store<i32>(traceTop, depth, 4);
  store<i32>(traceTop, fn, 8); store<i32>(traceTop, n, 12);
  if (t == TAG_TUPLE) {
    for (let i = 0; i < n; i++) {
      const e = load<u64>(seqAt(item, i));
      store<u64>(traceTop + EV_HEADER_BYTES + (<usize>i << 3), isNum(e) || tagOf(e) <= TAG_NIL ? e : NIL);
    }
  } else store<u64>(traceTop + EV_HEADER_BYTES, t == TAG_MG ? load<u64>(<usize>payload(item)) : item);
  traceTop += need;
}

