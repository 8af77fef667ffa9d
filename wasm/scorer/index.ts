// The shape scoring kernel: samples candidate characters and scores them,
// over flat arrays the host lays out in this module's memory.
//
// Exports take and return numbers only. The host (server/src/services/shape/
// score-kernel.ts) owns the layout: it grows the memory, writes every table
// and the candidates after heapBase(), and writes their addresses and
// counts into the header (header(), fields as named in header.ts). Runtime
// `stub`: nothing is allocated here, so the hot loops never allocate.
//
// A candidate is one row of `slots` u16 value indices (one per slot of the
// template: a category's value, a range's step, a list element's yes = 0 /
// no = 1). Its score is
//   (preference + style) - penalty * violations + diversity * minDistance
// where preference and style are sums of per-value weights, violations the
// constraints it breaks, and minDistance its Hamming distance (slots that
// differ) to the nearest candidate already picked (0 when none is).
import {
  H_SLOTS, H_PICKED, H_SLOT_OFF, H_PREF, H_STYLE, H_NUM, H_CUM,
  H_COND_OP, H_COND_SLOT, H_COND_ARG, H_COND_LIT, H_MASK,
  H_CONS_KIND, H_CONS_WHEN, H_CONS_FIRST, H_CONS_LEN, H_CONS_BOUND, H_SLOT_CONS, H_CONS_LIST,
  H_CANDS, H_PICKS, H_SCORES, H_VIOL, H_MIN_DIST, H_CONSTRAINTS, H_ALIAS_PROB, H_ALIAS_IDX,
  F_PENALTY, F_DIVERSITY, HEADER_INTS, HEADER_FLOATS,
  OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE, OP_IN, OP_NOT_IN, OP_SLOT,
  K_REQUIRES, K_EXCLUDES, K_AT_MOST,
} from './header';

const ints: usize = memory.data(HEADER_INTS * 4, 8);
const floats: usize = memory.data(HEADER_FLOATS * 8, 8);

/** Random draws per slot before the sampler sweeps the slot's values for one that fits. */
const RETRIES: i32 = 8;
/** Times a row is started again when a slot runs out of tries. */
const ATTEMPTS: i32 = 4;

/** Where the header's i32 fields are (then the f64 fields, at headerFloats()). */
export function header(): usize { return ints; }
/** Where the header's f64 fields are. */
export function headerFloats(): usize { return floats; }
/** The first free byte: the host lays its tables out from here. */
export function heapBase(): usize { return __heap_base; }
/** Grows the memory to at least `bytes`; the page count after, or -1 when it cannot. */
export function reserve(bytes: usize): i32 {
  const have = <usize>memory.size() << 16;
  if (bytes <= have) return memory.size();
  const pages = <i32>((bytes - have + 0xffff) >> 16);
  return memory.grow(pages) < 0 ? -1 : memory.size();
}

@inline function hi(field: i32): i32 { return load<i32>(ints + (<usize>field << 2)); }

// The header's addresses, read once per exported call into globals: the
// condition and constraint evaluators run hundreds of times per candidate
// and would otherwise reload each address from memory every time.
let gCondOp: usize = 0;
let gCondSlot: usize = 0;
let gCondArg: usize = 0;
let gCondLit: usize = 0;
let gMask: usize = 0;
let gConsKind: usize = 0;
let gConsWhen: usize = 0;
let gConsFirst: usize = 0;
let gConsLen: usize = 0;
let gConsBound: usize = 0;

function bind(): void {
  gCondOp = hp(H_COND_OP);
  gCondSlot = hp(H_COND_SLOT);
  gCondArg = hp(H_COND_ARG);
  gCondLit = hp(H_COND_LIT);
  gMask = hp(H_MASK);
  gConsKind = hp(H_CONS_KIND);
  gConsWhen = hp(H_CONS_WHEN);
  gConsFirst = hp(H_CONS_FIRST);
  gConsLen = hp(H_CONS_LEN);
  gConsBound = hp(H_CONS_BOUND);
}
@inline function hp(field: i32): usize { return <usize>load<i32>(ints + (<usize>field << 2)); }
@inline function i32At(base: usize, i: i32): i32 { return load<i32>(base + (<usize>i << 2)); }
@inline function f64At(base: usize, i: i32): f64 { return load<f64>(base + (<usize>i << 3)); }

/** The value index of slot `slot` in the row at `row`. */
@inline function valueOf(row: usize, slot: i32): i32 { return <i32>load<u16>(row + (<usize>slot << 1)); }

/** Whether condition `c` holds for the row (every slot it reads is set). */
@inline function cond(c: i32, row: usize, slotOff: usize, num: usize): bool {
  const op = i32At(gCondOp, c);
  const slot = i32At(gCondSlot, c);
  const arg = i32At(gCondArg, c);
  const v = valueOf(row, slot);
  // The common case first: the host compiles conditions on one slot to truth tables.
  if (op == OP_IN) return load<u8>(gMask + <usize>(arg + v)) != 0;
  return condOther(op, slot, arg, v, c, row, slotOff, num);
}

/** The other opcodes: value index compares, numeric compares with a literal or another slot. */
function condOther(op: i32, slot: i32, arg: i32, v: i32, c: i32, row: usize, slotOff: usize, num: usize): bool {
  switch (op) {
    case OP_EQ: return v == arg;
    case OP_NE: return v != arg;
    case OP_IN: return load<u8>(gMask + <usize>(arg + v)) != 0;
    case OP_NOT_IN: return load<u8>(gMask + <usize>(arg + v)) == 0;
    default: break;
  }
  const x = f64At(num, i32At(slotOff, slot) + v);
  let y: f64;
  let cmp = op;
  if (op >= OP_SLOT) {
    y = f64At(num, i32At(slotOff, arg) + valueOf(row, arg));
    cmp = op - OP_SLOT;
  } else {
    y = f64At(gCondLit, c);
  }
  switch (cmp) {
    case OP_EQ: return x == y;
    case OP_NE: return x != y;
    case OP_LT: return x < y;
    case OP_LE: return x <= y;
    case OP_GT: return x > y;
    default: return x >= y;
  }
}

/** Whether constraint `k` holds for the row. */
@inline function holds(k: i32, row: usize, slotOff: usize, num: usize): bool {
  const when = i32At(gConsWhen, k);
  if (when >= 0 && !cond(when, row, slotOff, num)) return true;
  const kind = i32At(gConsKind, k);
  const first = i32At(gConsFirst, k);
  const len = i32At(gConsLen, k);
  if (kind == K_REQUIRES) return cond(first, row, slotOff, num);
  let t: i32 = 0;
  for (let c = first; c < first + len; c++) if (cond(c, row, slotOff, num)) t++;
  if (kind == K_EXCLUDES) return t < len;
  const bound = i32At(gConsBound, k);
  return kind == K_AT_MOST ? t <= bound : t >= bound;
}

/** Slots that differ between two rows, at most `limit`: eight slots per SIMD compare, then the rest one by one. */
@inline function distance(a: usize, b: usize, slots: i32, limit: i32): i32 {
  let d: i32 = 0;
  let s: i32 = 0;
  for (; s + 8 <= slots; s += 8) {
    const off = <usize>s << 1;
    d += <i32>popcnt<u32>(i16x8.bitmask(v128.ne<i16>(v128.load(a + off), v128.load(b + off))));
  }
  for (; s < slots; s++) {
    d += <i32>(load<u16>(a + (<usize>s << 1)) != load<u16>(b + (<usize>s << 1)));
  }
  return d < limit ? d : limit;
}

/**
 * Scores rows from..to-1: writes each one's score, violation count and
 * distance to the nearest picked row (picked rows: the first `picked`
 * entries of the picks list; the slot count when none). Returns how many
 * of them break no constraint.
 */
export function score(from: i32, to: i32): i32 {
  const slots = hi(H_SLOTS);
  const picked = hi(H_PICKED);
  const nCons = hi(H_CONSTRAINTS);
  const slotOff = hp(H_SLOT_OFF);
  const pref = hp(H_PREF);
  const style = hp(H_STYLE);
  const num = hp(H_NUM);
  const cands = hp(H_CANDS);
  const picks = hp(H_PICKS);
  bind();
  const scores = hp(H_SCORES);
  const viols = hp(H_VIOL);
  const dists = hp(H_MIN_DIST);
  const penalty = load<f64>(floats + (<usize>F_PENALTY << 3));
  const diversity = load<f64>(floats + (<usize>F_DIVERSITY << 3));
  const stride = <usize>slots << 1;
  let valid: i32 = 0;
  for (let i = from; i < to; i++) {
    const row = cands + <usize>i * stride;
    let p: f64 = 0;
    let s: f64 = 0;
    for (let k: i32 = 0; k < slots; k++) {
      const g = i32At(slotOff, k) + valueOf(row, k);
      p += f64At(pref, g);
      s += f64At(style, g);
    }
    let viol: i32 = 0;
    for (let c: i32 = 0; c < nCons; c++) if (!holds(c, row, slotOff, num)) viol++;
    let near = slots;
    for (let j: i32 = 0; j < picked && near > 0; j++) {
      near = distance(row, cands + <usize>i32At(picks, j) * stride, slots, near);
    }
    const d = picked > 0 ? near : 0;
    store<f64>(scores + (<usize>i << 3), ((p + s) - penalty * <f64>viol) + diversity * <f64>d);
    store<i32>(viols + (<usize>i << 2), viol);
    store<i32>(dists + (<usize>i << 2), d);
    if (viol == 0) valid++;
  }
  return valid;
}

/** Distance from row `i` to the nearest of picks[from..to), at most `limit` (the distance known so far). */
export function nearest(i: i32, from: i32, to: i32, limit: i32): i32 {
  const slots = hi(H_SLOTS);
  const stride = <usize>slots << 1;
  const cands = hp(H_CANDS);
  const picks = hp(H_PICKS);
  const row = cands + <usize>i * stride;
  let near = limit;
  for (let j = from; j < to && near > 0; j++) near = distance(row, cands + <usize>i32At(picks, j) * stride, slots, near);
  return near;
}

/** mulberry32 state of the row being sampled. */
let rng: u32 = 0;

/** A number in [0, 1). */
@inline function draw(): f64 {
  rng += 0x6d2b79f5;
  let t = (rng ^ (rng >> 15)) * (1 | rng);
  t = (t + ((t ^ (t >> 7)) * (61 | t))) ^ t;
  return <f64>(t ^ (t >> 14)) / 4294967296.0;
}

/**
 * Samples rows from..to-1 slot by slot from the weights (alias tables),
 * redrawing a slot while a constraint that it completes (the constraints
 * whose last slot it is) fails, up to RETRIES times, then sweeping its
 * values for one that fits; a row with a slot that nothing fits starts
 * again (up to ATTEMPTS times). Row i depends only on the seed and i.
 * Returns how many rows ran out of attempts (they keep a violation and the
 * scorer drops them).
 */
export function sample(seed: u32, from: i32, to: i32): i32 {
  const slots = hi(H_SLOTS);
  const slotOff = hp(H_SLOT_OFF);
  const cum = hp(H_CUM);
  const num = hp(H_NUM);
  const cands = hp(H_CANDS);
  const slotCons = hp(H_SLOT_CONS);
  const consList = hp(H_CONS_LIST);
  const aliasProb = hp(H_ALIAS_PROB);
  const aliasIdx = hp(H_ALIAS_IDX);
  const stride = <usize>slots << 1;
  bind();
  let failed: i32 = 0;
  for (let i = from; i < to; i++) {
    let h: u32 = seed ^ (<u32>i * 0x9e3779b9);
    h = (h ^ (h >> 16)) * 0x7feb352d;
    h = (h ^ (h >> 15)) * 0x846ca68b;
    rng = h ^ (h >> 16);
    const row = cands + <usize>i * stride;
    let bad = false;
    // A row with a slot that no value fits (given the slots before it) starts again, a few times (the draws go on).
    for (let attempt: i32 = 0; attempt < ATTEMPTS; attempt++) {
      bad = false;
      for (let k: i32 = 0; k < slots && !bad; k++) {
        const lo = i32At(slotOff, k);
        const n = i32At(slotOff, k + 1) - lo;
        const c0 = i32At(slotCons, k);
        const c1 = i32At(slotCons, k + 1);
        const at = row + (<usize>k << 1);
        let ok = false;
        for (let tries: i32 = 0; tries < RETRIES && !ok; tries++) {
          store<u16>(at, <u16>drawValue(aliasProb + (<usize>lo << 3), aliasIdx + (<usize>lo << 2), n));
          ok = fits(c0, c1, consList, row, slotOff, num);
        }
        // Redraws that keep failing: sweep the drawable values from the last draw on, so that a slot fails only when no value fits.
        if (!ok) {
          const last = <i32>load<u16>(at);
          for (let j: i32 = 1; j < n && !ok; j++) {
            const v = (last + j) % n;
            if (f64At(cum, lo + v) == (v > 0 ? f64At(cum, lo + v - 1) : 0)) continue;
            store<u16>(at, <u16>v);
            ok = fits(c0, c1, consList, row, slotOff, num);
          }
        }
        bad = !ok;
      }
      if (!bad) break;
    }
    if (bad) failed++;
  }
  return failed;
}

/**
 * A value index drawn from a slot's alias table (Walker's method, built by
 * the host: n columns, each its own value with probability prob, else its
 * alias): one draw and no search, so no branch to mispredict per value.
 */
@inline function drawValue(prob: usize, alias: usize, n: i32): i32 {
  const u = draw() * <f64>n;
  const i = <i32>u;
  const col = i < n ? i : n - 1;
  return u - <f64>col < load<f64>(prob + (<usize>col << 3)) ? col : load<i32>(alias + (<usize>col << 2));
}

/** Whether the constraints consList[c0..c1) hold for the row. */
@inline function fits(c0: i32, c1: i32, consList: usize, row: usize, slotOff: usize, num: usize): bool {
  for (let c = c0; c < c1; c++) if (!holds(i32At(consList, c), row, slotOff, num)) return false;
  return true;
}
