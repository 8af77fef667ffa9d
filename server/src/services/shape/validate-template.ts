/**
 * A template as a person writes it (docs/shape.md), checked and normalised.
 * Every error is an InvalidArgumentError naming the exact place, such as
 * `template.attributes[3].values.elf: weight must be a positive finite
 * number, got -1`.
 */
import type { Template } from './template-types.js';
import { fail, object, text } from './json-checks.js';
import { validateAttributes } from './validate-attributes.js';
import { validateConstraints } from './validate-constraints.js';
import { validatePresets, validatePrompt } from './validate-presets.js';
import { allowedValues } from './consistency.js';

/** Template names: lowercase, usable in a domain's name and on a command line. */
const TEMPLATE_NAME_RE = /^[a-z][a-z0-9_-]{0,63}$/;

/** Most bytes of a template's JSON text. */
export const MAX_TEMPLATE_BYTES = 1024 * 1024;

/**
 * Checks a template given as parsed JSON or as JSON text, and returns its
 * normalised form. Contradictions visible without search (a constraint no
 * value satisfies, a preset pin a constraint rules out) are errors too.
 */
export function validateTemplate(source: unknown): Template {
  let raw = source;
  if (typeof source === 'string') {
    if (Buffer.byteLength(source) > MAX_TEMPLATE_BYTES) fail('template', `at most ${MAX_TEMPLATE_BYTES} bytes of JSON`);
    try {
      raw = JSON.parse(source);
    } catch (err) {
      fail('template', `not valid JSON: ${(err as Error).message}`);
    }
  }
  const o = object(raw, 'template', ['name', 'description', 'attributes', 'traits', 'constraints', 'presets', 'prompt']);
  const name = text(o.name, 'template.name', 64);
  if (!TEMPLATE_NAME_RE.test(name)) fail('template.name', `must be lowercase letters, digits, '_' or '-', starting with a letter (at most 64), got '${name}'`);
  const description = o.description === undefined ? '' : text(o.description, 'template.description', 2000);
  const { attributes, slots } = validateAttributes(o.attributes, o.traits);
  const constraints = validateConstraints(o.constraints, attributes);
  const presets = validatePresets(o.presets, attributes);
  const prompt = validatePrompt(o.prompt, attributes);
  const template: Template = { name, description, attributes, slots, constraints, presets, prompt, key: JSON.stringify(raw) };
  // Contradictions found without search, for the template alone and under each preset.
  allowedValues(template);
  for (const p of presets) allowedValues(template, p);
  return template;
}
