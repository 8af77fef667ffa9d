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

/** Weighted-random order of `values` (Efraimidis–Spirakis). */
function weightedOrder(values: readonly SlotValue[], weights: readonly number[], rand: () => number): SlotValue[] {
  if (values.length < 2) return [...values];
  const keyed = values.map((v, i) => ({ v, key: Math.log(rand()) / weights[i] }));
  keyed.sort((x, y) => y.key - x.key);
  return keyed.map((x) => x.v);
}

/** Uniform shuffle (Fisher–Yates). */
function shuffled(values: readonly SlotValue[], rand: () => number): SlotValue[] {
  const out = [...values];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.min(i, Math.floor(rand() * (i + 1)));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** The value order of every slot for one character. */
export function characterOrders(t: Template, plan: OrderPlan, seed: number, index: number): SlotValue[][] {
  const rand = prng(seed, index);
  const out: SlotValue[][] = new Array(t.slots.length);
  for (const a of t.attributes) {
    const k0 = a.firstSlot;
    if (a.kind === 'category') out[k0] = weightedOrder(plan.values[k0], plan.weights[k0], rand);
    else if (a.kind === 'range') out[k0] = shuffled(plan.values[k0], rand);
    else {
      const members = a.values.map((_, m) => k0 + m);
      const sure = members.filter((k) => plan.values[k].length === 1 && plan.values[k][0] === true).length;
      const open = members.filter((k) => plan.values[k].length === 2);
      const want = a.pickMin + Math.min(a.pickMax - a.pickMin, Math.floor(rand() * (a.pickMax - a.pickMin + 1)));
      const keyed = open.map((k) => ({ k, key: Math.log(rand()) / plan.weights[k][0] })).sort((x, y) => y.key - x.key);
      const preferred = new Set(keyed.slice(0, Math.max(0, want - sure)).map((x) => x.k));
      for (const k of members) {
        const order = preferred.has(k) ? [true, false] : [false, true];
        out[k] = order.filter((v) => plan.values[k].includes(v));
      }
    }
  }
  return out;
}
