// Goals in the search: GTPyhop's m_split_multigoal, and the verification
// items that follow a goal method's subgoals when verify_goals is on.
import {
  NIL, TAG_SYM, TAG_TUPLE, TAG_LIST, TAG_VERIFY_G, TAG_VERIFY_MG, tagOf, payload, box, seqAt, equals, mgCount, mgTriple,
} from './values';
import { stateGet, stateVersion } from './state';
import { alloc, cons } from './arena';
import { push } from './vm';
import * as V from './vm';

// A unigoal's verification item points at [fn, var, key, value, depth]; a
// multigoal's at [fn, mg, depth, count], count being the verifications it
// stands for (merged ones included). u64 words; the search reads them here.
const VG_FN: usize = 0;
const VG_VAR: usize = 8;
const VG_KEY: usize = 16;
const VG_VALUE: usize = 24;
const VG_DEPTH: usize = 32;
const VM_FN: usize = 0;
const VM_MG: usize = 8;
const VM_DEPTH: usize = 16;
const VM_COUNT: usize = 24;

/** Fields of a verification item (TAG_VERIFY_G or TAG_VERIFY_MG): the method it follows and the item's depth. */
@inline export function verifyFn(item: u64): u64 { return load<u64>(<usize>payload(item), VG_FN); }
@inline export function verifyGoalDepth(item: u64): u64 { return load<u64>(<usize>payload(item), VG_DEPTH); }
@inline export function verifyMgDepth(item: u64): u64 { return load<u64>(<usize>payload(item), VM_DEPTH); }
/** The unigoal a TAG_VERIFY_G item checks: its variable (a symbol word), key and value. */
@inline export function verifyVar(item: u64): u64 { return load<u64>(<usize>payload(item), VG_VAR); }
@inline export function verifyKey(item: u64): u64 { return load<u64>(<usize>payload(item), VG_KEY); }
@inline export function verifyValue(item: u64): u64 { return load<u64>(<usize>payload(item), VG_VALUE); }
/** The multigoal a TAG_VERIFY_MG item checks. */
@inline export function verifyMg(item: u64): u64 { return load<u64>(<usize>payload(item), VM_MG); }

/** GTPyhop's m_split_multigoal: the unachieved goals as unigoals, then the multigoal again. */
export function splitMultigoal(mg: u64): u64 {
  const n = mgCount(mg);
  const base = V.vsp;
  let k = 0;
  for (let i = 0; i < n; i++) {
    const t = mgTriple(mg, i);
    const v = <u32>load<u64>(t); const key = load<u64>(t, 8); const val = load<u64>(t, 16);
    if (equals(stateGet(v, key), val)) continue;
    const p = alloc(4);
    if (p == 0) return NIL;
    store<u64>(p, 3); store<u64>(p, box(TAG_SYM, v), 8); store<u64>(p, key, 16); store<u64>(p, val, 24);
    push(box(TAG_TUPLE, <u32>p));
    k++;
  }
  const p = alloc(k + 2);
  if (p == 0) return NIL;
  if (k == 0) { store<u64>(p, 0); return box(TAG_LIST, <u32>p); }
  store<u64>(p, <u64>(k + 1));
  for (let i = 0; i < k; i++) store<u64>(p + 8 + (<usize>i << 3), load<u64>(V.VSTACK_ADDR(base + i)));
  store<u64>(p + 8 + (<usize>k << 3), mg);
  V.setVsp(base);
  return box(TAG_LIST, <u32>p);
}

/**
 * The multigoal last found achieved, and the state version it was found in:
 * verifications of one multigoal checked in an unchanged state (several
 * methods' items at the end of a plan) are not checked again.
 */
let verifiedMg: u64 = 0;
let verifiedVersion: u32 = 0;

/** Forgets the multigoal last verified: the arena from `low` up is about to be reused, and another multigoal may come to sit at its address. */
export function forgetVerified(low: usize): void {
  if (verifiedMg != 0 && <usize>payload(verifiedMg) >= low) verifiedMg = 0;
}

/** Whether every goal of mg holds in the state. */
export function mgAchieved(mg: u64): bool {
  if (mg == verifiedMg && stateVersion == verifiedVersion) return true;
  if (!mgCheck(mg)) return false;
  verifiedMg = mg;
  verifiedVersion = stateVersion;
  return true;
}

function mgCheck(mg: u64): bool {
  const n = mgCount(mg);
  for (let i = 0; i < n; i++) {
    const t = mgTriple(mg, i);
    if (!equals(stateGet(<u32>load<u64>(t), load<u64>(t, 8)), load<u64>(t, 16))) return false;
  }
  return true;
}

// A multigoal verification item is [fn, mg, depth, count]: `count` verifications
// of mg after method fn, one after the other in the todo list. A recursive
// multigoal method (blocks_gtn's m_moveblocks returns [..., mgoal]) is applied
// again right in front of its own pending verification, so GTPyhop's todo list
// gains one verification per application. Adjacent identical verifications
// check the same multigoal in the same state: the first one decides (an error
// names its depth, the deepest), so one item stands for them all, and the
// memory of a recursion does not grow with its length. `count` keeps the
// depth of the items after them GTPyhop's.

/**
 * When rest starts with a verification of mg after method fn, the number of
 * verifications it stands for; else 0. A new verification put in front of
 * it then replaces it.
 */
export function mergeableCount(rest: usize, fn: i32, mg: u64): u64 {
  if (rest == 0) return 0;
  const head = load<u64>(rest);
  if (tagOf(head) != TAG_VERIFY_MG) return 0;
  const q = <usize>payload(head);
  return load<u64>(q, VM_FN) == <u64>fn && load<u64>(q, VM_MG) == mg ? load<u64>(q, VM_COUNT) : 0;
}

/** How many todo items a verification item stands for (the search's depth goes up by as many). */
export function verifyCount(item: u64): i32 {
  return tagOf(item) == TAG_VERIFY_MG ? <i32>load<u64>(<usize>payload(item), VM_COUNT) : 1;
}

/**
 * Puts the verification of unigoal (gVar, key, val) after method fn in front
 * of rest. The goal's fields are passed, not its tuple: the tuple may lie in
 * memory the method's result was just compacted over.
 * Returns the new cell, or 0 when the arena is full.
 */
export function pushVerifyGoal(fn: i32, gVar: u64, key: u64, val: u64, depth: i32, rest: usize): usize {
  const p = alloc(5);
  if (p == 0) return 0;
  store<u64>(p, <u64>fn, VG_FN); store<u64>(p, gVar, VG_VAR); store<u64>(p, key, VG_KEY); store<u64>(p, val, VG_VALUE);
  store<u64>(p, <u64>depth, VG_DEPTH);
  return cons(box(TAG_VERIFY_G, <u32>p), rest);
}

/**
 * Puts the verification of multigoal mg after method fn in front of rest;
 * `merged` verifications it replaces. Returns the new cell, or 0 when the
 * arena is full.
 */
export function pushVerifyMg(fn: i32, mg: u64, depth: i32, rest: usize, merged: u64): usize {
  const p = alloc(4);
  if (p == 0) return 0;
  store<u64>(p, <u64>fn, VM_FN); store<u64>(p, mg, VM_MG); store<u64>(p, <u64>depth, VM_DEPTH); store<u64>(p, merged + 1, VM_COUNT);
  return cons(box(TAG_VERIFY_MG, <u32>p), rest);
}
