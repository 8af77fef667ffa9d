// Runtime functions for domain code compiled to WebAssembly (the JIT in
// server/src/planner/jit/). Generated code inlines the fast paths (number
// arithmetic, equal words) and calls these for everything else, so the
// semantics live in one place, shared with the bytecode interpreter.
import * as O from './opcodes';
import {
  NIL, TRUE, FALSE, ABSENT, TAG_VARREF, TAG_MGVAR, TAG_MG, TAG_TUPLE, TAG_LIST, TAG_SET, TAG_MAP, TAG_NIL,
  isNum, tagOf, payload, box, num, f, boolv, truthy, equals, seqLen, seqAt, mapFind, mgFind, mgTriple, mgCount, isKey, isScalar,
} from './values';
import { stateGet, stateHas, stateSet, findSlot, slotValue, varHead, nextPresent, slotKey, slotNext, readSlot } from './state';
import { alloc } from './arena';
import { clockWrap, record } from './reads';
import { failWith, fail, status, ST_RUNNING, ST_ERR_TYPE, ST_ERR_BAD_ITER, ST_ERR_STATE_VALUE, ST_ERR_CHOOSE, ST_ERR_CALL_DEPTH } from './status';
import {
  push, makeSeq, makeMultigoal, collectionSize, collectionAt, inValue, checkTime,
  chooseIdx, chooseN, choosePreset, MAX_CHOOSE, noteChoose,
} from './vm';

function typeErr(fn: i32, op: i32, a: u64, b: u64): u64 {
  failWith(ST_ERR_TYPE, <u64>fn, <u64>op, a, b);
  return NIL;
}

export function rt_stateGet(v: u32, k: u64): u64 { return stateGet(v, k); }

export function rt_varVal(v: u32): u64 {
  const sc = readSlot(v, NIL);
  return sc >= 0 && slotValue(sc) != ABSENT ? slotValue(sc) : box(TAG_VARREF, v);
}

export function rt_hasState(fn: i32, v: u32, k: u64): i32 {
  const sc = readSlot(v, NIL);
  if (sc >= 0 && slotValue(sc) != ABSENT) {
    const r = inValue(k, slotValue(sc));
    if (r < 0) { typeErr(fn, O.OP_IN, k, slotValue(sc)); return 0; }
    return r;
  }
  return stateHas(v, k) ? 1 : 0;
}

export function rt_stateSet(fn: i32, v: u32, k: u64, val: u64): void {
  const tv = tagOf(val);
  // Keys are mostly symbols and numbers: the tuple check is a call.
  const keyOk = isScalar(k) || isKey(k);
  if (!keyOk || tv == TAG_VARREF || tv == TAG_MGVAR) { failWith(ST_ERR_STATE_VALUE, <u64>fn, 0, keyOk ? val : k); return; }
  stateSet(v, k, val);
}

/** Any binary operator on any values (generated code inlines numbers). */
export function rt_binop(fn: i32, op: i32, a: u64, b: u64): u64 {
  if (op == O.OP_EQ) return boolv(equals(a, b));
  if (op == O.OP_NE) return boolv(!equals(a, b));
  if (op == O.OP_IN || op == O.OP_NOTIN) {
    const r = inValue(a, b);
    if (r < 0) return typeErr(fn, op, a, b);
    return boolv(op == O.OP_IN ? r == 1 : r == 0);
  }
  if (!isNum(a) || !isNum(b)) {
    const ta = tagOf(a);
    if (op == O.OP_ADD && ta == tagOf(b) && (ta == TAG_LIST || ta == TAG_TUPLE)) {
      const na = seqLen(a), nb = seqLen(b);
      for (let i = 0; i < na; i++) push(load<u64>(seqAt(a, i)));
      for (let i = 0; i < nb; i++) push(load<u64>(seqAt(b, i)));
      if (status != ST_RUNNING) return NIL;
      return makeSeq(ta, na + nb);
    }
    return typeErr(fn, op, a, b);
  }
  const x = f(a), y = f(b);
  switch (op) {
    case O.OP_ADD: return num(x + y);
    case O.OP_SUB: return num(x - y);
    case O.OP_MUL: return num(x * y);
    case O.OP_DIV: if (y == 0) return typeErr(fn, op, a, b); return num(x / y);
    case O.OP_FLOORDIV: if (y == 0) return typeErr(fn, op, a, b); return num(Math.floor(x / y));
    case O.OP_MOD: { if (y == 0) return typeErr(fn, op, a, b); let m = x % y; if (m != 0 && (m < 0) != (y < 0)) m += y; return num(m); }
    case O.OP_LT: return boolv(x < y);
    case O.OP_LE: return boolv(x <= y);
    case O.OP_GT: return boolv(x > y);
    case O.OP_GE: return boolv(x >= y);
    default: return typeErr(fn, op, a, b);
  }
}

export function rt_equals(a: u64, b: u64): i32 { return equals(a, b) ? 1 : 0; }
export function rt_truthy(v: u64): i32 { return truthy(v) ? 1 : 0; }

export function rt_index(fn: i32, b: u64, k: u64): u64 {
  const t = tagOf(b);
  if (t == TAG_VARREF) return stateGet(payload(b), k);
  if (t == TAG_MGVAR) {
    const cell = <usize>payload(b); const mg = load<u64>(cell);
    const j = mgFind(mg, <u32>load<u64>(cell, 8), k);
    return j >= 0 ? load<u64>(mgTriple(mg, j), 16) : NIL;
  }
  if (t == TAG_MAP) { const a = mapFind(b, k); return a != 0 ? load<u64>(a) : NIL; }
  if (t == TAG_TUPLE || t == TAG_LIST) {
    if (!isNum(k)) return typeErr(fn, O.OP_INDEX, b, k);
    let i = <i32>f(k); const n = seqLen(b);
    if (i < 0) i += n;
    return i >= 0 && i < n ? load<u64>(seqAt(b, i)) : NIL;
  }
  if (t == TAG_NIL) return NIL;
  return typeErr(fn, O.OP_INDEX, b, k);
}

export function rt_field(fn: i32, mg: u64, v: u32): u64 {
  if (tagOf(mg) != TAG_MG) return typeErr(fn, O.OP_FIELD, mg, NIL);
  const cell = alloc(2);
  if (cell == 0) return NIL;
  store<u64>(cell, mg); store<u64>(cell, <u64>v, 8);
  return box(TAG_MGVAR, <u32>cell);
}

export function rt_mgGet(fn: i32, mg: u64, v: u32, k: u64): u64 {
  if (tagOf(mg) != TAG_MG) return typeErr(fn, O.OP_MGGET, mg, k);
  const j = mgFind(mg, v, k);
  return j >= 0 ? load<u64>(mgTriple(mg, j), 16) : NIL;
}

export function rt_mgHas(fn: i32, mg: u64, v: u32, k: u64): i32 {
  if (tagOf(mg) != TAG_MG) { typeErr(fn, O.OP_MGHAS, mg, k); return 0; }
  return mgFind(mg, v, k) >= 0 ? 1 : 0;
}

export function rt_push(v: u64): void { push(v); }
/** n arena words for the compiled code to fill (a list or tuple literal); 0, with status set, when full. */
export function rt_alloc(n: i32): u32 { return <u32>alloc(n); }
export function rt_makeSeq(tag: u32, n: i32): u64 { return makeSeq(tag, n); }
export function rt_makeMg(name: u64, n: i32): u64 { return makeMultigoal(name, n); }

/** len, abs, min, max, unary minus and not. */
export function rt_builtin(fn: i32, op: i32, a: u64, b: u64): u64 {
  if (op == O.OP_NOT) return boolv(!truthy(a));
  if (op == O.OP_LEN) { const n = collectionSize(a); return n < 0 ? typeErr(fn, op, a, NIL) : num(<f64>n); }
  if (op == O.OP_NEG) return isNum(a) ? num(-f(a)) : typeErr(fn, op, a, NIL);
  if (op == O.OP_ABS) return isNum(a) ? num(Math.abs(f(a))) : typeErr(fn, op, a, NIL);
  if (!isNum(a) || !isNum(b)) return typeErr(fn, op, a, b);
  if (op == O.OP_MIN) return f(b) < f(a) ? b : a;
  return f(b) > f(a) ? b : a;
}

let iterKey: u64 = 0;
let iterVal: u64 = 0;
let iterCursor: u64 = 0;
export function rt_iterKey(): u64 { return iterKey; }
export function rt_iterVal(): u64 { return iterVal; }
export function rt_iterCursor(): u64 { return iterCursor; }

/** The first cursor of an iteration over c (state variable: its first slot). */
export function rt_iterInit(fn: i32, c: u64): u64 {
  const t = tagOf(c);
  if (t == TAG_VARREF) return <u64>(<i64>varHead(payload(c)));
  if (t != TAG_TUPLE && t != TAG_LIST && t != TAG_SET && t != TAG_MAP && t != TAG_MGVAR) {
    failWith(ST_ERR_BAD_ITER, <u64>fn, 0, c);
  }
  return 0;
}

/** Advances an iteration: 1 with rt_iterKey/Val/Cursor set, or 0 when done (or on error). */
export function rt_iterNext(fn: i32, c: u64, cursor: u64, nv: i32): i32 {
  if (status != ST_RUNNING) return 0;
  const cur = <i32>cursor;
  const t = tagOf(c);
  if (t == TAG_VARREF) {
    const s = nextPresent(cur);
    if (s < 0) return 0;
    iterKey = slotKey(s); iterVal = slotValue(s); iterCursor = <u64>(<i64>slotNext(s));
    return 1;
  }
  if (t == TAG_MGVAR) {
    const cell = <usize>payload(c); const mg = load<u64>(cell); const sym = <u32>load<u64>(cell, 8);
    const n = mgCount(mg);
    let i = cur;
    while (i < n && <u32>load<u64>(mgTriple(mg, i)) != sym) i++;
    if (i >= n) return 0;
    const tr = mgTriple(mg, i);
    iterKey = load<u64>(tr, 8); iterVal = load<u64>(tr, 16); iterCursor = <u64>(i + 1);
    return 1;
  }
  if (t == TAG_MAP) {
    if (cur >= seqLen(c)) return 0;
    const p = <usize>payload(c) + 8 + (<usize>cur << 4);
    iterKey = load<u64>(p); iterVal = load<u64>(p, 8); iterCursor = <u64>(cur + 1);
    return 1;
  }
  if (cur >= seqLen(c)) return 0;
  let k = load<u64>(seqAt(c, cur));
  iterCursor = <u64>(cur + 1);
  iterVal = NIL;
  if (nv == 2) {
    const te = tagOf(k);
    if ((te != TAG_TUPLE && te != TAG_LIST) || seqLen(k) != 2) { failWith(ST_ERR_BAD_ITER, <u64>fn, 0, k); return 0; }
    iterVal = load<u64>(seqAt(k, 1)); k = load<u64>(seqAt(k, 0));
  }
  iterKey = k;
  return 1;
}

let chooseFailed: i32 = 0;
export function rt_chooseFailed(): i32 { return chooseFailed; }

/** The element choice point k picks from c; sets rt_chooseFailed when none is left. */
export function rt_choose(fn: i32, c: u64, k: i32): u64 {
  chooseFailed = 0;
  if (k >= MAX_CHOOSE) { failWith(ST_ERR_CHOOSE, <u64>fn); chooseFailed = 1; return NIL; }
  const n = collectionSize(c);
  if (n < 0) { failWith(ST_ERR_BAD_ITER, <u64>fn, 0, c); chooseFailed = 1; return NIL; }
  const ia = chooseIdx + (<usize>k << 2);
  if (k >= choosePreset) store<i32>(ia, 0);
  store<i32>(chooseN + (<usize>k << 2), n);
  noteChoose(k + 1);
  const i = load<i32>(ia);
  if (i >= n) { chooseFailed = 1; return NIL; }
  return collectionAt(c, i);
}

/**
 * Checks the clock and the cancel flag; 0 means stop. Compiled loops count
 * down their own turns and call this every 65,536 of them.
 */
export function rt_tick(): i32 {
  if (!checkTime()) return 0;
  return status == ST_RUNNING ? 1 : 0;
}

/** The write clock reached its limit in a write compiled in place (reads.ts noteWrite). */
export function rt_clockWrap(): void { clockWrap(); }

/** Notes a read of stamp index d for the memoised helper under way (compiled reads, reads.ts). */
export function rt_record(d: i32): void { record(d); }

export function rt_callDepth(fn: i32): void { failWith(ST_ERR_CALL_DEPTH, <u64>fn); }
