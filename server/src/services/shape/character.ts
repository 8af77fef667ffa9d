/**
 * A generated character in its three forms: JSON (attribute → value,
 * traits apart), a prompt for an image model, and planner state that other
 * domains can read (`character[attr]`, `trait[name]`).
 */
import type { JsonState, JsonValue } from '../../planner/index.js';
import type { SlotValue, Template } from './template-types.js';
import { evalConstraint } from './evaluate.js';
import { describeConstraint } from './consistency.js';

/** An attribute's value: a category's name, a range's number, a list's picked names. */
export type AttributeValue = string | number | string[];

/** One generated character. */
export interface Character {
  /** Its position in the request (0, 1, ...); with the seed it determines the character. */
  readonly index: number;
  /** Attributes (not traits), in template order. */
  readonly attributes: Record<string, AttributeValue>;
  /** Personality traits, numbers. */
  readonly traits: Record<string, number>;
  /** A prompt for an image model. */
  readonly prompt: string;
  /** As planner state: `character` maps attribute names to values (lists as sets), `trait` maps trait names to numbers. */
  readonly state: JsonState;
}

/** Builds a character from its slot values (one per slot, as the plan set them). */
export function makeCharacter(t: Template, index: number, slots: readonly SlotValue[]): Character {
  const attributes: Record<string, AttributeValue> = {};
  const traits: Record<string, number> = {};
  const stateAttrs: Record<string, JsonValue> = {};
  for (const a of t.attributes) {
    if (a.trait) {
      traits[a.name] = slots[a.firstSlot] as number;
      continue;
    }
    if (a.kind === 'list') {
      const picked = a.values.filter((_, m) => slots[a.firstSlot + m] === true) as string[];
      attributes[a.name] = picked;
      stateAttrs[a.name] = { __set__: picked };
    } else {
      attributes[a.name] = slots[a.firstSlot] as string | number;
      stateAttrs[a.name] = slots[a.firstSlot] as string | number;
    }
  }
  return { index, attributes, traits, prompt: promptOf(t, attributes, traits), state: { character: stateAttrs, trait: traits } };
}

/** "full-body shot of a tall elf, with silver hair, ..., A-pose, plain background". */
export function promptOf(t: Template, attributes: Record<string, AttributeValue>, traits: Record<string, number>): string {
  const valueOf = (i: number): string => {
    const a = t.attributes[i];
    const v = a.trait ? traits[a.name] : attributes[a.name];
    return (Array.isArray(v) ? v.join(' and ') : String(v)).replace(/_/g, ' ');
  };
  const words = t.prompt.adjectives.map(valueOf).filter((w) => w.length > 0);
  words.push(t.prompt.subject === undefined ? 'character' : valueOf(t.prompt.subject));
  const head = words.join(' ');
  const details = t.prompt.details.flatMap((i) => {
    const v = valueOf(i);
    // An empty list or the value `none` says nothing to an image model.
    if (v.length === 0 || v === 'none') return [];
    const a = t.attributes[i];
    return [a.phrase === undefined ? `${a.name.replace(/_/g, ' ')}: ${v}` : a.phrase.replace('{value}', v)];
  });
  const article = /^[aeiou]/i.test(head) ? 'an' : 'a';
  return [`full-body shot of ${article} ${head}`, ...details, t.prompt.suffix].filter((p) => p.length > 0).join(', ');
}

/**
 * The constraints a character breaks (empty when it is valid), each as
 * `path: description`. Reads the character's JSON form, so it also checks
 * characters that did not come from the generator.
 */
export function checkCharacter(t: Template, c: Pick<Character, 'attributes' | 'traits'>): string[] {
  const slots: (SlotValue | undefined)[] = new Array(t.slots.length);
  const broken: string[] = [];
  for (const a of t.attributes) {
    const v = a.trait ? c.traits[a.name] : c.attributes[a.name];
    if (a.kind === 'list') {
      a.values.forEach((x, m) => (slots[a.firstSlot + m] = Array.isArray(v) && v.includes(x as string)));
    } else if (v === undefined || !a.values.includes(v as SlotValue)) broken.push(`${a.path}: ${JSON.stringify(v)} is not a value of ${a.name}`);
    else slots[a.firstSlot] = v as SlotValue;
  }
  for (const k of t.constraints) if (evalConstraint(k, (s) => slots[s]) !== true) broken.push(`${k.path}: ${describeConstraint(k)}`);
  return broken;
}
