/**
 * The ShapeService gRPC adapter: decodes requests, calls services/shape,
 * encodes characters. No logic of its own; errors go through the handler
 * wrapper's status mapping (a bad template is INVALID_ARGUMENT with its path).
 */
import type {
  AttributeValue,
  Character as CharacterMessage,
  GenerateBatchRequest,
  GenerateRequest,
  ShapeServiceServer,
  TemplateSummary as SummaryMessage,
} from '../../../../gen/ts/aria/shape/v1/shape.js';
import { InvalidArgumentError } from '../../core/errors.js';
import { echo } from '../../core/bounded-text.js';
import { unary, type ServerContext } from '../handler.js';
import {
  generateBatchFrom,
  generateFrom,
  listTemplates,
  summarize,
  validateTemplate,
  type Character,
  type TemplateRef,
  type TemplateSummary,
  type ValueWeights,
} from '../../services/shape/index.js';

/** The handlers of aria.shape.v1.ShapeService. */
export function shapeServiceHandlers(ctx: ServerContext): ShapeServiceServer {
  return {
    validateTemplate: unary(ctx, 'ValidateTemplate', (req) => ({ summary: summaryMessage(summarize(validateTemplate(req.templateJson))) })),
    listTemplates: unary(ctx, 'ListTemplates', () => ({ templates: listTemplates().map(summaryMessage) })),
    generate: unary(ctx, 'Generate', async (req, call) => {
      const result = await generateFrom(templateRef(req), { seed: req.seed, count: req.count || 1, preset: req.preset || undefined, signal: call.signal });
      const expansions = result.stats.expansions;
      if (result.status === 'no_character') return { characters: [], noCharacter: true, message: result.message, expansions };
      return { characters: result.characters.map(characterMessage), noCharacter: false, message: '', expansions };
    }),
    generateBatch: unary(ctx, 'GenerateBatch', async (req, call) => {
      const result = await generateBatchFrom(templateRef(req), {
        seed: req.seed,
        preset: req.preset || undefined,
        candidates: req.candidates || undefined,
        k: req.k || undefined,
        preferences: valueWeights(req.preferences, 'preferences'),
        style: valueWeights(req.style, 'style'),
        diversity: req.diversityOption?.diversity,
        signal: call.signal,
      });
      return {
        characters: result.characters.map((c) => ({ character: characterMessage(c.character), score: c.score, distance: c.distance })),
        candidates: result.candidates,
        valid: result.valid,
      };
    }),
  };
}

/** Repeated (attribute, value, weight) as attribute → value → weight; a value named twice is refused. */
function valueWeights(list: GenerateBatchRequest['preferences'], field: string): ValueWeights {
  const out: Record<string, Record<string, number>> = Object.create(null);
  list.forEach((w, i) => {
    const values = (out[w.attribute] ??= Object.create(null) as Record<string, number>);
    if (w.value in values) throw new InvalidArgumentError(`${field}[${i}]`, `${echo(w.attribute)} = ${echo(w.value)} is given twice`);
    values[w.value] = w.weight;
  });
  return out;
}

function templateRef(req: GenerateRequest | GenerateBatchRequest): TemplateRef {
  switch (req.template?.$case) {
    case 'builtin': return { builtin: req.template.builtin };
    case 'templateJson': return { json: req.template.templateJson };
    default: throw new InvalidArgumentError('template', 'give a built-in template name (builtin) or a template as JSON (template_json)');
  }
}

function summaryMessage(s: TemplateSummary): SummaryMessage {
  return { ...s, presets: [...s.presets] };
}

function characterMessage(c: Character): CharacterMessage {
  const attributes = Object.entries(c.attributes).map(([name, v]): AttributeValue => ({
    name,
    value: Array.isArray(v) ? { $case: 'list', list: { values: v } } : typeof v === 'number' ? { $case: 'number', number: v } : { $case: 'symbol', symbol: v },
  }));
  const traits = Object.entries(c.traits).map(([name, value]) => ({ name, value }));
  return { index: c.index, attributes, traits, prompt: c.prompt, stateJson: JSON.stringify(c.state) };
}
