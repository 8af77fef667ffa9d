/**
 * `aria plan --domain D --problem P [--repeat N] ...`: plans in this
 * process and prints the result as JSON.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parseOrderedJson } from '../planner/language/ordered-json.js';
import type { PlanOptions, PlanResult, Problem } from '../planner/index.js';
import { loadDomainArg } from './load-domain-arg.js';
import { UsageError } from './usage-error.js';

/** Options shared by `aria plan` in-process and through a server. */
export const PLAN_ARGS = {
  domain: { type: 'string' },
  problem: { type: 'string' },
  repeat: { type: 'string' },
  server: { type: 'string' },
  'verify-goals': { type: 'string' },
  'timeout-ms': { type: 'string' },
  'max-expansions': { type: 'string' },
  'max-depth': { type: 'string' },
  'max-plan-length': { type: 'string' },
  'max-memory-mb': { type: 'string' },
  trace: { type: 'string' },
} as const;

export { UsageError };

function int(v: string | undefined, name: string, min = 0): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`--${name} must be an integer >= ${min}, got ${JSON.stringify(v)}`);
  return n;
}

/** Reads the problem file and the planning options of a plan command line. */
export function readPlanArgs(values: Record<string, string | boolean | undefined>): { problem: Problem; options: PlanOptions; repeat: number } {
  if (typeof values.domain !== 'string') throw new UsageError('--domain <name-or-file> is required');
  if (typeof values.problem !== 'string') throw new UsageError('--problem <file.json> is required');
  let problem: Problem;
  try {
    problem = parseOrderedJson(readFileSync(values.problem, 'utf8')) as unknown as Problem;
  } catch (e) {
    throw new UsageError(`cannot read problem ${values.problem}: ${(e as Error).message}`);
  }
  const vg = values['verify-goals'];
  if (vg !== undefined && vg !== 'true' && vg !== 'false') throw new UsageError('--verify-goals must be true or false');
  const mem = int(values['max-memory-mb'] as string | undefined, 'max-memory-mb', 1);
  const options: PlanOptions = {
    verifyGoals: vg === undefined ? undefined : vg === 'true',
    timeoutMs: int(values['timeout-ms'] as string | undefined, 'timeout-ms', 1),
    maxExpansions: int(values['max-expansions'] as string | undefined, 'max-expansions', 1),
    maxDepth: int(values['max-depth'] as string | undefined, 'max-depth', 1),
    maxPlanLength: int(values['max-plan-length'] as string | undefined, 'max-plan-length', 0),
    maxMemoryBytes: mem === undefined ? undefined : mem * 1024 * 1024,
    traceLevel: int(values.trace as string | undefined, 'trace', 0),
  };
  const repeat = int(values.repeat as string | undefined, 'repeat', 0) ?? 0;
  return { problem, options, repeat };
}

/** The JSON printed for a result. */
export function resultJson(r: PlanResult): Record<string, unknown> {
  const out: Record<string, unknown> = { status: r.status };
  if (r.status === 'plan') out.plan = r.plan;
  if (r.status === 'limit') out.limit = r.limit;
  if (r.status === 'error' || r.status === 'limit') out.message = r.message;
  if (r.trace) out.trace = r.trace;
  return out;
}

/** Runs `aria plan` in this process; resolves with the exit code. */
export async function planCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: PLAN_ARGS, strict: true });
  const { problem, options, repeat } = readPlanArgs(values);
  const domain = await loadDomainArg(values.domain as string);
  const first = domain.plan(problem, options);
  const out = resultJson(first);
  if (repeat > 0) {
    const times: number[] = [];
    for (let i = 0; i < repeat; i++) {
      const t0 = performance.now();
      domain.plan(problem, options);
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    out.stats = { median_ms: round(times[Math.floor(times.length / 2)]), min_ms: round(times[0]), runs: repeat };
  }
  process.stdout.write(JSON.stringify(out) + '\n');
  return first.status === 'plan' || first.status === 'no_plan' ? 0 : 1;
}

function round(x: number): number { return Math.round(x * 10000) / 10000; }
