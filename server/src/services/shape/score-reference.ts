/**
 * The kernel's scoring written as idiomatic TypeScript over character
 * objects, as a user of the library would write it: attribute maps,
 * Array methods, the template's constraint objects. It is the yardstick
 * the benchmark measures the WebAssembly kernel against, and the tests
 * hold the two to identical scores (the sums run in the same order, so
 * the floating-point results are bit-for-bit the same).
 */
import type { Character } from './character.js';
import type { SlotValue, Template } from './template-types.js';
import { evalConstraint } from './evaluate.js';
import type { CheckedScoreOptions, ValueWeights } from './score-options.js';

/** A character as scored: its attributes and traits. */
export type Scored = Pick<Character, 'attributes' | 'traits'>;

/** One candidate's score and its parts. */
export interface ReferenceScore {
  readonly score: number;
  readonly violations: number;
  /** Attributes (a list: each element) that differ from the nearest picked character; 0 when none is picked. */
  readonly minDistance: number;
}

/** Scores candidates against preferences, style, constraints and the characters already picked. */
export function referenceScores(t: Template, candidates: readonly Scored[], picked: readonly Scored[], o: CheckedScoreOptions): ReferenceScore[] {
  return candidates.map((c) => {
    const preference = weightSum(t, c, o.preferences);
    const style = weightSum(t, c, o.style);
    const violations = t.constraints.filter((k) => evalConstraint(k, (slot) => slotValue(t, c, slot)) !== true).length;
    const minDistance = picked.length === 0 ? 0 : Math.min(...picked.map((p) => distance(t, c, p)));
    return { score: preference + style - o.penalty * violations + o.diversity * minDistance, violations, minDistance };
  });
}

/** The weights of the values a character has, attribute by attribute (a list: each picked element). */
function weightSum(t: Template, c: Scored, w: ValueWeights): number {
  return t.attributes.reduce((sum: number, a): number => {
    const v = valueOf(c, a.name, a.trait);
    const weights = w[a.name] ?? {};
    if (Array.isArray(v)) return a.values.filter((x) => v.includes(x as string)).reduce((s: number, x) => s + (weights[String(x)] ?? 0), sum);
    return sum + (weights[String(v)] ?? 0);
  }, 0);
}

/** How many attributes differ (a list counts each element picked by one and not the other). */
function distance(t: Template, a: Scored, b: Scored): number {
  return t.attributes.reduce((d, attr) => {
    const x = valueOf(a, attr.name, attr.trait);
    const y = valueOf(b, attr.name, attr.trait);
    if (Array.isArray(x) && Array.isArray(y)) return d + attr.values.filter((m) => x.includes(m as string) !== y.includes(m as string)).length;
    return d + (x === y ? 0 : 1);
  }, 0);
}

function valueOf(c: Scored, name: string, trait: boolean): string | number | string[] {
  return trait ? c.traits[name] : c.attributes[name];
}

/** A slot's value read off the character (a list element: whether it is picked). */
function slotValue(t: Template, c: Scored, slot: number): SlotValue {
  const s = t.slots[slot];
  const a = t.attributes[s.attr];
  const v = valueOf(c, a.name, a.trait);
  return s.member === undefined ? (v as SlotValue) : (v as string[]).includes(a.values[s.member] as string);
}
