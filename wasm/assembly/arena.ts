// A bump arena for objects made while planning: tuples, lists, sets, mg.var
// cells, todo cells and verification items. Backtracking resets its top to
// the mark of the choice point, which frees everything made after it, so the
// search loop never calls a general allocator.
//
// The arena is a stack: objects lie in the order they were made, and a value
// only ever points to older objects (values are immutable), except inside a
// block that compaction copied, which moves as a whole. So everything a todo
// cell reaches lies below the cell's end, and once a method has returned,
// every byte above its todo list's rest (and the marks below it) that its
// result does not hold is garbage: `compact` is then given that lower mark.
//
// The plan's action items are copied to the other end of the region, a plan
// heap growing down from ARENA_END, so that they never pin the arena.
import { ARENA_END } from './layout';
import { fail, ST_SPACE_ARENA } from './status';
import { mgCacheClear } from './values';

export let arenaTop: usize = 0;
/** Highest arenaTop plus plan-heap bytes seen: the region's peak use, as an address. */
export let arenaPeak: usize = 0;
/** Where the call's arena starts (after the problem's objects): nothing below it is ever freed. */
export let arenaFloor: usize = 0;
/** Lowest byte of the plan heap, which grows down from ARENA_END. */
export let planHeap: usize = 0;
/**
 * Nothing below it may be freed early: an action wrote an arena object into
 * the state when the top was there (state values are roots too).
 */
export let pinTop: usize = 0;

export function arenaReset(top: usize): void {
  arenaTop = top; arenaPeak = top; arenaFloor = top; pinTop = top; planHeap = ARENA_END; mgCacheClear();
}
/** Keeps what the arena holds now when value, about to be written into the state, is an arena object. */
@inline export function pinFor(value: u64): void { if (isNew(value, arenaFloor) && arenaTop > pinTop) pinTop = arenaTop; }
/** Backtracking to a choice point made at arena mark `mark` undid the writes that pinned above it. */
@inline export function unpinTo(mark: usize): void { if (pinTop > mark) pinTop = mark; }
@inline export function arenaSet(top: usize): void { arenaTop = top; mgCacheClear(); }
/** Restores the plan heap to a choice point's mark (the plan is cut back with it). */
@inline export function planHeapSet(low: usize): void { planHeap = low; }

@inline function notePeak(): void {
  const used = arenaTop + (ARENA_END - planHeap);
  if (used > arenaPeak) arenaPeak = used;
}

/** Allocates n 8-byte words; 0 (and status ST_SPACE_ARENA) when full. */
@inline export function alloc(words: i32): usize {
  const p = arenaTop;
  const end = p + (<usize>words << 3);
  if (end > planHeap) { fail(ST_SPACE_ARENA); return 0; }
  arenaTop = end;
  notePeak();
  return p;
}

/**
 * Copies n words from src to dst, dst <= src or apart. Blocks here are a few
 * words: V8 runs memory.copy as a call out of the compiled code, which costs
 * more than the copy.
 */
@inline function copyWords(dst: usize, src: usize, n: i32): void {
  for (let i: usize = 0, e = <usize>n << 3; i < e; i += 8) store<u64>(dst + i, load<u64>(src + i));
}

/** Allocates n words from the plan heap; 0 (and status ST_SPACE_ARENA) when full. */
function planAlloc(words: i32): usize {
  const bytes = <usize>words << 3;
  if (planHeap - arenaTop < bytes) { fail(ST_SPACE_ARENA); return 0; }
  planHeap -= bytes;
  notePeak();
  return planHeap;
}

/**
 * Copies an applied action's item (and the arena objects it holds) to the
 * plan heap, where arena compaction never reaches; NIL when full.
 */
export function keepForPlan(item: u64): u64 {
  if (!isNew(item, arenaFloor)) return item;
  const p = <usize>payload(item);
  const words = seqLen(item) + 1;
  const q = planAlloc(words);
  if (q == 0) return NIL;
  copyWords(q, p, words);
  // Arguments are mostly symbols and numbers: only arena objects call the (recursive) copy.
  for (let i = 1; i < words; i++) {
    const a = q + (<usize>i << 3);
    const e = load<u64>(a);
    if (isNew(e, arenaFloor)) store<u64>(a, copyOut(e, arenaFloor, true));
  }
  return status == ST_RUNNING ? box(TAG_TUPLE, <u32>q) : NIL;
}

/** A todo cell [item, next]; next is a cell address or 0. */
@inline export function cons(item: u64, next: usize): usize {
  const p = alloc(2);
  if (p == 0) return 0;
  store<u64>(p, item);
  store<u64>(p, <u64>next, 8);
  return p;
}

import {
  NIL, TAG_TUPLE, TAG_LIST, TAG_SET, TAG_MAP, TAG_MG, TAG_MGVAR, tagOf, payload, box, seqLen, mgCount, mgCap, isNum,
} from './values';
import { status, ST_RUNNING } from './status';

// Objects a method makes while it runs (comprehension lists, mg.var cells,
// intermediate tuples) are garbage once it has returned, except what its
// decomposition holds. compact() keeps just that, so the arena grows with
// the plan, not with the work spent finding it.

/** Whether v is an object allocated at or after mark. */
@inline export function isNew(v: u64, mark: usize): bool {
  if (isNum(v)) return false;
  const t = tagOf(v);
  return t >= TAG_TUPLE && t <= TAG_MGVAR && <usize>payload(v) >= mark;
}

/** Words of v's own object (its header and slots). */
@inline function objectWords(v: u64, t: i32): i32 {
  if (t == TAG_TUPLE || t == TAG_LIST || t == TAG_SET) return seqLen(v) + 1;
  if (t == TAG_MAP) return seqLen(v) * 2 + 1;
  if (t == TAG_MG) return 3 + mgCount(v) * 3 + mgCap(v);
  return 2; // TAG_MGVAR cell [mg, var]
}

/** Larger than any arena: "some new object of the result lies below `first`". */
const BELOW: usize = 0x7fffffff;

/**
 * Bytes of the new objects (those at or after mark) reachable from v, an
 * object reached twice counted twice; BELOW when one of them lies below
 * `first`. When it equals what was allocated from `first` on, the result
 * alone fills that block and can move down as it is (a count too high only
 * costs a deep copy).
 */
function suffixBytes(v: u64, mark: usize, first: usize): usize {
  if (!isNew(v, mark)) return 0;
  const t = tagOf(v);
  const p = <usize>payload(v);
  if (p < first) return BELOW;
  const words = objectWords(v, t);
  let n = <usize>words << 3;
  if (t == TAG_TUPLE || t == TAG_LIST || t == TAG_SET || t == TAG_MAP) {
    // Elements are mostly symbols and numbers: only new objects cost a (recursive) call.
    for (let i = 0; i < words - 1 && n < BELOW; i++) {
      const e = load<u64>(p + 8 + (<usize>i << 3));
      if (isNew(e, mark)) n = sat(n, suffixBytes(e, mark, first));
    }
  } else if (t == TAG_MG) {
    const c = mgCount(v);
    for (let i = 0; i < c && n < BELOW; i++) {
      const a = p + 24 + <usize>i * 24;
      n = sat(sat(n, suffixBytes(load<u64>(a + 8), mark, first)), suffixBytes(load<u64>(a + 16), mark, first));
    }
  } else {
    n = sat(n, suffixBytes(load<u64>(p), mark, first));
  }
  return n;
}

/**
 * The end of the block a result literal such as [take(x), put(x, y), mg]
 * fills: a sequence whose new elements are sequences of old values laid out
 * right after it, in order. 0 when v is not of that shape (suffixBytes then
 * decides). A loop, not a recursive walk: it runs after every method.
 */
function flatBlockEnd(v: u64, mark: usize): usize {
  const t = tagOf(v);
  if (t < TAG_TUPLE || t > TAG_SET) return 0;
  const p = <usize>payload(v);
  const n = seqLen(v);
  let end = p + ((<usize>n + 1) << 3);
  for (let i = 0; i < n; i++) {
    const e = load<u64>(p + 8 + (<usize>i << 3));
    if (!isNew(e, mark)) continue;
    const te = tagOf(e);
    if (te < TAG_TUPLE || te > TAG_SET || <usize>payload(e) != end) return 0;
    const m = seqLen(e);
    for (let j = 0; j < m; j++) if (isNew(load<u64>(end + 8 + (<usize>j << 3)), mark)) return 0;
    end += (<usize>m + 1) << 3;
  }
  return end;
}

/** a + b, at most BELOW. */
@inline function sat(a: usize, b: usize): usize { return a >= BELOW || b >= BELOW || a + b >= BELOW ? BELOW : a + b; }

/** Deep-copies the new objects reachable from v to the arena top (toPlan: to the plan heap). */
function copyOut(v: u64, mark: usize, toPlan: bool = false): u64 {
  if (!isNew(v, mark)) return v;
  const t = tagOf(v);
  const p = <usize>payload(v);
  const words = objectWords(v, t);
  const q = toPlan ? planAlloc(words) : alloc(words);
  if (q == 0) return v;
  copyWords(q, p, words);
  // Re-point the value words that may hold new objects.
  if (t == TAG_TUPLE || t == TAG_LIST || t == TAG_SET || t == TAG_MAP) {
    for (let i = 0; i < words - 1; i++) {
      const a = q + 8 + (<usize>i << 3);
      const e = load<u64>(a);
      if (isNew(e, mark)) store<u64>(a, copyOut(e, mark, toPlan));
    }
  } else if (t == TAG_MG) {
    const n = mgCount(v);
    for (let i = 0; i < n; i++) {
      const a = q + 24 + <usize>i * 24;
      store<u64>(a + 8, copyOut(load<u64>(a + 8), mark, toPlan));
      store<u64>(a + 16, copyOut(load<u64>(a + 16), mark, toPlan));
    }
  } else {
    store<u64>(q, copyOut(load<u64>(q), mark, toPlan));
  }
  return box(t, <u32>q);
}

/**
 * Keeps only what v (a method's result) holds of the objects made since
 * mark, moved down to mark; returns v re-pointed.
 */
export function compact(v: u64, mark: usize): u64 {
  mgCacheClear();
  if (!isNew(v, mark)) { arenaTop = mark; return v; }
  // Compiled code writes a result literal last, so the result alone often fills the arena from its
  // own address up: then nothing is garbage (m_take's [pickup(x)]: nothing to do) or the block
  // moves down as it is, without a deep copy.
  const first = <usize>payload(v);
  if (flatBlockEnd(v, mark) == arenaTop || suffixBytes(v, mark, first) == arenaTop - first) {
    return first == mark ? v : moveDown(v, first, arenaTop - first, mark);
  }
  const start = arenaTop;
  const nv = copyOut(v, mark);
  if (status != ST_RUNNING) return v;
  return moveDown(nv, start, arenaTop - start, mark);
}

/**
 * Moves the block [start, start + len) down to mark, re-pointing the words
 * in it that point into it; returns v re-pointed. Counts, var ids and index
 * entries are plain integers and never look like boxed values.
 */
function moveDown(v: u64, start: usize, len: usize, mark: usize): u64 {
  const delta = start - mark;
  // One pass: each word is copied down (dst < src: a forward copy is safe) and re-pointed.
  for (let a = mark; a < mark + len; a += 8) {
    const w = load<u64>(a + delta);
    store<u64>(a, w);
    if (!isNum(w)) {
      const t = tagOf(w);
      const p = <usize>payload(w);
      if (t >= TAG_TUPLE && t <= TAG_MGVAR && p >= start && p < start + len) store<u64>(a, box(t, <u32>(p - delta)));
    }
  }
  arenaTop = mark + len;
  return box(tagOf(v), <u32>(<usize>payload(v) - delta));
}
