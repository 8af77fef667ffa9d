/**
 * `aria shape ...`: character generation from the command line, in this
 * process (no server). Loaded only for this command, so the other commands
 * keep starting without the shape service's modules.
 *
 *   aria shape generate --template NAME|FILE [--seed N] [--count K] [--preset P]
 *   aria shape validate FILE
 *   aria shape list
 *   aria shape domain NAME|FILE      the compiled planning domain, as text
 */
import { existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  builtinTemplate,
  builtinTemplateNames,
  generate,
  listTemplates,
  summarize,
  templateDomainText,
  validateTemplate,
  type Template,
} from '../services/shape/index.js';
import { UsageError } from './usage-error.js';

const HELP = `usage: aria shape <generate|validate|list|domain> ...
  generate  --template NAME|FILE [--seed N] [--count K] [--preset P]
            one JSON line per character: index, attributes, traits, prompt, state
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
