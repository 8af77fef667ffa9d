/**
 * A template and scoring options flattened into the typed arrays the
 * scoring kernel reads (wasm/scorer): per-value tables indexed by
 * slotOffsets[slot] + value index, conditions and constraints as columns.
 * Plain TypeScript with no WebAssembly in it, so the tables can be built
 * and checked anywhere; score-kernel.ts copies them into the module.
 */
import type { Cond, Preset, SlotValue, Template } from './template-types.js';
import { allowedValues } from './consistency.js';
import { constraintSlots } from './validate-constraints.js';
import { orderPlan } from './value-order.js';
import { evalCond } from './evaluate.js';
import type { CheckedScoreOptions, ValueWeights } from './score-options.js';

/** Condition opcodes (wasm/scorer/header.ts has the same numbers). */
export const Op = { EQ: 0, NE: 1, LT: 2, LE: 3, GT: 4, GE: 5, IN: 6, NOT_IN: 7, SLOT: 8 } as const;
/** Constraint kinds (the same numbers as the kernel's). */
export const Kind = { requires: 0, excludes: 1, at_most: 2, at_least: 3 } as const;

/** Everything the kernel reads except the candidates. */
export interface KernelTables {
  readonly slots: number;
  /** slots + 1 entries: where each slot's values start in the per-value tables. */
  readonly slotOffsets: Int32Array;
  /** Per value: preference weight, style weight, numeric value (NaN for symbols), cumulative sampling weight within its slot. */
  readonly pref: Float64Array;
  readonly style: Float64Array;
  readonly num: Float64Array;
  readonly cum: Float64Array;
  /** Per value: the sampler's alias table (Walker's method) of its slot: the column's own probability and its alias. */
  readonly aliasProb: Float64Array;
  readonly aliasIdx: Int32Array;
  /** Per condition. */
  readonly condOp: Int32Array;
  readonly condSlot: Int32Array;
  readonly condArg: Int32Array;
  readonly condLit: Float64Array;
  /** in / not_in: one byte per value of the slot, at condArg. */
  readonly mask: Uint8Array;
  /** Per constraint: kind, `when` condition (-1: none), first condition, condition count, bound. */
  readonly consKind: Int32Array;
  readonly consWhen: Int32Array;
  readonly consFirst: Int32Array;
  readonly consLen: Int32Array;
  readonly consBound: Int32Array;
  /** slots + 1 entries into consList: the constraints each slot completes (its last slot), for the sampler. */
  readonly slotCons: Int32Array;
  readonly consList: Int32Array;
  readonly penalty: number;
  readonly diversity: number;
}

/** Probability bounds for a list element's yes, so no element is impossible or certain by sampling alone. */
const P_MIN = 0.02;
const P_MAX = 0.98;

/**
 * How conditions on one slot are compiled: `masks` (the default) as a truth
 * table over the slot's values (OP_IN), one byte read per evaluation;
 * `ops` as their own opcodes (value index and numeric compares). Both give
 * the same results; the tests run both, the service uses masks (several
 * times faster in the kernel's hot loop).
 */
export type CondCompilation = 'masks' | 'ops';

/** The tables of a template under a preset (or none) and checked scoring options. */
export function kernelTables(t: Template, opts: CheckedScoreOptions, preset?: Preset, compile: CondCompilation = 'masks'): KernelTables {
  const S = t.slots.length;
  const slotOffsets = new Int32Array(S + 1);
  t.slots.forEach((s, k) => (slotOffsets[k + 1] = slotOffsets[k] + s.values.length));
  const V = slotOffsets[S];
  const pref = new Float64Array(V);
  const style = new Float64Array(V);
  const num = new Float64Array(V);
  const cum = new Float64Array(V);
  const aliasProb = new Float64Array(V);
  const aliasIdx = new Int32Array(V);
  const plan = orderPlan(t, allowedValues(t, preset), preset);
  t.slots.forEach((s, k) => {
    const a = t.attributes[s.attr];
    const o = slotOffsets[k];
    s.values.forEach((v, i) => {
      num[o + i] = typeof v === 'number' ? v : NaN;
      pref[o + i] = weightOf(opts.preferences, a.name, s.member === undefined ? v : a.values[s.member], v);
      style[o + i] = weightOf(opts.style, a.name, s.member === undefined ? v : a.values[s.member], v);
    });
    const weights = s.member === undefined ? s.values.map((v) => weightIn(plan.values[k], plan.weights[k], v)) : memberWeights(t, plan.values[k], k, preset);
    let run = 0;
    weights.forEach((w, i) => (cum[o + i] = run += w));
    aliasTable(weights, aliasProb.subarray(o), aliasIdx.subarray(o));
  });
  const conds = new CondColumns(compile === 'masks');
  const n = t.constraints.length;
  const consKind = new Int32Array(n);
  const consWhen = new Int32Array(n);
  const consFirst = new Int32Array(n);
  const consLen = new Int32Array(n);
  const consBound = new Int32Array(n);
  const lastSlot = new Int32Array(n);
  t.constraints.forEach((c, i) => {
    consKind[i] = Kind[c.kind];
    consWhen[i] = c.when ? conds.add(t, c.when) : -1;
    consFirst[i] = conds.count;
    for (const x of c.conds) conds.add(t, x);
    consLen[i] = c.conds.length;
    consBound[i] = c.count;
    lastSlot[i] = Math.max(...constraintSlots(c));
  });
  const slotCons = new Int32Array(S + 1);
  const consList = new Int32Array(n);
  let at = 0;
  for (let k = 0; k < S; k++) {
    slotCons[k] = at;
    for (let i = 0; i < n; i++) if (lastSlot[i] === k) consList[at++] = i;
  }
  slotCons[S] = at;
  return {
    slots: S, slotOffsets, pref, style, num, cum, aliasProb, aliasIdx, ...conds.done(),
    consKind, consWhen, consFirst, consLen, consBound, slotCons, consList, penalty: opts.penalty, diversity: opts.diversity,
  };
}

/**
 * Vose's alias method: column i keeps value i with probability prob[i]
 * (within the column) and gives alias[i] otherwise, so that each value is
 * drawn in proportion to its weight. A zero weight is never drawn.
 */
function aliasTable(weights: readonly number[], prob: Float64Array, alias: Int32Array): void {
  const n = weights.length;
  const total = weights.reduce((a, b) => a + b, 0);
  const p = weights.map((w) => (w * n) / total);
  const small: number[] = [];
  const large: number[] = [];
  p.forEach((x, i) => (x < 1 ? small : large).push(i));
  while (small.length > 0 && large.length > 0) {
    const s = small.pop()!;
    const l = large[large.length - 1];
    prob[s] = p[s];
    alias[s] = l;
    p[l] = p[l] + p[s] - 1;
    if (p[l] < 1) small.push(large.pop()!);
  }
  // What is left is 1 up to rounding; a leftover zero weight (only rounding puts one here) points at a drawable value.
  const some = weights.findIndex((w) => w > 0);
  for (const i of [...large, ...small]) {
    prob[i] = weights[i] > 0 ? 1 : 0;
    alias[i] = weights[i] > 0 ? i : some;
  }
}

/** A value's weight in a table: a list element's yes takes the element's weight, its no nothing. */
function weightOf(w: ValueWeights, attr: string, key: SlotValue, v: SlotValue): number {
  if (v === false) return 0;
  return w[attr]?.[String(key)] ?? 0;
}

/** A value's sampling weight: its weight if the preset allows it, else 0 (never drawn). */
function weightIn(allowed: readonly SlotValue[], weights: readonly number[], v: SlotValue): number {
  const i = allowed.indexOf(v);
  return i < 0 ? 0 : weights[i];
}

/** A list element's [yes, no] weights: its share of the elements' weight times the mean pick size, bounded. */
function memberWeights(t: Template, allowed: readonly SlotValue[], k: number, preset?: Preset): number[] {
  const s = t.slots[k];
  const a = t.attributes[s.attr];
  const ws = preset?.weights.get(s.attr) ?? a.weights;
  const total = ws.reduce((x, y) => x + y, 0);
  const p = Math.min(P_MAX, Math.max(P_MIN, (((a.pickMin + a.pickMax) / 2) * ws[s.member!]) / total));
  return [allowed.includes(true) ? p : 0, allowed.includes(false) ? 1 - p : 0];
}

/** Conditions flattened, as the kernel reads them. */
class CondColumns {
  private readonly op: number[] = [];
  private readonly slot: number[] = [];
  private readonly arg: number[] = [];
  private readonly lit: number[] = [];
  private readonly mask: number[] = [];

  constructor(private readonly masks: boolean) {}

  get count(): number {
    return this.op.length;
  }

  /** Adds one condition; its index. */
  add(t: Template, c: Cond): number {
    const values = t.slots[c.slot].values;
    let op: number;
    let arg = 0;
    let lit = 0;
    if (this.masks && c.other === undefined) {
      op = Op.IN;
      arg = this.mask.length;
      // evalCond on this slot alone decides the condition (it reads no other slot).
      for (const v of values) this.mask.push(evalCond(c, (s) => (s === c.slot ? v : undefined)) ? 1 : 0);
    } else if (c.op === 'in' || c.op === 'not_in') {
      op = c.op === 'in' ? Op.IN : Op.NOT_IN;
      arg = this.mask.length;
      for (const v of values) this.mask.push(c.set!.includes(v) ? 1 : 0);
    } else if (c.other !== undefined) {
      op = Op.SLOT + compareOp(c.op);
      arg = c.other;
    } else if (c.op === '==' || c.op === '!=') {
      // By value index: a constant that is not one of the slot's values is never equal (index -1).
      op = c.op === '==' ? Op.EQ : Op.NE;
      arg = values.indexOf(c.rhs!);
    } else {
      op = compareOp(c.op);
      lit = c.rhs as number;
    }
    this.op.push(op);
    this.slot.push(c.slot);
    this.arg.push(arg);
    this.lit.push(lit);
    return this.op.length - 1;
  }

  done() {
    return {
      condOp: Int32Array.from(this.op), condSlot: Int32Array.from(this.slot), condArg: Int32Array.from(this.arg),
      condLit: Float64Array.from(this.lit), mask: Uint8Array.from(this.mask.length ? this.mask : [0]),
    };
  }
}

function compareOp(op: Cond['op']): number {
  switch (op) {
    case '==': return Op.EQ;
    case '!=': return Op.NE;
    case '<': return Op.LT;
    case '<=': return Op.LE;
    case '>': return Op.GT;
    default: return Op.GE;
  }
}
