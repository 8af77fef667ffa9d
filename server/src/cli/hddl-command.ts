/**
 * `aria hddl <domain.hddl> <problem.hddl> [--timeout S] [--json] [--verify] [--loop-check terms|state|none]
 * [--emit-aria FILE]`: plans an HDDL problem and prints the plan in the IPC 2020 format (or, with
 * --json, one JSON line: the outcome, each phase's milliseconds, the plan; --emit-aria also writes
 * the mapped domain in the Aria text form). --timeout bounds the whole run, parsing included. `aria hddl-verify <domain.hddl> <problem.hddl> <plan.txt>`
 * checks a plan in that format.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { AriaError } from '../core/errors.js';
import {
  mapHddl, parseHddlDomain, parseHddlProblem, planHddl, spellingOf, verifyIpcPlan, verifyPlan, writeIpcPlan, printDomain,
  type HddlDomain, type HddlProblem, type HddlResult, type LoopCheck,
} from '../hddl/index.js';
import { UsageError } from './usage-error.js';

function read(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read ${file}: ${(e as Error).message}`);
  }
}

/** Runs `aria hddl`; returns the exit code: 0 with a plan, 1 without one. */
export async function hddlCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      timeout: { type: 'string' },
      json: { type: 'boolean' },
      verify: { type: 'boolean' },
      'loop-check': { type: 'string' },
      'max-expansions': { type: 'string' },
      'emit-aria': { type: 'string' },
      'max-memory-mb': { type: 'string' },
    },
  });
  if (positionals.length !== 2) throw new UsageError('usage: aria hddl <domain.hddl> <problem.hddl> [--timeout S] [--json] [--verify] [--loop-check terms|state|none] [--emit-aria FILE] [--max-expansions N] [--max-memory-mb N]');
  const [df, pf] = positionals;
  const timeout = values.timeout === undefined ? undefined : Number(values.timeout);
  if (timeout !== undefined && !(timeout > 0)) throw new UsageError(`--timeout must be a positive number of seconds, got ${JSON.stringify(values.timeout)}`);
  const loop = values['loop-check'] ?? 'terms';
  if (!['terms', 'state', 'none'].includes(loop)) throw new UsageError('--loop-check must be terms, state or none');
  const maxExp = values['max-expansions'] === undefined ? undefined : Number(values['max-expansions']);
  if (maxExp !== undefined && !(Number.isInteger(maxExp) && maxExp > 0)) throw new UsageError('--max-expansions must be a positive integer');
  const memMb = values['max-memory-mb'] === undefined ? undefined : Number(values['max-memory-mb']);
  if (memMb !== undefined && !(Number.isInteger(memMb) && memMb > 0)) throw new UsageError('--max-memory-mb must be a positive integer');

  const t0 = performance.now();
  const opts = { timeoutMs: timeout === undefined ? undefined : timeout * 1000, loopCheck: loop as LoopCheck, maxExpansions: maxExp, maxMemoryBytes: memMb === undefined ? undefined : memMb * 1024 * 1024 };
  let r: HddlResult;
  let d: HddlDomain;
  let p: HddlProblem;
  try {
    d = parseHddlDomain(read(df), df);
    p = parseHddlProblem(read(pf), pf);
    if (values['emit-aria']) {
      // The mapped domain in the text form, for reading what the planner runs.
      writeFileSync(values['emit-aria'], printDomain(mapHddl(d, p, { loopCheck: loop as LoopCheck }).domain));
    }
    // --timeout bounds the whole run from here: reading and parsing count too.
    r = planHddl(d, p, opts, performance.now() - t0);
  } catch (e) {
    // With --json, input that does not parse or map is an outcome like any other (one line on stdout).
    if (!values.json || !(e instanceof AriaError) || e instanceof UsageError) throw e;
    process.stdout.write(`${JSON.stringify({ status: 'error', outcome: 'error', message: e.message, phasesMs: { total: ms(performance.now() - t0) } })}\n`);
    return 1;
  }
  const tv = performance.now();
  const verdict = r.plan && values.verify ? verifyPlan(d, p, r.plan) : undefined;
  const verifyMs = performance.now() - tv;
  const spell = spellingOf(d, p);
  if (values.json) {
    const out = {
      status: r.status,
      outcome: verdict && !verdict.ok ? 'invalid_plan' : r.limit ? `limit:${r.limit}` : r.status,
      ...(r.limit ? { limit: r.limit } : {}),
      ...(r.message ? { message: r.message } : {}),
      ...(r.warnings ? { warnings: r.warnings } : {}),
      planLength: r.plan?.actions.length,
      ...(verdict ? { verified: verdict.ok, errors: verdict.errors } : {}),
      phasesMs: {
        parse: ms(r.times.parse), map: ms(r.times.map), compile: ms(r.times.load), search: ms(r.times.plan), decompose: ms(r.times.decompose),
        verify: ms(verdict ? verifyMs : 0), total: ms(performance.now() - t0),
      },
      stats: r.stats,
      ...(r.plan ? {
        plan: r.plan.actions.map((a) => [a.name, ...a.args].map(spell)),
        decomposition: { roots: r.plan.roots, tasks: r.plan.tasks.map((t) => ({ ...t, task: spell(t.task), args: t.args.map(spell), method: spell(t.method) })) },
      } : {}),
    };
    process.stdout.write(`${JSON.stringify(out)}\n`);
  } else {
    for (const w of r.warnings ?? []) process.stderr.write(`aria: note: ${w}\n`);
    if (r.plan) {
      process.stdout.write(writeIpcPlan(r.plan, spell));
      if (verdict && !verdict.ok) process.stderr.write(`aria: the plan does not verify:\n  ${verdict.errors.join('\n  ')}\n`);
    } else {
      process.stderr.write(`aria: ${r.status}${r.limit ? ` (${r.limit})` : ''}${r.message ? `: ${r.message}` : ''}\n`);
    }
  }
  return r.plan && (!verdict || verdict.ok) ? 0 : 1;
}

/** Milliseconds rounded to 0.1 for the summary. */
const ms = (x: number): number => Math.round(x * 10) / 10;

/** Runs `aria hddl-verify <domain> <problem> <plan>`; 0 when the plan is valid, 1 when not. */
export async function hddlVerifyCommand(argv: string[]): Promise<number> {
  const { positionals } = parseArgs({ args: argv, allowPositionals: true, strict: true, options: {} });
  if (positionals.length !== 3) throw new UsageError('usage: aria hddl-verify <domain.hddl> <problem.hddl> <plan.txt>');
  const [df, pf, planFile] = positionals;
  const d = parseHddlDomain(read(df), df);
  const p = parseHddlProblem(read(pf), pf);
  const v = verifyIpcPlan(d, p, read(planFile));
  process.stdout.write(v.ok ? 'valid\n' : `invalid:\n  ${v.errors.join('\n  ')}\n`);
  return v.ok ? 0 : 1;
}
