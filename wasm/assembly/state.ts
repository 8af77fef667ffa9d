// The state: state variable x key -> value, coded in flat arrays. A hash
// table maps (variable symbol, key) to a slot; each variable keeps its slots
// in a linked list in the order keys were added (GTPyhop iterates dicts in
// insertion order, and plans depend on it). Writes go through an undo trail,
// so backtracking restores the state without copying it.
import {
  HASH, HASH_CAP, SLOTS, SLOT_CAP, VARLIST, TRAIL, TRAIL_CAP, NSYMS, KEYS, KEYS_END, DENSE, DENSE_ROWS, DENSE_K, VARROW,
} from './layout';

let denseRows: i32 = 0;

/** A key's column in the dense index, or -1 when it has none. */
@inline function denseColumn(key: u64): i32 {
  if (isNum(key)) {
    const x = f(key);
    const i = <i32>x;
    return <f64>i == x && i >= 0 && i < DENSE_K ? NSYMS + i : -1;
  }
  return tagOf(key) == TAG_SYM ? <i32>payload(key) : -1;
}
/** Byte address of a variable's dense row (VARROW holds it; 0: the variable has none). */
@inline function rowAddr(row: i32): usize { return DENSE + ((<usize>row * <usize>(NSYMS + DENSE_K)) << 2); }
@inline function varRow(varSym: u32): usize { return <usize>load<u32>(VARROW + (<usize>varSym << 2)); }

/** Next free byte of the key heap, where tuple keys are copied to outlive backtracking. */
let keysTop: usize = 0;
import { ABSENT, NIL, TAG_TUPLE, TAG_SYM, hashKey, canonKey, keyBits, keyEq, tagOf, seqLen, seqAt, box, payload, isNum, f } from './values';
import { fail, ST_SPACE_SLOTS, ST_SPACE_TRAIL, ST_SPACE_KEYS } from './status';
import { pinFor } from './arena';
import {
  SLOT_BYTES, SLOT_KEY, SLOT_VAR, SLOT_NEXT, HASH_ENTRY_BYTES, HASH_VAR, HASH_SLOT, TRAIL_ENTRY_BYTES, TRAIL_SLOT, TRAIL_OLD,
} from './abi';
import { noteWrite, noteNewSlot, noteRead, readsReset, varDep } from './reads';

export let slotCount: i32 = 0;
/** Goes up with every change of the state (writes and undos), so a check of it can be skipped while it stays. */
export let stateVersion: u32 = 0;
export let trailTop: i32 = 0;
/** Deepest the trail went: a memory statistic. */
export let trailPeak: i32 = 0;

@inline function slotAddr(s: i32): usize { return SLOTS + <usize>s * SLOT_BYTES; }
@inline export function slotValue(s: i32): u64 { return load<u64>(slotAddr(s)); }
@inline export function slotKey(s: i32): u64 { return load<u64>(slotAddr(s), SLOT_KEY); }
@inline export function slotVar(s: i32): u32 { return load<u32>(slotAddr(s), SLOT_VAR); }
@inline export function slotNext(s: i32): i32 { return load<i32>(slotAddr(s), SLOT_NEXT); }
/** First slot of a variable's key list: a read of the whole variable (reads.ts). */
@inline export function varHead(sym: u32): i32 { noteRead(varDep(sym)); return load<i32>(VARLIST + (<usize>sym << 3)); }

/** Where the hash table was last emptied, and whether a key has gone into it since. */
let hashCleanAt: usize = 0;
let hashCleanCap: i32 = 0;
let hashDirty: bool = true;

/** Empties the state; called before the host loads a problem's state. */
export function stateReset(): void {
  slotCount = 0;
  stateVersion++;
  trailTop = 0;
  trailPeak = 0;
  keysTop = KEYS;
  denseRows = 0;
  memory.fill(VARROW, 0, <usize>NSYMS << 2);
  // The hash table is emptied only when a key went into it since it was last emptied here: keys
  // with a dense row (most) never do, and emptying it costs more than a small problem's search.
  if (hashDirty || HASH != hashCleanAt || HASH_CAP != hashCleanCap) {
    memory.fill(HASH, 0xFF, <usize>HASH_CAP * HASH_ENTRY_BYTES);
    hashCleanAt = HASH; hashCleanCap = HASH_CAP; hashDirty = false;
  }
  memory.fill(VARLIST, 0xFF, <usize>NSYMS << 3);
  readsReset();
}

/**
 * The slot of (var, key), or -1. Inlined: most keys are symbols or small
 * integers of a variable with a dense row, one load away; the rest go to
 * the hash table.
 */
@inline export function findSlot(varSym: u32, key0: u64): i32 {
  const key = canonKey(key0);
  const row = varRow(varSym);
  if (row != 0) {
    const col = denseColumn(key);
    if (col >= 0) return load<i32>(row + (<usize>col << 2));
  }
  return findHashed(varSym, key);
}

/** The slot of (var, canonical key) in the hash table, or -1. */
function findHashed(varSym: u32, key: u64): i32 {
  // No key went into the table since it was emptied (every key so far had a dense column): nothing to find.
  if (!hashDirty) return -1;
  const mask = <u32>(HASH_CAP - 1);
  let i = hashKey(varSym, keyBits(key)) & mask;
  while (true) {
    const e = HASH + <usize>i * HASH_ENTRY_BYTES;
    const s = load<i32>(e, HASH_SLOT);
    if (s < 0) return -1;
    if (load<u32>(e, HASH_VAR) == varSym && keyEq(load<u64>(e), key)) return s;
    i = (i + 1) & mask;
  }
}

function newSlot(varSym: u32, key0: u64): i32 {
  let key = canonKey(key0);
  // Keep the hash at most half full so probes stay short.
  if (slotCount >= SLOT_CAP || (slotCount << 1) >= HASH_CAP) { fail(ST_SPACE_SLOTS); return -1; }
  if (tagOf(key) == TAG_TUPLE) {
    // The key tuple may sit in the arena, which backtracking reclaims: copy it.
    const n = seqLen(key);
    const bytes = (<usize>n + 1) << 3;
    if (keysTop + bytes > KEYS_END) { fail(ST_SPACE_KEYS); return -1; }
    const p = keysTop;
    store<u64>(p, <u64>n);
    for (let j = 0; j < n; j++) store<u64>(p + 8 + (<usize>j << 3), canonKey(load<u64>(seqAt(key, j))));
    keysTop += bytes;
    key = box(TAG_TUPLE, <u32>p);
  }
  const s = slotCount++;
  noteNewSlot(s);
  const a = slotAddr(s);
  store<u64>(a, ABSENT);
  store<u64>(a, key, SLOT_KEY);
  store<u32>(a, varSym, SLOT_VAR);
  store<i32>(a, -1, SLOT_NEXT);
  const vl = VARLIST + (<usize>varSym << 3);
  const tail = load<i32>(vl, 4);
  if (tail < 0) store<i32>(vl, s); else store<i32>(slotAddr(tail), s, SLOT_NEXT);
  store<i32>(vl, s, 4);
  let row = varRow(varSym);
  if (row == 0 && denseRows < DENSE_ROWS) {
    // The variable's first key: give it a dense row while rows last.
    row = rowAddr(denseRows++);
    store<u32>(VARROW + (<usize>varSym << 2), <u32>row);
    memory.fill(row, 0xFF, <usize>(NSYMS + DENSE_K) << 2);
  }
  if (row != 0) {
    const col = denseColumn(key);
    if (col >= 0) { store<i32>(row + (<usize>col << 2), s); return s; }
  }
  const mask = <u32>(HASH_CAP - 1);
  let i = hashKey(varSym, keyBits(key)) & mask;
  while (load<i32>(HASH + <usize>i * HASH_ENTRY_BYTES, HASH_SLOT) >= 0) i = (i + 1) & mask;
  const e = HASH + <usize>i * HASH_ENTRY_BYTES;
  hashDirty = true;
  store<u64>(e, key);
  store<u32>(e, varSym, HASH_VAR);
  store<i32>(e, s, HASH_SLOT);
  return s;
}

/**
 * findSlot for a read of the state: noted for the helper memo (reads.ts);
 * a missing key depends on the whole variable (a write may add it).
 */
@inline export function readSlot(varSym: u32, key: u64): i32 {
  const s = findSlot(varSym, key);
  noteRead(s >= 0 ? s : varDep(varSym));
  return s;
}

/** state[var][key], or nil when the key is absent. */
@inline export function stateGet(varSym: u32, key: u64): u64 {
  const s = readSlot(varSym, key);
  if (s < 0) return NIL;
  const v = slotValue(s);
  return v == ABSENT ? NIL : v;
}

/** Whether state[var] has key. */
export function stateHas(varSym: u32, key: u64): bool {
  const s = readSlot(varSym, key);
  return s >= 0 && slotValue(s) != ABSENT;
}

/** Sets state[var][key] without recording undo (loading the initial state). */
export function stateInit(varSym: u32, key: u64, value: u64): bool {
  let s = findSlot(varSym, key);
  if (s < 0) s = newSlot(varSym, key);
  if (s < 0) return false;
  store<u64>(slotAddr(s), value);
  stateVersion++;
  // No write stamp: a new state has no memo entries yet (its slots and variables start at clock 0).
  return true;
}

/** Sets state[var][key], recording the old value on the trail. */
export function stateSet(varSym: u32, key: u64, value: u64): bool {
  // A list or tuple made while planning now lives in the state: the arena below it must stay.
  pinFor(value);
  let s = findSlot(varSym, key);
  if (s < 0) s = newSlot(varSym, key);
  if (s < 0) return false;
  if (trailTop >= TRAIL_CAP) { fail(ST_SPACE_TRAIL); return false; }
  if (slotValue(s) == ABSENT) moveToTail(varSym, s);
  const t = TRAIL + <usize>trailTop * TRAIL_ENTRY_BYTES;
  store<i32>(t, s, TRAIL_SLOT);
  store<u64>(t, slotValue(s), TRAIL_OLD);
  trailTop++;
  if (trailTop > trailPeak) trailPeak = trailTop;
  store<u64>(slotAddr(s), value);
  stateVersion++;
  noteWrite(s, varSym);
  return true;
}

/**
 * Puts slot s last in its variable's key list: a key that backtracking
 * removed and a write adds again comes after the keys added meanwhile, as
 * in GTPyhop's copied dict, which never had it. (Undoing this write makes
 * it absent again, where its place does not matter.)
 */
function moveToTail(varSym: u32, s: i32): void {
  const vl = VARLIST + (<usize>varSym << 3);
  const tail = load<i32>(vl, 4);
  if (tail == s) return;
  let p = load<i32>(vl);
  if (p == s) store<i32>(vl, slotNext(s));
  else {
    while (slotNext(p) != s) p = slotNext(p);
    store<i32>(slotAddr(p), slotNext(s), SLOT_NEXT);
  }
  store<i32>(slotAddr(tail), s, SLOT_NEXT);
  store<i32>(slotAddr(s), -1, SLOT_NEXT);
  store<i32>(vl, s, 4);
}

/** Forgets every recorded write: nothing can be undone past this point any more. */
export function truncateTrail(): void { trailTop = 0; }

/** Undoes every write after mark. A key added since stays in the table as absent. */
export function undoTo(mark: i32): void {
  if (trailTop > mark) stateVersion++;
  while (trailTop > mark) {
    trailTop--;
    const t = TRAIL + <usize>trailTop * TRAIL_ENTRY_BYTES;
    const s = load<i32>(t, TRAIL_SLOT);
    store<u64>(slotAddr(s), load<u64>(t, TRAIL_OLD));
    noteWrite(s, slotVar(s));
  }
}

/** First present slot of var's key list at or after slot s (-1 when none). */
export function nextPresent(s: i32): i32 {
  while (s >= 0 && slotValue(s) == ABSENT) s = slotNext(s);
  return s;
}
