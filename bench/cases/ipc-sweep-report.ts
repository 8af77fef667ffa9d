/**
 * The IPC 2020 suite run with a time limit per problem, as
 * `npm run bench -- ipc/[domain/] [options]` and `node dist/bench/ipc-sweep.js`:
 * per domain, the problems solved and the time of each, as a table and as
 * JSON. Unlike the throughput cases, each problem is planned once; what is
 * measured is whether it solves within the limit and how long it took.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { LoopCheck } from '../../server/src/hddl/index.js';
import { compareTable, readOtherResults } from './ipc-compare.js';
import { defaultPoSuiteDir, defaultSuiteDir, ipcCases, runIpcCase, type IpcCase, type IpcRun } from './ipc.js';

/** The sweep's command line. */
export const SWEEP_USAGE = `usage: npm run bench -- ipc/[<domain>/[<problem>]] [regex...] [options]
       node dist/bench/ipc-sweep.js [regex...] [options]

Plans every problem of the IPC 2020 suites whose case name matches a regex
(all when none), each once, and prints per domain the problems solved, their
time and mean plan length, and the time of each: a table, then JSON. Cases are
ipc/<domain>/<problem> for the total-order track (ipc/transport/p01) and
ipc/po/<domain>/<problem> for the partial-order track (ipc/po/transport/p01),
all lower-case; ipc/ selects both tracks.

options:
  --timeout S        limit per problem in seconds (default 60)
  --filter PREFIX    also select cases whose names start with PREFIX (repeatable)
  --verify           check every plan with our verifier (an invalid plan counts as not solved)
  --json FILE        write the JSON to FILE instead of stdout
  --suite DIR        the total-order suite (default $ARIA_HDDL_SUITE or ../shared/hddl/ipc2020-total-order)
  --po-suite DIR     the partial-order suite (default $ARIA_HDDL_PO_SUITE or ../shared/hddl/ipc2020-partial-order)
  --every N          only every N-th selected problem of each domain (the 1st, N+1-th, ...), to sample
  --compare FILE     another planner's results, side by side with these: JSON [{domain, problem,
                     solved, seconds}], CSV with the header domain,problem,solved,seconds, or a
                     sweep's JSON (see docs/hddl.md)
  --loop-check K     terms (default), state or none (see docs/hddl.md)
`;

/** What one sweep runs. */
export interface SweepOptions {
  timeoutS: number;
  suite: string;
  verify: boolean;
  loopCheck: LoopCheck;
  json?: string;
  help: boolean;
  poSuite: string;
  /** Only every n-th selected problem of each domain. */
  every: number;
  /** Another planner's result file to compare with. */
  compare?: string;
  /** Whether a case (by name) is selected. */
  select: (name: string) => boolean;
}

/** Parses the sweep's arguments; throws on a bad one. */
export function parseSweepArgs(argv: string[]): SweepOptions {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      timeout: { type: 'string', default: '60' },
      filter: { type: 'string', multiple: true },
      json: { type: 'string' },
      suite: { type: 'string' },
      'po-suite': { type: 'string' },
      every: { type: 'string', default: '1' },
      compare: { type: 'string' },
      verify: { type: 'boolean', default: false },
      'loop-check': { type: 'string', default: 'terms' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const timeoutS = Number(values.timeout);
  if (!(timeoutS > 0)) throw new Error(`--timeout must be a positive number of seconds, got ${JSON.stringify(values.timeout)}`);
  const loopCheck = values['loop-check'] as LoopCheck;
  if (!['terms', 'state', 'none'].includes(loopCheck)) throw new Error('--loop-check must be terms, state or none');
  const every = Number(values.every);
  if (!(Number.isInteger(every) && every > 0)) throw new Error(`--every must be a positive integer, got ${JSON.stringify(values.every)}`);
  const prefixes = values.filter ?? [];
  const res = positionals.map((p) => new RegExp(p));
  return {
    timeoutS, loopCheck, verify: values.verify!, json: values.json, help: values.help!,
    suite: values.suite ?? defaultSuiteDir(),
    poSuite: values['po-suite'] ?? defaultPoSuiteDir(),
    every, compare: values.compare,
    select: (name) => (prefixes.length === 0 && res.length === 0) || prefixes.some((f) => name.startsWith(f)) || res.some((r) => r.test(name)),
  };
}

/** The selected cases of both tracks, every n-th of each domain when sampling. */
export function sweepCases(o: SweepOptions): IpcCase[] {
  const picked = [...ipcCases(o.suite), ...ipcCases(o.poSuite, 'po')].filter((c) => o.select(c.name));
  if (o.every === 1) return picked;
  const seen = new Map<string, number>();
  return picked.filter((c) => {
    const i = seen.get(c.domain) ?? 0;
    seen.set(c.domain, i + 1);
    return i % o.every === 0;
  });
}

/** One problem's figures in the JSON. */
export interface SweepProblem { status: string; seconds: number; planLength?: number; valid?: boolean; message?: string }

/** The JSON a sweep prints. */
export interface SweepReport {
  suite: string;
  timeoutSeconds: number;
  loopCheck: LoopCheck;
  verified: boolean;
  /** Per domain: problems solved of those run, their total seconds and mean plan length, and each problem. */
  domains: Record<string, { solved: number; total: number; seconds: number; meanPlanLength?: number; problems: Record<string, SweepProblem> }>;
}

const solved = (r: IpcRun): boolean => r.status === 'plan' && r.valid !== false;

/** Plans the cases one after the other; `progress` gets one line per problem as it finishes. */
export function runSweep(o: SweepOptions, cases: IpcCase[], progress: (line: string) => void = () => {}): SweepReport {
  const report: SweepReport = { suite: o.suite, timeoutSeconds: o.timeoutS, loopCheck: o.loopCheck, verified: o.verify, domains: {} };
  for (const c of cases) {
    const r = runIpcCase(c, o.timeoutS * 1000, { verify: o.verify, loopCheck: o.loopCheck });
    progress(`${c.name.padEnd(40)} ${solved(r) ? `${(r.ms / 1000).toFixed(2)} s` : r.status}${r.valid === false ? ' INVALID' : ''}`);
    const d = (report.domains[c.domain] ??= { solved: 0, total: 0, seconds: 0, problems: {} });
    d.total++;
    if (solved(r)) {
      d.meanPlanLength = round(((d.meanPlanLength ?? 0) * d.solved + (r.planLength ?? 0)) / (d.solved + 1));
      d.solved++;
      d.seconds = round(d.seconds + r.ms / 1000);
    }
    d.problems[c.name.split('/').pop()!] = {
      status: r.status, seconds: round(r.ms / 1000),
      ...(r.planLength !== undefined ? { planLength: r.planLength } : {}),
      ...(r.valid !== undefined ? { valid: r.valid } : {}),
      ...(r.message && !solved(r) ? { message: r.message.slice(0, 200) } : {}),
    };
  }
  return report;
}

const round = (s: number): number => Math.round(s * 1000) / 1000;

/** The table: per domain, solved/total, their total time, mean plan length and each problem's time (`-`: not solved). */
export function sweepTable(r: SweepReport): string {
  const rows = [['domain', 'solved', 'total s', 'mean len', 'times (s; - = not solved)']];
  for (const [domain, d] of Object.entries(r.domains)) {
    rows.push([domain, `${d.solved}/${d.total}`, d.seconds.toFixed(2), d.meanPlanLength === undefined ? '-' : d.meanPlanLength.toFixed(1), Object.entries(d.problems)
      .map(([name, p]) => `${name}:${p.status === 'plan' && p.valid !== false ? p.seconds.toFixed(2) : '-'}`).join(' ')]);
  }
  const width = [0, 1, 2, 3].map((i) => Math.max(...rows.map((x) => x[i].length)));
  return rows.map((x) => x.map((c, i) => (i < 4 ? c.padEnd(width[i]) : c)).join('  ').trimEnd()).join('\n');
}

/** Runs the sweep from a command line; returns the exit code (2: bad arguments or no case). */
export function ipcSweepMain(argv: string[]): number {
  let o: SweepOptions;
  try {
    o = parseSweepArgs(argv);
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n${SWEEP_USAGE}`);
    return 2;
  }
  if (o.help) { process.stdout.write(SWEEP_USAGE); return 0; }
  let other;
  try {
    other = o.compare ? readOtherResults(o.compare) : undefined;
  } catch (e) {
    process.stderr.write(`--compare ${o.compare}: ${(e as Error).message}\n`);
    return 2;
  }
  const cases = sweepCases(o);
  if (cases.length === 0) {
    process.stderr.write(`no IPC case matches in ${o.suite} or ${o.poSuite} (set ARIA_HDDL_SUITE, --suite or --po-suite)\n`);
    return 2;
  }
  process.stderr.write(`ipc sweep: ${cases.length} problems${o.every > 1 ? ` (every ${o.every}th of each domain)` : ''}, ${o.timeoutS} s each${o.verify ? ', verified' : ''}\n`);
  const report = runSweep(o, cases, (line) => process.stderr.write(`${line}\n`));
  process.stdout.write(`${sweepTable(report)}\n`);
  if (other) process.stdout.write(`\n${compareTable(report, other)}\n`);
  if (o.json) writeFileSync(o.json, `${JSON.stringify(report, null, 2)}\n`);
  else process.stdout.write(`${JSON.stringify(report)}\n`);
  return 0;
}

/** Whether a bench command line asks for the sweep: some case pattern starts with `ipc/`. */
export function isIpcSweep(argv: string[]): boolean {
  return argv.some((a, i) => a.startsWith('ipc/') && !['--json', '--out', '--suite', '--po-suite', '--compare', '--gtpyhop'].includes(argv[i - 1] ?? ''));
}
