/**
 * The seed-dependent part of generation: for each character, the order in
 * which each slot's values are tried. Categories use Efraimidis–Spirakis
 * keys (u^(1/w), compared as log(u)/w), so the first value tried is a
 * weighted draw and the rest follow in weighted-random order; ranges are
 * shuffled uniformly; a list draws how many to pick (uniform in its
 * bounds) and which (the k largest keys), and each of its yes/no slots
 * tries "picked" first exactly for those. With no constraint in the way the
 * planner's first leaf is therefore a plain weighted sample; constraints
 * make it backtrack to the next values in the same orders.
 *
 * Character i of seed s has its own generator, so it does not depend on
 * how many characters were asked for.
 */
import type { Preset, SlotValue, Template } from './template-types.js';

/** A 32-bit integer hash of two 32-bit integers (murmur3's finaliser over a mix). */
function mix(a: number, b: number): number {
  let h = (a ^ Math.imul((b + 0x9e3779b9) | 0, 0x85ebca6b)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return (h ^ (h >>> 16)) >>> 0;
}

/** mulberry32: small, fast, and good enough for sampling orders. Returns numbers in (0, 1]. */
export function prng(seed: number, index: number): () => number {
  let s = mix(seed >>> 0, index >>> 0);
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (((t ^ (t >>> 14)) >>> 0) + 1) / 4294967296;
  };
}

/** What the orders are drawn from under one preset: allowed values and their weights per slot. */
export interface OrderPlan {
  readonly values: readonly (readonly SlotValue[])[];
  readonly weights: readonly (readonly number[])[];
}

/** The order plan of a template under a preset, from consistency.ts's allowed values. */
export function orderPlan(t: Template, allowed: readonly (readonly SlotValue[])[], preset?: Preset): OrderPlan {
  const weights = t.slots.map((s, k) => {
    const a = t.attributes[s.attr];
    const ws = preset?.weights.get(s.attr) ?? a.weights;
    if (s.member !== undefined) return [ws[s.member]];
    return allowed[k].map((v) => ws[a.values.indexOf(v)]);
  });
  return { values: allowed, weights };
}

/** Scratch space for the keys (one generation runs at a time on a thread). */
let keys = new Float64Array(64);

/** Weighted-random order of `values` (Efraimidis–Spirakis); an insertion sort on the keys, as the lists are short. */
function weightedOrder(values: readonly SlotValue[], weights: readonly number[], rand: () => number): SlotValue[] {
  const n = values.length;
  if (n === 1) return values as SlotValue[];
  if (keys.length < n) keys = new Float64Array(n * 2);
  const out: SlotValue[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const key = Math.log(rand()) / weights[i];
    let j = i;
    for (; j > 0 && keys[j - 1] < key; j--) {
      keys[j] = keys[j - 1];
      out[j] = out[j - 1];
    }
    keys[j] = key;
    out[j] = values[i];
  }
  return out;
}

/** Uniform shuffle (Fisher–Yates). */
function shuffled(values: readonly SlotValue[], rand: () => number): SlotValue[] {
  const out = values.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.min(i, Math.floor(rand() * (i + 1)));
    const x = out[i];
    out[i] = out[j];
    out[j] = x;
  }
  return out;
}

const PICK_FIRST: readonly SlotValue[] = [true, false];
const SKIP_FIRST: readonly SlotValue[] = [false, true];
const ONLY_TRUE: readonly SlotValue[] = [true];
const ONLY_FALSE: readonly SlotValue[] = [false];

/** The value order of every slot for one character (arrays may be shared between characters: read only). */
export function characterOrders(t: Template, plan: OrderPlan, seed: number, index: number): (readonly SlotValue[])[] {
  const rand = prng(seed, index);
  const out: (readonly SlotValue[])[] = new Array(t.slots.length);
  for (const a of t.attributes) {
    const k0 = a.firstSlot;
    if (a.kind === 'category') out[k0] = weightedOrder(plan.values[k0], plan.weights[k0], rand);
    else if (a.kind === 'range') out[k0] = shuffled(plan.values[k0], rand);
    else listOrders(a.pickMin, a.pickMax, a.values.length, k0, plan, rand, out);
  }
  return out;
}

/** A list's yes/no slots: draw k, prefer the k elements with the largest keys, pinned ones as pinned. */
function listOrders(pickMin: number, pickMax: number, n: number, k0: number, plan: OrderPlan, rand: () => number, out: (readonly SlotValue[])[]): void {
  let sure = 0;
  const open: number[] = [];
  const keys: number[] = [];
  for (let k = k0; k < k0 + n; k++) {
    const vs = plan.values[k];
    if (vs.length === 2) {
      open.push(k);
      keys.push(Math.log(rand()) / plan.weights[k][0]);
    } else {
      if (vs[0] === true) sure++;
      out[k] = vs[0] === true ? ONLY_TRUE : ONLY_FALSE;
    }
  }
  const want = pickMin + Math.min(pickMax - pickMin, Math.floor(rand() * (pickMax - pickMin + 1)));
  const take = Math.max(0, want - sure);
  // The `take` largest keys are preferred; a key is preferred when fewer than `take` keys beat it.
  for (let i = 0; i < open.length; i++) {
    let above = 0;
    for (let j = 0; j < open.length; j++) if (keys[j] > keys[i] || (keys[j] === keys[i] && j < i)) above++;
    out[open[i]] = above < take ? PICK_FIRST : SKIP_FIRST;
  }
}
