// Values are 64-bit words. A number is its IEEE-754 bits; every other value is
// a NaN-boxed word whose top 16 bits are 0xFFF8, with a tag in bits 32..47 and
// a 32-bit payload (a symbol id, a boolean, or the byte address of a heap
// object). Computed NaNs are canonicalised to a positive quiet NaN, so no
// number is ever mistaken for a tagged word.

export {
  TAG_SYM, TAG_BOOL, TAG_NIL, TAG_TUPLE, TAG_LIST, TAG_SET, TAG_MAP, TAG_MG, TAG_VARREF, TAG_MGVAR, TAG_ABSENT, TAG_VERIFY_G,
  TAG_VERIFY_MG,
} from './abi';
import {
  BOX_HI, TAG_SYM, TAG_BOOL, TAG_NIL, TAG_TUPLE, TAG_LIST, TAG_SET, TAG_MAP, TAG_MG, TAG_VARREF, TAG_MGVAR, TAG_ABSENT,
  MG_HEADER_BYTES, MG_TRIPLE_BYTES,
} from './abi';

export const BOX: u64 = <u64>BOX_HI << 48;
export const CANON_NAN: u64 = 0x7FF8000000000000;

export const NIL: u64 = BOX | (<u64>TAG_NIL << 32);
export const TRUE: u64 = BOX | (<u64>TAG_BOOL << 32) | 1;
export const FALSE: u64 = BOX | (<u64>TAG_BOOL << 32);
export const ABSENT: u64 = BOX | (<u64>TAG_ABSENT << 32);

@inline export function isNum(v: u64): bool { return (v >> 48) != <u64>BOX_HI; }
@inline export function tagOf(v: u64): u32 { return isNum(v) ? 0 : <u32>((v >> 32) & 0xFFFF); }
@inline export function payload(v: u64): u32 { return <u32>v; }
@inline export function box(tag: u32, p: u32): u64 { return BOX | (<u64>tag << 32) | <u64>p; }
@inline export function num(x: f64): u64 { return x != x ? CANON_NAN : reinterpret<u64>(x); }
@inline export function f(v: u64): f64 { return reinterpret<f64>(v); }
@inline export function boolv(b: bool): u64 { return b ? TRUE : FALSE; }

/** Element count of a tuple, list or set (first word of the object). */
@inline export function seqLen(v: u64): i32 { return <i32>load<u64>(<usize>payload(v)); }
/** Address of element i of a tuple, list or set. */
@inline export function seqAt(v: u64, i: i32): usize { return <usize>payload(v) + 8 + (<usize>i << 3); }

// Multigoal object: [name sym, count, cap] then count triples (var, key, value),
// then cap words of index (triple index + 1, 0 = empty).
@inline export function mgCount(mg: u64): i32 { return <i32>load<u64>(<usize>payload(mg) + 8); }
@inline export function mgCap(mg: u64): i32 { return <i32>load<u64>(<usize>payload(mg) + 16); }
@inline export function mgTriple(mg: u64, i: i32): usize { return <usize>payload(mg) + MG_HEADER_BYTES + <usize>i * MG_TRIPLE_BYTES; }

/**
 * Hash of a (variable, scalar key) pair: one multiply (Fibonacci hashing);
 * callers mask the high bits they use. server/src/planner/runtime/engine-memory.ts
 * computes the same function.
 */
@inline export function hashKey(varSym: u32, key: u64): u32 {
  const h: u64 = (key ^ (key >> 29) ^ (<u64>varSym << 40)) * 0x9E3779B97F4A7C15;
  return <u32>(h >> 32);
}

/** State and multigoal keys are scalars compared by their bits; -0 is stored as 0. */
@inline export function canonKey(k: u64): u64 { return k == 0x8000000000000000 ? 0 : k; }

/** Whether a value is a scalar: a symbol, number, boolean or nil. */
@inline export function isScalar(v: u64): bool { return isNum(v) || tagOf(v) <= TAG_NIL; }

/** Whether a value can be a state key: a scalar, or a tuple of scalars (n-ary facts). */
export function isKey(v: u64): bool {
  if (isScalar(v)) return true;
  if (tagOf(v) != TAG_TUPLE) return false;
  const n = seqLen(v);
  for (let i = 0; i < n; i++) if (!isScalar(load<u64>(seqAt(v, i)))) return false;
  return true;
}

/** The bits a key hashes by: a scalar's own, or a tuple's elements folded (FNV-style). */
@inline export function keyBits(k: u64): u64 {
  if (tagOf(k) != TAG_TUPLE) return k;
  return tupleBits(k);
}
function tupleBits(k: u64): u64 {
  let h: u64 = 0xCBF29CE484222325;
  const n = seqLen(k);
  for (let i = 0; i < n; i++) h = (h ^ canonKey(load<u64>(seqAt(k, i)))) * 0x100000001B3;
  return h ^ <u64>n;
}

/** Key equality: bits for scalars, element bits for tuple keys. */
@inline export function keyEq(stored: u64, k: u64): bool {
  if (stored == k) return true;
  if (tagOf(k) != TAG_TUPLE || tagOf(stored) != TAG_TUPLE) return false;
  return tupleKeyEq(stored, k);
}
function tupleKeyEq(a: u64, b: u64): bool {
  const n = seqLen(a);
  if (n != seqLen(b)) return false;
  for (let i = 0; i < n; i++) if (canonKey(load<u64>(seqAt(a, i))) != canonKey(load<u64>(seqAt(b, i)))) return false;
  return true;
}

// A one-entry cache: methods test `k in mg.v` and then read `mg.v[k]`.
let cacheMg: u64 = 0;
let cacheVar: u32 = 0;
let cacheKey: u64 = 0;
let cacheAt: i32 = 0;
/** Forgets the cache; called whenever arena memory (where multigoals live) is reused. */
export function mgCacheClear(): void { cacheMg = 0; }

/** Index of the triple (var, key) in a multigoal, or -1. */
export function mgFind(mg: u64, varSym: u32, key0: u64): i32 {
  const key = canonKey(key0);
  if (mg == cacheMg && varSym == cacheVar && key == cacheKey) return cacheAt;
  const r = mgFindUncached(mg, varSym, key);
  cacheMg = mg; cacheVar = varSym; cacheKey = key; cacheAt = r;
  return r;
}

function mgFindUncached(mg: u64, varSym: u32, key: u64): i32 {
  const cap = mgCap(mg);
  if (cap == 0) return -1;
  const base = mgTriple(mg, mgCount(mg));
  const mask = <u32>(cap - 1);
  let i = hashKey(varSym, keyBits(key)) & mask;
  while (true) {
    const e = <i32>load<u64>(base + (<usize>i << 3));
    if (e == 0) return -1;
    const t = mgTriple(mg, e - 1);
    if (<u32>load<u64>(t) == varSym && keyEq(load<u64>(t + 8), key)) return e - 1;
    i = (i + 1) & mask;
  }
}

/**
 * Builds a multigoal's index from its triples (the host writes the triples,
 * the engine hashes them, so the two never disagree on the hash).
 * A repeated (var, key) keeps its first triple in the index.
 */
export function mgBuildIndex(mg: u64): void {
  const n = mgCount(mg), cap = mgCap(mg);
  const index = mgTriple(mg, n);
  memory.fill(index, 0, <usize>cap << 3);
  // The lookups below must see this index only, not a cached answer about the triples as they were.
  mgCacheClear();
  const mask = <u32>(cap - 1);
  for (let j = 0; j < n; j++) {
    const t = mgTriple(mg, j);
    const v = <u32>load<u64>(t); const k = canonKey(load<u64>(t, 8));
    store<u64>(t + 8, k);
    if (mgFind(mg, v, k) >= 0) continue;
    let h = hashKey(v, keyBits(k)) & mask;
    while (load<u64>(index + (<usize>h << 3)) != 0) h = (h + 1) & mask;
    store<u64>(index + (<usize>h << 3), <u64>(j + 1));
  }
  mgCacheClear();
}

/** Python's truth: false, nil, 0 and empty collections are false. */
export function truthy(v: u64): bool {
  if (isNum(v)) return f(v) != 0;
  const t = tagOf(v);
  if (t == TAG_BOOL) return payload(v) != 0;
  if (t == TAG_NIL || t == TAG_ABSENT) return false;
  if (t == TAG_TUPLE || t == TAG_LIST || t == TAG_SET) return seqLen(v) != 0;
  if (t == TAG_MAP) return seqLen(v) != 0;
  return true;
}

/** Python's `==`: numbers by value, collections by content (sets ignore order). */
@inline export function equals(a: u64, b: u64): bool {
  if (a == b) return a != CANON_NAN;
  if (isNum(a) && isNum(b)) return f(a) == f(b);
  if (isNum(a) || isNum(b)) return false;
  const ta = tagOf(a);
  if (ta <= TAG_NIL || ta != tagOf(b)) return false;
  return equalsDeep(a, b);
}

function equalsDeep(a: u64, b: u64): bool {
  const ta = tagOf(a);
  if (ta == TAG_TUPLE || ta == TAG_LIST) {
    const n = seqLen(a);
    if (n != seqLen(b)) return false;
    for (let i = 0; i < n; i++) if (!equals(load<u64>(seqAt(a, i)), load<u64>(seqAt(b, i)))) return false;
    return true;
  }
  if (ta == TAG_SET) {
    const n = seqLen(a);
    if (n != seqLen(b)) return false;
    for (let i = 0; i < n; i++) if (!seqContains(b, load<u64>(seqAt(a, i)))) return false;
    return true;
  }
  if (ta == TAG_MG) {
    const n = mgCount(a);
    if (n != mgCount(b)) return false;
    for (let i = 0; i < n; i++) {
      const t = mgTriple(a, i);
      const j = mgFind(b, <u32>load<u64>(t), load<u64>(t + 8));
      if (j < 0 || !equals(load<u64>(t + 16), load<u64>(mgTriple(b, j) + 16))) return false;
    }
    return true;
  }
  return false;
}

/** Membership in a tuple, list or set. */
export function seqContains(s: u64, x: u64): bool {
  const n = seqLen(s);
  for (let i = 0; i < n; i++) if (equals(load<u64>(seqAt(s, i)), x)) return true;
  return false;
}

// Map object: [count] then count (key, value) pairs, insertion order.
/** Address of the value for key in a map, or 0. */
export function mapFind(m: u64, key: u64): usize {
  const n = seqLen(m);
  const base = <usize>payload(m) + 8;
  for (let i = 0; i < n; i++) {
    const p = base + (<usize>i << 4);
    if (equals(load<u64>(p), key)) return p + 8;
  }
  return 0;
}
