/**
 * The shape service's operations, as the transport and the CLI call them:
 * a template named (built in) or given inline as JSON text, validated,
 * compiled once, and generated from.
 */
import { InvalidArgumentError } from '../../core/errors.js';
import type { Template } from './template-types.js';
import { validateTemplate } from './validate-template.js';
import { builtinTemplate, builtinTemplateNames } from './builtin-templates.js';
import { generate, type GenerateOptions, type GenerateResult } from './generate.js';
import { generateBatch, type BatchOptions, type BatchResult } from './batch.js';

/** Which template: a built-in's name, or a template's JSON text. Exactly one. */
export type TemplateRef = { builtin: string } | { json: string };

/** What ListTemplates and ValidateTemplate tell about a template. */
export interface TemplateSummary {
  readonly name: string;
  readonly description: string;
  readonly attributes: number;
  readonly traits: number;
  readonly constraints: number;
  readonly presets: readonly string[];
}

/** A template by reference; InvalidArgumentError (or NotFoundError for an unknown built-in) when it is not one. */
export function resolveTemplate(ref: TemplateRef): Template {
  if ('builtin' in ref) {
    if (!ref.builtin) throw new InvalidArgumentError('template', 'give a built-in template name or a template as JSON');
    return builtinTemplate(ref.builtin);
  }
  return validateTemplate(ref.json);
}

/** A template's summary. */
export function summarize(t: Template): TemplateSummary {
  const traits = t.attributes.filter((a) => a.trait).length;
  return {
    name: t.name,
    description: t.description,
    attributes: t.attributes.length - traits,
    traits,
    constraints: t.constraints.filter((c) => c.path.startsWith('template.constraints')).length,
    presets: t.presets.map((p) => p.name),
  };
}

/** The built-in templates' summaries, by name. */
export function listTemplates(): TemplateSummary[] {
  return builtinTemplateNames().map((n) => summarize(builtinTemplate(n)));
}

/** Generates characters from a referenced template. */
export function generateFrom(ref: TemplateRef, opts: GenerateOptions): Promise<GenerateResult> {
  return generate(resolveTemplate(ref), opts);
}

/** A batch (the best k of n candidates, diverse) from a referenced template. */
export function generateBatchFrom(ref: TemplateRef, opts: BatchOptions): Promise<BatchResult> {
  return generateBatch(resolveTemplate(ref), opts);
}
