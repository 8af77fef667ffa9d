/**
 * Presets (pins and re-weights) and the prompt section of a template.
 */
import type { Attribute, Preset, PromptSpec, SlotValue } from './template-types.js';
import { VALUE_RE, array, attrName, fail, object, shown, text, weight } from './json-checks.js';
import { describeValues } from './validate-attributes.js';

/** Most presets in a template. */
export const MAX_PRESETS = 64;

/** Validates `presets`: unique names, pins to existing values, weights for existing values. */
export function validatePresets(raw: unknown, attrs: readonly Attribute[]): Preset[] {
  const list = raw === undefined ? [] : array(raw, 'template.presets', MAX_PRESETS);
  const byName = new Map(attrs.map((a, i) => [a.name, i]));
  const seen = new Map<string, string>();
  return list.map((r, i) => {
    const path = `template.presets[${i}]`;
    const o = object(r, path, ['name', 'description', 'pin', 'weights']);
    const name = attrName(o.name, `${path}.name`);
    const first = seen.get(name);
    if (first !== undefined) fail(`${path}.name`, `duplicate name '${name}' (first at ${first})`);
    seen.set(name, path);
    if (o.description !== undefined) text(o.description, `${path}.description`, 1000);
    const pins = new Map<number, SlotValue[]>();
    for (const [attrKey, v] of Object.entries(o.pin === undefined ? {} : object(o.pin, `${path}.pin`, [...byName.keys()]))) {
      pin(attrs[byName.get(attrKey)!], v, `${path}.pin.${attrKey}`, pins);
    }
    const weights = new Map<number, number[]>();
    for (const [attrKey, w] of Object.entries(o.weights === undefined ? {} : object(o.weights, `${path}.weights`, [...byName.keys()]))) {
      const index = byName.get(attrKey)!;
      const a = attrs[index];
      const p = `${path}.weights.${attrKey}`;
      if (a.kind === 'range') fail(p, `'${attrKey}' is a range: ranges are not weighted`);
      const ws = [...a.weights];
      for (const [value, x] of Object.entries(object(w, p, a.values as string[]))) ws[a.values.indexOf(value)] = weight(x, `${p}.${value}`);
      weights.set(index, ws);
    }
    return { name, path, pins, weights };
  });
}

/** A pin: a category to one value or a list of allowed ones, a range to a number or numbers, a list to exactly these elements. */
function pin(a: Attribute, v: unknown, path: string, pins: Map<number, SlotValue[]>): void {
  const given = Array.isArray(v) ? v : [v];
  if (a.kind === 'list') {
    if (!Array.isArray(v)) fail(path, `'${a.name}' is a list: pin it to an array of its values`);
    for (const x of given) if (typeof x !== 'string' || !a.values.includes(x)) fail(path, `${shown(x)} is not a value of ${a.name} (${describeValues(a.values)})`);
    a.values.forEach((x, m) => pins.set(a.firstSlot + m, [given.includes(x)]));
    return;
  }
  if (given.length === 0) fail(path, 'must not be empty');
  for (const x of given) {
    const ok = a.kind === 'category' ? typeof x === 'string' && VALUE_RE.test(x) && a.values.includes(x) : typeof x === 'number' && a.values.includes(x);
    if (!ok) fail(path, `${shown(x)} is not a value of ${a.name} (${describeValues(a.values)})`);
  }
  pins.set(a.firstSlot, a.values.filter((x) => given.includes(x)));
}

/** Validates `prompt`: attribute names for the subject, adjectives and details. */
export function validatePrompt(raw: unknown, attrs: readonly Attribute[]): PromptSpec {
  const byName = new Map(attrs.map((a, i) => [a.name, i]));
  const o = raw === undefined ? {} : object(raw, 'template.prompt', ['subject', 'adjectives', 'details', 'suffix']);
  const ref = (v: unknown, path: string): number => {
    const i = byName.get(attrName(v, path));
    if (i === undefined) fail(path, `unknown attribute ${shown(v)}`);
    return i;
  };
  const refs = (v: unknown, path: string) => (v === undefined ? undefined : array(v, path, 256).map((x, i) => ref(x, `${path}[${i}]`)));
  const subject = o.subject === undefined ? undefined : ref(o.subject, 'template.prompt.subject');
  const adjectives = refs(o.adjectives, 'template.prompt.adjectives') ?? [];
  // By default every attribute with a phrase is a detail, in template order.
  const details = refs(o.details, 'template.prompt.details') ?? attrs.flatMap((a, i) => (a.phrase !== undefined && i !== subject && !adjectives.includes(i) ? [i] : []));
  const suffix = o.suffix === undefined ? 'A-pose, plain background' : text(o.suffix, 'template.prompt.suffix', 500);
  return { subject, adjectives, details, suffix };
}
