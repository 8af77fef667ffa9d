/**
 * The face of shape: character templates, validated and compiled to
 * planning domains, and characters generated from them by the planner.
 * docs/shape.md describes the template format.
 */
export type { Template, Attribute, Constraint, Preset, SlotValue } from './template-types.js';
export { validateTemplate, MAX_TEMPLATE_BYTES } from './validate-template.js';
export { compileTemplate, templateDomainText, type CompiledTemplate } from './compile-template.js';
export { generate, generateSync, MAX_COUNT, type GenerateOptions, type GenerateResult, type GenerateStats } from './generate.js';
export { checkCharacter, type Character, type AttributeValue } from './character.js';
export { builtinTemplate, builtinTemplateNames } from './builtin-templates.js';
export { describeConstraint } from './consistency.js';
export { resolveTemplate, summarize, listTemplates, generateFrom, generateBatchFrom, type TemplateRef, type TemplateSummary } from './shape-service.js';
export { generateBatch, closeBatchPool, checkBatchOptions, MAX_CANDIDATES, MAX_K, MAX_WORK, type BatchOptions, type BatchResult, type BatchCharacter } from './batch.js';
export { checkScoreOptions, type ScoreOptions, type ValueWeights } from './score-options.js';
