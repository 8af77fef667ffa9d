/**
 * Attributes and traits of a template: weighted categories, numeric ranges
 * discretised by their step, and pick-k lists; each becomes one or more
 * planner slots.
 */
import type { Attribute, Slot, SlotValue } from './template-types.js';
import { VALUE_RE, array, attrName, count, fail, finite, object, shown, text, weight } from './json-checks.js';

/** Most attributes and traits in a template, together. */
export const MAX_ATTRIBUTES = 256;
/** Most values of one attribute (a range's steps included): bounds each choice point. */
export const MAX_VALUES = 1000;
/** Most elements a list attribute may choose from (each is a yes/no slot). */
export const MAX_LIST_VALUES = 64;
/** Most decisions (slots) in a template: bounds the compiled domain's size. */
export const MAX_SLOTS = 1024;

const ATTR_KEYS = ['name', 'values', 'range', 'pick', 'phrase'];

/** Validates `attributes` and `traits`; names are unique across both. */
export function validateAttributes(rawAttrs: unknown, rawTraits: unknown): { attributes: Attribute[]; slots: Slot[] } {
  const attrs = array(rawAttrs, 'template.attributes', MAX_ATTRIBUTES, 1);
  const traits = rawTraits === undefined ? [] : array(rawTraits, 'template.traits', MAX_ATTRIBUTES);
  if (attrs.length + traits.length > MAX_ATTRIBUTES) fail('template.traits', `at most ${MAX_ATTRIBUTES} attributes and traits together`);
  const attributes: Attribute[] = [];
  const slots: Slot[] = [];
  const seen = new Map<string, string>();
  const add = (raw: unknown, path: string, trait: boolean) => {
    const a = attribute(raw, path, trait, slots.length);
    const first = seen.get(a.name);
    if (first !== undefined) fail(`${path}.name`, `duplicate name '${a.name}' (first at ${first})`);
    seen.set(a.name, path);
    const index = attributes.length;
    attributes.push(a);
    if (a.kind === 'list') a.values.forEach((_, member) => slots.push({ attr: index, member, values: [true, false] }));
    else slots.push({ attr: index, values: a.values });
  };
  attrs.forEach((raw, i) => add(raw, `template.attributes[${i}]`, false));
  traits.forEach((raw, i) => add(raw, `template.traits[${i}]`, true));
  if (slots.length > MAX_SLOTS) fail('template.attributes', `${slots.length} decisions (each list value counts as one); at most ${MAX_SLOTS}`);
  return { attributes, slots };
}

function attribute(raw: unknown, path: string, trait: boolean, firstSlot: number): Attribute {
  const o = object(raw, path, trait ? ['name', 'range', 'phrase'] : ATTR_KEYS);
  const name = attrName(o.name, `${path}.name`);
  const phrase = o.phrase === undefined ? undefined : text(o.phrase, `${path}.phrase`, 200);
  if (phrase !== undefined && !phrase.includes('{value}')) fail(`${path}.phrase`, "must contain '{value}'");
  const kinds = ['values', 'range', 'pick'].filter((k) => o[k] !== undefined);
  if (trait && kinds[0] !== 'range') fail(path, "a trait needs 'range' (traits are numbers)");
  if (kinds.length !== 1) fail(path, "needs exactly one of 'values' (a category), 'range' (numbers) or 'pick' (a list)");
  const base = { name, trait, path, phrase, firstSlot };
  if (kinds[0] === 'values') {
    const { values, weights } = weighted(o.values, `${path}.values`, MAX_VALUES);
    return { ...base, kind: 'category', values, weights, pickMin: 1, pickMax: 1 };
  }
  if (kinds[0] === 'range') {
    const values = range(o.range, `${path}.range`);
    return { ...base, kind: 'range', values, weights: values.map(() => 1), pickMin: 1, pickMax: 1 };
  }
  const p = object(o.pick, `${path}.pick`, ['values', 'min', 'max']);
  const { values, weights } = weighted(p.values, `${path}.pick.values`, MAX_LIST_VALUES);
  const pickMin = p.min === undefined ? 0 : count(p.min, `${path}.pick.min`, values.length);
  const pickMax = p.max === undefined ? values.length : count(p.max, `${path}.pick.max`, values.length);
  if (pickMin > pickMax) fail(`${path}.pick`, `min ${pickMin} is above max ${pickMax}`);
  return { ...base, kind: 'list', values, weights, pickMin, pickMax };
}

/** `{"elf": 3, "human": 5}`: value names with positive weights, in the order written. */
function weighted(raw: unknown, path: string, max: number): { values: string[]; weights: number[] } {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) fail(path, `must be an object of value: weight, got ${shown(raw)}`);
  const entries = Object.entries(raw);
  if (entries.length === 0) fail(path, 'must not be empty');
  if (entries.length > max) fail(path, `at most ${max} values, got ${entries.length}`);
  for (const [v, w] of entries) {
    if (!VALUE_RE.test(v)) fail(path, `'${v}' is not a valid value name (letters, digits, '_', '.', '-', at most 64, starting with a letter or digit)`);
    weight(w, `${path}.${v}`);
  }
  return { values: entries.map(([v]) => v), weights: entries.map(([, w]) => w as number) };
}

/** `{"min": 16, "max": 80, "step": 1}`: the values min, min+step, ... up to max, at most MAX_VALUES. */
function range(raw: unknown, path: string): number[] {
  const o = object(raw, path, ['min', 'max', 'step']);
  const min = finite(o.min, `${path}.min`);
  const max = finite(o.max, `${path}.max`);
  const step = o.step === undefined ? 1 : finite(o.step, `${path}.step`);
  if (step <= 0) fail(`${path}.step`, `must be positive, got ${step}`);
  if (max < min) fail(path, `max ${max} is below min ${min}`);
  // The small epsilon keeps max itself when (max - min) / step is a whole number in decimal but not in binary.
  const n = Math.floor((max - min) / step + 1e-9) + 1;
  if (n > MAX_VALUES) fail(path, `${n} steps from min to max; at most ${MAX_VALUES} (use a larger step)`);
  // Rounded to the decimals written, so 0.1 * 3 is 0.3 and conditions compare exactly.
  const digits = Math.min(9, Math.max(decimals(min), decimals(step)));
  return Array.from({ length: n }, (_, i) => Number((min + i * step).toFixed(digits)));
}

function decimals(x: number): number {
  const s = String(x);
  const e = /e-(\d+)$/.exec(s);
  if (e) return Number(e[1]);
  const dot = s.indexOf('.');
  return dot < 0 ? 0 : s.length - dot - 1;
}

/** The slot values of an attribute named in a condition or a pin, for messages. */
export function describeValues(values: readonly SlotValue[]): string {
  const shownValues = values.slice(0, 8).map(String).join(', ');
  return values.length > 8 ? `${shownValues}, ... (${values.length})` : shownValues;
}
