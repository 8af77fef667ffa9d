// The bytecode interpreter for functions, actions, commands and method
// bodies. It works on the value stack and frame stack regions only; helper
// calls push frames instead of recursing in WASM, so deep recursion in a
// domain's helper is bounded by a region, not by the WASM call stack.
import { CODE, CONSTS, FUNCS, VSTACK, VSTACK_CAP, FSTACK, FSTACK_CAP } from './layout';
import * as O from './opcodes';
import { MAX_CHOOSE, INTERPRETED_FLAG, FUNC_STRIDE, FUNC_CODE, FUNC_PARAMS, FUNC_LOCALS, FUNC_KIND, FRAME_BYTES } from './abi';
import {
  NIL, TRUE, FALSE, ABSENT, TAG_SYM, TAG_BOOL, TAG_NIL, TAG_TUPLE, TAG_LIST, TAG_SET, TAG_MAP, TAG_MG, TAG_VARREF,
  TAG_MGVAR, isNum, tagOf, payload, box, num, f, boolv, truthy, equals, seqLen, seqAt, seqContains,
  mapFind, mgFind, mgCount, mgTriple, mgCap, mgBuildIndex, canonKey, isKey,
} from './values';
import { stateGet, stateHas, stateSet, varHead, nextPresent, slotKey, slotValue, slotNext, findSlot, readSlot } from './state';
import { alloc } from './arena';
import {
  status, fail, failWith, ST_RUNNING, ST_ERR_TYPE, ST_ERR_CALL_DEPTH, ST_ERR_BAD_ITER, ST_ERR_STATE_VALUE,
  ST_ERR_CHOOSE, ST_SPACE_VSTACK, ST_LIMIT_DEADLINE, ST_LIMIT_CANCELLED,
} from './status';

@external("env", "now") declare function hostNow(): f64;
@external("env", "cancelled") declare function hostCancelled(): i32;

export const R_VALUE: i32 = 1;
export const R_FAIL: i32 = 2;
export const R_SUCCEED: i32 = 3;
export const R_ERROR: i32 = 4;

/** The value a function or method returned (R_VALUE). */
export let retVal: u64 = 0;
export let vsp: i32 = 0;
let fsp: i32 = 0;
/** Interpreter steps (backward jumps, calls, loop turns) since the call began. */
export let steps: u64 = 0;
/** Wall-clock deadline in host milliseconds; 0 = none. */
export let deadline: f64 = 0;
export function setDeadline(d: f64): void { deadline = d; }
/** Table index of function 0's compiled entry, or -1 to interpret the bytecode. */
let jitBase: i32 = -1;
export function setJitBase(b: i32): void { jitBase = b; }
export function resetVm(): void { vsp = 0; fsp = 0; steps = 0; }

/** Checks the clock and the cancel flag; sets a limit status when either fired. */
export function checkTime(): bool {
  if (hostCancelled() != 0) { fail(ST_LIMIT_CANCELLED); return false; }
  if (deadline > 0 && hostNow() > deadline) { fail(ST_LIMIT_DEADLINE); return false; }
  return true;
}

// Choice-point replay vector of the method being run (see search.ts).
export let chooseIdx: usize = 0;
export let chooseN: usize = 0;
export let choosePreset: i32 = 0;
export let chooseReached: i32 = 0;
export { MAX_CHOOSE } from './abi';

@inline export function push(v: u64): bool {
  if (vsp >= VSTACK_CAP) { fail(ST_SPACE_VSTACK); return false; }
  store<u64>(VSTACK + (<usize>vsp << 3), v);
  vsp++;
  return true;
}
@inline function pop(): u64 { vsp--; return load<u64>(VSTACK + (<usize>vsp << 3)); }
@inline function peek(): u64 { return load<u64>(VSTACK + (<usize>(vsp - 1) << 3)); }
@inline function local(fp: i32, i: i32): usize { return VSTACK + (<usize>(fp + i) << 3); }
@inline function op(pc: i32): i32 { return load<i32>(CODE + (<usize>pc << 2)); }
/** Field k (FUNC_CODE, FUNC_PARAMS, FUNC_LOCALS, FUNC_KIND) of function fn's record. */
@inline export function funcField(fn: i32, k: i32): i32 { return load<i32>(FUNCS + <usize>fn * (FUNC_STRIDE << 2) + (<usize>k << 2)); }

export function makeSeq(tag: u32, n: i32): u64 {
  const p = alloc(n + 1);
  if (p == 0) return NIL;
  store<u64>(p, <u64>n);
  for (let i = n - 1; i >= 0; i--) store<u64>(p + 8 + (<usize>i << 3), pop());
  if (tag == TAG_SET) {
    // A set keeps one of equal elements, the first, as Python's does.
    let m = 0;
    for (let i = 0; i < n; i++) {
      const e = load<u64>(p + 8 + (<usize>i << 3));
      let dup = false;
      for (let j = 0; j < m; j++) if (equals(load<u64>(p + 8 + (<usize>j << 3)), e)) { dup = true; break; }
      if (!dup) { store<u64>(p + 8 + (<usize>m << 3), e); m++; }
    }
    store<u64>(p, <u64>m);
  }
  return box(tag, <u32>p);
}

/** Marks a repeated goal of a multigoal literal while it is being dropped (no variable has this symbol). */
const MG_DROPPED: u64 = 0xFFFFFFFF;

export function makeMultigoal(name: u64, n: i32): u64 {
  let cap = 4;
  while (cap < n * 2) cap <<= 1;
  const base = vsp - n * 3;
  // Keys must be scalars or tuples of scalars, as in the state.
  for (let i = 0; i < n; i++) {
    const k = load<u64>(VSTACK + (<usize>(base + i * 3 + 1) << 3));
    if (!isKey(k)) { failWith(ST_ERR_STATE_VALUE, <u64>-1, 0, k); return NIL; }
  }
  const p = alloc(3 + n * 3 + cap);
  if (p == 0) return NIL;
  store<u64>(p, name);
  store<u64>(p, <u64>n, 8);
  store<u64>(p, <u64>cap, 16);
  memory.copy(p + 24, VSTACK + (<usize>base << 3), <usize>n * 24);
  for (let i = 0; i < n; i++) store<u64>(p + 24 + <usize>i * 24, <u64>payload(load<u64>(p + 24 + <usize>i * 24)));
  const mg = box(TAG_MG, <u32>p);
  mgBuildIndex(mg);
  // A repeated (var, key) is one goal, as in a dict literal: where it was first written, with the
  // value written last. The repeats are dropped, so that len(mg.v), iteration over mg.v and
  // split_multigoal see each goal once.
  let m = 0;
  for (let i = 0; i < n; i++) {
    const t = mgTriple(mg, i);
    const j = mgFind(mg, <u32>load<u64>(t), load<u64>(t, 8));
    if (j != i) { store<u64>(mgTriple(mg, j) + 16, load<u64>(t, 16)); store<u64>(t, MG_DROPPED); } else m++;
  }
  let moved = m < n;
  if (m < n) {
    let w = 0;
    for (let i = 0; i < n; i++) {
      const t = mgTriple(mg, i);
      if (load<u64>(t) == MG_DROPPED) continue;
      if (w != i) memory.copy(mgTriple(mg, w), t, 24);
      w++;
    }
    store<u64>(p, <u64>m, 8);
  }
  // GTPyhop's multigoal is a dict of dicts: its goals go variable by variable, in the order the
  // variables were first written, so `{ n[a] = 1; loc[c] = 1; n[b] = 1 }` is n[a], n[b], loc[c]
  // for split_multigoal and all else that walks the goals. Each goal is moved (stably) to just
  // after the last earlier goal of its variable.
  for (let i = 1; i < m; i++) {
    const t = mgTriple(mg, i);
    const v = load<u64>(t);
    let j = i - 1;
    while (j >= 0 && load<u64>(mgTriple(mg, j)) != v) j--;
    if (j < 0 || j == i - 1) continue;
    const k = load<u64>(t, 8), x = load<u64>(t, 16);
    const to = mgTriple(mg, j + 1);
    memory.copy(to + 24, to, <usize>(i - j - 1) * 24);
    store<u64>(to, v); store<u64>(to, k, 8); store<u64>(to, x, 16);
    moved = true;
  }
  if (moved) mgBuildIndex(mg);
  vsp = base;
  return mg;
}

/** Number of elements an iteration over v visits, or -1 when v is not a collection. */
export function collectionSize(v: u64): i32 {
  const t = tagOf(v);
  if (t == TAG_TUPLE || t == TAG_LIST || t == TAG_SET || t == TAG_MAP) return seqLen(v);
  if (t == TAG_VARREF) {
    let n = 0;
    for (let s = nextPresent(varHead(payload(v))); s >= 0; s = nextPresent(slotNext(s))) n++;
    return n;
  }
  if (t == TAG_MGVAR) {
    const cell = <usize>payload(v);
    const mg = load<u64>(cell); const sym = <u32>load<u64>(cell, 8);
    let n = 0;
    const c = mgCount(mg);
    for (let i = 0; i < c; i++) if (<u32>load<u64>(mgTriple(mg, i)) == sym) n++;
    return n;
  }
  return -1;
}

/** The k-th element (key, for maps, state variables and mg.var) of a collection. */
export function collectionAt(v: u64, k: i32): u64 {
  const t = tagOf(v);
  if (t == TAG_TUPLE || t == TAG_LIST || t == TAG_SET) return load<u64>(seqAt(v, k));
  if (t == TAG_MAP) return load<u64>(<usize>payload(v) + 8 + (<usize>k << 4));
  if (t == TAG_VARREF) {
    let s = nextPresent(varHead(payload(v)));
    while (k-- > 0) s = nextPresent(slotNext(s));
    return slotKey(s);
  }
  const cell = <usize>payload(v);
  const mg = load<u64>(cell); const sym = <u32>load<u64>(cell, 8);
  const c = mgCount(mg);
  for (let i = 0; i < c; i++) {
    const tr = mgTriple(mg, i);
    if (<u32>load<u64>(tr) == sym && k-- == 0) return load<u64>(tr, 8);
  }
  return NIL;
}

/** `a in b`: 1 or 0, or -1 when b is not a collection. */
export function inValue(a: u64, b: u64): i32 {
  const t = tagOf(b);
  let r = false;
  if (t == TAG_VARREF) r = stateHas(payload(b), a);
  else if (t == TAG_MGVAR) { const cell = <usize>payload(b); r = mgFind(load<u64>(cell), <u32>load<u64>(cell, 8), a) >= 0; }
  else if (t == TAG_TUPLE || t == TAG_LIST || t == TAG_SET) r = seqContains(b, a);
  else if (t == TAG_MAP) r = mapFind(b, a) != 0;
  else if (t == TAG_MG) r = false;
  else return -1;
  return r ? 1 : 0;
}

function typeError(fn: i32, pc: i32, a: u64, b: u64): i32 {
  failWith(ST_ERR_TYPE, <u64>fn, <u64>op(pc), a, b);
  return R_ERROR;
}

/**
 * Runs function fn with its argc arguments on top of the value stack and
 * returns R_VALUE (retVal set), R_FAIL, R_SUCCEED or R_ERROR (status set).
 */
@inline export function run(fn: i32): i32 {
  if (jitBase >= 0 && (funcField(fn, FUNC_KIND) & INTERPRETED_FLAG) == 0) {
    // Compiled domain code: its entry reads the arguments from the value stack.
    const b = vsp - funcField(fn, FUNC_PARAMS);
    const r = call_indirect<i32>(<u32>(jitBase + fn), VSTACK + (<usize>b << 3));
    vsp = b;
    return status != ST_RUNNING ? R_ERROR : r;
  }
  return interpret(fn);
}

/** run() for a function with no compiled code: the bytecode interpreter. */
function interpret(fn: i32): i32 {
  const base = vsp - funcField(fn, FUNC_PARAMS);
  let fp = base;
  let curFn = fn;
  let pc = funcField(fn, FUNC_CODE);
  for (let i = funcField(fn, FUNC_PARAMS); i < funcField(fn, FUNC_LOCALS); i++) if (!push(NIL)) return R_ERROR;
  const fbase = fsp;
  while (true) {
    const o = op(pc);
    switch (o) {
      case O.OP_CONST: { if (!push(load<u64>(CONSTS + (<usize>op(pc + 1) << 3)))) return R_ERROR; pc += 2; break; }
      case O.OP_LOCAL: { if (!push(load<u64>(local(fp, op(pc + 1))))) return R_ERROR; pc += 2; break; }
      case O.OP_SETLOCAL: { store<u64>(local(fp, op(pc + 1)), pop()); pc += 2; break; }
      case O.OP_INC_LOCAL: { const a = local(fp, op(pc + 1)); store<u64>(a, num(f(load<u64>(a)) + 1)); pc += 2; break; }
      case O.OP_STATE: { const k = pop(); push(stateGet(<u32>op(pc + 1), k)); pc += 2; break; }
      case O.OP_HASSTATE: {
        const k = pop(); const v = <u32>op(pc + 1);
        const sc = readSlot(v, NIL);
        if (sc >= 0 && slotValue(sc) != ABSENT) {
          // A scalar variable (GTPyhop's `state.flag = ...`): membership in its value.
          const r = inValue(k, slotValue(sc));
          // Named as the operator the domain wrote (`in`), as the compiled code's rt_hasState names it.
          if (r < 0) { failWith(ST_ERR_TYPE, <u64>curFn, <u64>O.OP_IN, k, slotValue(sc)); return R_ERROR; }
          push(boolv(r == 1));
        } else push(boolv(stateHas(v, k)));
        pc += 2; break;
      }
      case O.OP_VARVAL: {
        const v = <u32>op(pc + 1);
        const sc = readSlot(v, NIL);
        push(sc >= 0 && slotValue(sc) != ABSENT ? slotValue(sc) : box(TAG_VARREF, v));
        pc += 2; break;
      }
      case O.OP_SETSTATE: {
        const v = pop(); const k = pop();
        const tv = tagOf(v);
        if (!isKey(k) || tv == TAG_VARREF || tv == TAG_MGVAR) {
          failWith(ST_ERR_STATE_VALUE, <u64>curFn, <u64>pc, isKey(k) ? v : k);
          return R_ERROR;
        }
        if (!stateSet(<u32>op(pc + 1), k, v)) return R_ERROR;
        pc += 2; break;
      }
      case O.OP_POP: { vsp--; pc += 1; break; }
      case O.OP_JMP: {
        const t = op(pc + 1);
        if (t <= pc && (++steps & 0xFFFF) == 0 && !checkTime()) return R_ERROR;
        pc = t; break;
      }
      case O.OP_JF: { pc = truthy(pop()) ? pc + 2 : op(pc + 1); break; }
      case O.OP_JT: { pc = truthy(pop()) ? op(pc + 1) : pc + 2; break; }
      case O.OP_JF_KEEP: { if (truthy(peek())) { vsp--; pc += 2; } else pc = op(pc + 1); break; }
      case O.OP_JT_KEEP: { if (truthy(peek())) pc = op(pc + 1); else { vsp--; pc += 2; } break; }
      case O.OP_ADD: case O.OP_SUB: case O.OP_MUL: case O.OP_DIV: case O.OP_FLOORDIV: case O.OP_MOD:
      case O.OP_LT: case O.OP_LE: case O.OP_GT: case O.OP_GE: {
        const b = pop(); const a = pop();
        if (!isNum(a) || !isNum(b)) {
          const ta = tagOf(a);
          if (o == O.OP_ADD && ta == tagOf(b) && (ta == TAG_LIST || ta == TAG_TUPLE)) {
            const na = seqLen(a), nb = seqLen(b);
            for (let i = 0; i < na; i++) push(load<u64>(seqAt(a, i)));
            for (let i = 0; i < nb; i++) push(load<u64>(seqAt(b, i)));
            if (status != ST_RUNNING) return R_ERROR;
            const r = makeSeq(ta, na + nb);
            if (status != ST_RUNNING) return R_ERROR;
            push(r); pc += 1; break;
          }
          return typeError(curFn, pc, a, b);
        }
        const x = f(a), y = f(b);
        let r: u64 = 0;
        switch (o) {
          case O.OP_ADD: r = num(x + y); break;
          case O.OP_SUB: r = num(x - y); break;
          case O.OP_MUL: r = num(x * y); break;
          case O.OP_DIV: if (y == 0) return typeError(curFn, pc, a, b); r = num(x / y); break;
          case O.OP_FLOORDIV: if (y == 0) return typeError(curFn, pc, a, b); r = num(Math.floor(x / y)); break;
          case O.OP_MOD: { if (y == 0) return typeError(curFn, pc, a, b); let m = x % y; if (m != 0 && (m < 0) != (y < 0)) m += y; r = num(m); break; }
          case O.OP_LT: r = boolv(x < y); break;
          case O.OP_LE: r = boolv(x <= y); break;
          case O.OP_GT: r = boolv(x > y); break;
          default: r = boolv(x >= y); break;
        }
        push(r); pc += 1; break;
      }
      case O.OP_EQ: { const b = pop(); const a = pop(); push(boolv(equals(a, b))); pc += 1; break; }
      case O.OP_NE: { const b = pop(); const a = pop(); push(boolv(!equals(a, b))); pc += 1; break; }
      case O.OP_IN: case O.OP_NOTIN: {
        const b = pop(); const a = pop();
        const r = inValue(a, b);
        if (r < 0) return typeError(curFn, pc, a, b);
        push(boolv(o == O.OP_IN ? r == 1 : r == 0)); pc += 1; break;
      }
      case O.OP_NOT: { push(boolv(!truthy(pop()))); pc += 1; break; }
      case O.OP_NEG: { const a = pop(); if (!isNum(a)) return typeError(curFn, pc, a, NIL); push(num(-f(a))); pc += 1; break; }
      case O.OP_CALL: {
        const callee = op(pc + 1);
        if (fsp >= FSTACK_CAP) { failWith(ST_ERR_CALL_DEPTH, <u64>callee); return R_ERROR; }
        if ((++steps & 0xFFFF) == 0 && !checkTime()) return R_ERROR;
        const fr = FSTACK + <usize>fsp * FRAME_BYTES;
        store<i32>(fr, pc + 3); store<i32>(fr, fp, 4); store<i32>(fr, curFn, 8);
        fsp++;
        fp = vsp - funcField(callee, FUNC_PARAMS);
        for (let i = funcField(callee, FUNC_PARAMS); i < funcField(callee, FUNC_LOCALS); i++) if (!push(NIL)) return R_ERROR;
        curFn = callee; pc = funcField(callee, FUNC_CODE);
        break;
      }
      case O.OP_RET: {
        const v = pop();
        if (fsp == fbase) { vsp = base; retVal = v; return R_VALUE; }
        fsp--;
        const fr = FSTACK + <usize>fsp * FRAME_BYTES;
        vsp = fp;
        pc = load<i32>(fr); fp = load<i32>(fr, 4); curFn = load<i32>(fr, 8);
        push(v);
        break;
      }
      case O.OP_FAIL: { vsp = base; fsp = fbase; return R_FAIL; }
      case O.OP_SUCCEED: { vsp = base; fsp = fbase; return R_SUCCEED; }
      case O.OP_TUPLE: case O.OP_LIST: case O.OP_SET: {
        const n = op(pc + 1);
        const r = makeSeq(o == O.OP_TUPLE ? TAG_TUPLE : o == O.OP_LIST ? TAG_LIST : TAG_SET, n);
        if (status != ST_RUNNING) return R_ERROR;
        push(r); pc += 2; break;
      }
      case O.OP_LIST_DYN: {
        const n = <i32>f(pop());
        const r = makeSeq(TAG_LIST, n);
        if (status != ST_RUNNING) return R_ERROR;
        push(r); pc += 1; break;
      }
      case O.OP_INDEX: {
        const k = pop(); const b = pop();
        const t = tagOf(b);
        let r = NIL;
        if (t == TAG_VARREF) r = stateGet(payload(b), k);
        else if (t == TAG_MGVAR) {
          const cell = <usize>payload(b); const mg = load<u64>(cell);
          const j = mgFind(mg, <u32>load<u64>(cell, 8), k);
          if (j >= 0) r = load<u64>(mgTriple(mg, j), 16);
        } else if (t == TAG_MAP) { const a = mapFind(b, k); if (a != 0) r = load<u64>(a); }
        else if (t == TAG_TUPLE || t == TAG_LIST) {
          if (!isNum(k)) return typeError(curFn, pc, b, k);
          let i = <i32>f(k); const n = seqLen(b);
          if (i < 0) i += n;
          if (i >= 0 && i < n) r = load<u64>(seqAt(b, i));
        } else if (t != TAG_NIL) return typeError(curFn, pc, b, k);
        push(r); pc += 1; break;
      }
      case O.OP_FIELD: {
        const mg = pop();
        if (tagOf(mg) != TAG_MG) return typeError(curFn, pc, mg, NIL);
        const cell = alloc(2);
        if (cell == 0) return R_ERROR;
        store<u64>(cell, mg); store<u64>(cell, <u64>op(pc + 1), 8);
        push(box(TAG_MGVAR, <u32>cell)); pc += 2; break;
      }
      case O.OP_MGGET: {
        const k = pop(); const mg = pop();
        if (tagOf(mg) != TAG_MG) return typeError(curFn, pc, mg, k);
        const j = mgFind(mg, <u32>op(pc + 1), k);
        push(j >= 0 ? load<u64>(mgTriple(mg, j), 16) : NIL); pc += 2; break;
      }
      case O.OP_MGHAS: {
        const k = pop(); const mg = pop();
        if (tagOf(mg) != TAG_MG) return typeError(curFn, pc, mg, k);
        push(boolv(mgFind(mg, <u32>op(pc + 1), k) >= 0)); pc += 2; break;
      }
      case O.OP_LEN: {
        const a = pop(); const n = collectionSize(a);
        if (n < 0) return typeError(curFn, pc, a, NIL);
        push(num(<f64>n)); pc += 1; break;
      }
      case O.OP_ABS: { const a = pop(); if (!isNum(a)) return typeError(curFn, pc, a, NIL); push(num(Math.abs(f(a)))); pc += 1; break; }
      case O.OP_MIN: case O.OP_MAX: {
        const b = pop(); const a = pop();
        if (!isNum(a) || !isNum(b)) return typeError(curFn, pc, a, b);
        push(o == O.OP_MIN ? (f(b) < f(a) ? b : a) : (f(b) > f(a) ? b : a)); pc += 1; break;
      }
      case O.OP_MULTIGOAL: {
        const r = makeMultigoal(load<u64>(CONSTS + (<usize>op(pc + 1) << 3)), op(pc + 2));
        if (status != ST_RUNNING) return R_ERROR;
        push(r); pc += 3; break;
      }
      case O.OP_ITER_INIT: {
        const c = pop(); const l = op(pc + 1);
        const t = tagOf(c);
        let cursor: u64 = 0;
        if (t == TAG_VARREF) cursor = <u64>(<i64>varHead(payload(c)));
        else if (t != TAG_TUPLE && t != TAG_LIST && t != TAG_SET && t != TAG_MAP && t != TAG_MGVAR) {
          failWith(ST_ERR_BAD_ITER, <u64>curFn, <u64>pc, c); return R_ERROR;
        }
        store<u64>(local(fp, l), c); store<u64>(local(fp, l + 1), cursor);
        pc += 2; break;
      }
      case O.OP_ITER_NEXT: {
        if ((++steps & 0xFFFF) == 0 && !checkTime()) return R_ERROR;
        const l = op(pc + 1); const nv = op(pc + 2);
        const c = load<u64>(local(fp, l)); const ca = local(fp, l + 1);
        const cur = <i32>load<u64>(ca);
        const t = tagOf(c);
        let k: u64 = NIL, v: u64 = NIL, done = false;
        if (t == TAG_VARREF) {
          const s = nextPresent(cur);
          if (s < 0) done = true; else { k = slotKey(s); v = slotValue(s); store<u64>(ca, <u64>(<i64>slotNext(s))); }
        } else if (t == TAG_MGVAR) {
          const cell = <usize>payload(c); const mg = load<u64>(cell); const sym = <u32>load<u64>(cell, 8);
          const n = mgCount(mg);
          let i = cur;
          while (i < n && <u32>load<u64>(mgTriple(mg, i)) != sym) i++;
          if (i >= n) done = true; else { const tr = mgTriple(mg, i); k = load<u64>(tr, 8); v = load<u64>(tr, 16); store<u64>(ca, <u64>(i + 1)); }
        } else if (t == TAG_MAP) {
          if (cur >= seqLen(c)) done = true;
          else { const p = <usize>payload(c) + 8 + (<usize>cur << 4); k = load<u64>(p); v = load<u64>(p, 8); store<u64>(ca, <u64>(cur + 1)); }
        } else {
          if (cur >= seqLen(c)) done = true;
          else {
            k = load<u64>(seqAt(c, cur)); store<u64>(ca, <u64>(cur + 1));
            if (nv == 2) {
              const te = tagOf(k);
              if ((te != TAG_TUPLE && te != TAG_LIST) || seqLen(k) != 2) { failWith(ST_ERR_BAD_ITER, <u64>curFn, <u64>pc, k); return R_ERROR; }
              v = load<u64>(seqAt(k, 1)); k = load<u64>(seqAt(k, 0));
            }
          }
        }
        if (done) { pc = op(pc + 3); break; }
        push(k); if (nv == 2) push(v);
        if (status != ST_RUNNING) return R_ERROR;
        pc += 4; break;
      }
      case O.OP_CHOOSE: {
        const c = pop(); const k = op(pc + 1);
        if (k >= MAX_CHOOSE) { failWith(ST_ERR_CHOOSE, <u64>curFn); return R_ERROR; }
        const n = collectionSize(c);
        if (n < 0) { failWith(ST_ERR_BAD_ITER, <u64>curFn, <u64>pc, c); return R_ERROR; }
        const ia = chooseIdx + (<usize>k << 2);
        if (k >= choosePreset) store<i32>(ia, 0);
        store<i32>(chooseN + (<usize>k << 2), n);
        chooseReached = k + 1;
        const i = load<i32>(ia);
        if (i >= n) { vsp = base; fsp = fbase; return R_FAIL; }
        push(collectionAt(c, i)); pc += 2; break;
      }
      default: {
        // Unknown opcode: the host's compiler and this interpreter disagree.
        unreachable();
      }
    }
  }
  return R_ERROR;
}

/** Value `false`, for callers that compare against it. */
export const FALSE_VALUE: u64 = FALSE;
export function setRet(v: u64): void { retVal = v; }
export function setVsp(v: i32): void { vsp = v; }
@inline export function VSTACK_ADDR(i: i32): usize { return VSTACK + (<usize>i << 3); }
/** Points CHOOSE at a choice point's replay vector; `preset` entries are kept from the last run. */
export function noteChoose(reached: i32): void { chooseReached = reached; }
export function setChoose(idx: usize, n: usize, preset: i32): void {
  chooseIdx = idx; chooseN = n; choosePreset = preset; chooseReached = 0;
}
