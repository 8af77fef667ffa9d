/**
 * `aria shape ...`: character generation from the command line, in this
 * process (no server). Loaded only for this command, so the other commands
 * keep starting without the shape service's modules.
 *
 *   aria shape generate --template NAME|FILE [--seed N] [--count K] [--preset P]
 *   aria shape batch --template NAME|FILE [-n CANDIDATES] [-k K] [--seed N] [--preset P]
 *                    [--prefer ATTR=VALUE[:W]]... [--style ATTR=VALUE[:W]]... [--diversity D]
 *   aria shape validate FILE
 *   aria shape list
 *   aria shape domain NAME|FILE      the compiled planning domain, as text
 */
import { existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  builtinTemplate,
  builtinTemplateNames,
  closeBatchPool,
  generate,
  generateBatch,
  listTemplates,
  summarize,
  templateDomainText,
  validateTemplate,
  type Template,
  type ValueWeights,
} from '../services/shape/index.js';
import { UsageError } from './usage-error.js';

const HELP = `usage: aria shape <generate|validate|list|domain|batch> ...
  generate  --template NAME|FILE [--seed N] [--count K] [--preset P]
            one JSON line per character: index, attributes, traits, prompt, state
  batch     --template NAME|FILE [-n CANDIDATES] [-k K] [--seed N] [--preset P]
            [--prefer ATTR=VALUE[:W]]... [--style ATTR=VALUE[:W]]... [--diversity D]
            the best K of CANDIDATES sampled characters, diverse: one JSON line
            each (score, distance, index = candidate number, attributes, ...);
            counts and timings on stderr
  validate  FILE       the template's summary, or the first fault with its path (exit 2)
  list                 the built-in templates
  domain    NAME|FILE  the planning domain a template compiles to
`;

/** Runs `aria shape`; the exit code (0; 1 when no character exists; 2 for bad input, through UsageError). */
export async function shapeCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  const out = (v: unknown) => process.stdout.write(`${JSON.stringify(v)}\n`);
  switch (sub) {
    case 'generate': return generateCommand(rest, out);
    case 'batch': return batchCommand(rest, out);
    case 'validate': {
      const { positionals } = parseArgs({ args: rest, allowPositionals: true, options: {} });
      if (positionals.length !== 1) throw new UsageError(`aria shape validate takes one file\n${HELP}`);
      out(summarize(validateTemplate(readText(positionals[0]))));
      return 0;
    }
    case 'list':
      for (const s of listTemplates()) out(s);
      return 0;
    case 'domain': {
      const { positionals } = parseArgs({ args: rest, allowPositionals: true, options: {} });
      if (positionals.length !== 1) throw new UsageError(`aria shape domain takes one template\n${HELP}`);
      process.stdout.write(templateDomainText(templateArg(positionals[0])));
      return 0;
    }
    case undefined: case '-h': case '--help': case 'help':
      process.stdout.write(HELP);
      return sub === undefined ? 2 : 0;
    default:
      throw new UsageError(`unknown shape command '${sub}'\n${HELP}`);
  }
}

async function generateCommand(args: string[], out: (v: unknown) => void): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { template: { type: 'string' }, seed: { type: 'string' }, count: { type: 'string' }, preset: { type: 'string' } },
  });
  if (values.template === undefined) throw new UsageError(`--template NAME|FILE is required\n${HELP}`);
  const t = templateArg(values.template);
  const result = await generate(t, { seed: int(values.seed, 'seed', 0), count: int(values.count, 'count', 1), preset: values.preset });
  if (result.status === 'no_character') {
    out({ status: 'no_character', message: result.message });
    return 1;
  }
  for (const c of result.characters) out(c);
  return 0;
}

async function batchCommand(args: string[], out: (v: unknown) => void): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      template: { type: 'string' }, seed: { type: 'string' }, preset: { type: 'string' },
      candidates: { type: 'string', short: 'n' }, k: { type: 'string', short: 'k' },
      prefer: { type: 'string', multiple: true }, style: { type: 'string', multiple: true }, diversity: { type: 'string' },
    },
  });
  if (values.template === undefined) throw new UsageError(`--template NAME|FILE is required\n${HELP}`);
  const t = templateArg(values.template);
  const diversity = values.diversity === undefined ? undefined : Number(values.diversity);
  if (diversity !== undefined && (values.diversity!.trim() === '' || !Number.isFinite(diversity))) throw new UsageError(`--diversity must be a number, got ${JSON.stringify(values.diversity)}`);
  const started = performance.now();
  try {
    const r = await generateBatch(t, {
      seed: int(values.seed, 'seed', 0), preset: values.preset, candidates: int(values.candidates, 'candidates', 10_000), k: int(values.k, 'k', 10),
      preferences: weightArgs(values.prefer, 'prefer'), style: weightArgs(values.style, 'style'), diversity,
    });
    for (const c of r.characters) out({ score: c.score, distance: c.distance, ...c.character });
    const ms = (x: number) => Math.round(x * 10) / 10;
    process.stderr.write(`${JSON.stringify({ candidates: r.candidates, valid: r.valid, returned: r.characters.length, sampleMs: ms(r.sampleMs), scoreMs: ms(r.scoreMs), selectMs: ms(r.selectMs), totalMs: ms(performance.now() - started) })}\n`);
    return r.characters.length > 0 ? 0 : 1;
  } finally {
    await closeBatchPool();
  }
}

/** `ATTR=VALUE[:WEIGHT]` arguments as value weights (weight 1 when not given). */
function weightArgs(args: string[] | undefined, name: string): ValueWeights {
  const out: Record<string, Record<string, number>> = Object.create(null);
  for (const arg of args ?? []) {
    const m = /^([^=]+)=([^:]+)(?::(.+))?$/.exec(arg);
    const w = m?.[3] === undefined ? 1 : Number(m[3]);
    if (!m || !Number.isFinite(w)) throw new UsageError(`--${name} takes ATTR=VALUE or ATTR=VALUE:WEIGHT, got ${JSON.stringify(arg)}`);
    (out[m[1]] ??= Object.create(null))[m[2]] = w;
  }
  return out;
}

/** A built-in template's name, or a file. */
function templateArg(arg: string): Template {
  if (builtinTemplateNames().includes(arg)) return builtinTemplate(arg);
  if (!existsSync(arg)) throw new UsageError(`--template: no built-in template or file '${arg}' (built in: ${builtinTemplateNames().join(', ')})`);
  return validateTemplate(readText(arg));
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read ${file}: ${(e as Error).message}`);
  }
}

function int(v: string | undefined, name: string, fallback: number): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (v.trim() === '' || !Number.isInteger(n)) throw new UsageError(`--${name} must be an integer, got ${JSON.stringify(v)}`);
  return n;
}
