/**
 * Runs the IPC 2020 total-order suite with a per-problem time limit and
 * prints, per domain, the problems solved and the time of each: a table on
 * stdout and, with --json FILE, the same figures as JSON.
 *
 *   node dist/bench/ipc-sweep.js [--timeout 60] [--filter ipc/transport/] [--json out.json]
 *                                [--suite DIR] [--verify] [--loop-check terms|state|none]
 *
 * Each problem runs in this process; the limit is the engine's deadline,
 * so parsing, mapping and loading (a fraction of a second) come on top.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { LoopCheck } from '../server/src/hddl/index.js';
import { defaultSuiteDir, ipcCases, runIpcCase, type IpcRun } from './cases/ipc.js';

const { values } = parseArgs({
  options: {
    timeout: { type: 'string', default: '60' },
    filter: { type: 'string', multiple: true },
    json: { type: 'string' },
    suite: { type: 'string' },
    verify: { type: 'boolean', default: false },
    'loop-check': { type: 'string', default: 'terms' },
  },
});
const timeoutS = Number(values.timeout);
if (!(timeoutS > 0)) throw new Error('--timeout must be a positive number of seconds');
const suite = values.suite ?? defaultSuiteDir();
const filters = values.filter ?? [];
const cases = ipcCases(suite).filter((c) => filters.length === 0 || filters.some((f) => c.name.startsWith(f)));
if (cases.length === 0) {
  process.stderr.write(`no cases${filters.length ? ` matching ${filters.join(', ')}` : ''} in ${suite}\n`);
  process.exit(2);
}

const byDomain = new Map<string, IpcRun[]>();
for (const c of cases) {
  const r = runIpcCase(c, timeoutS * 1000, { verify: values.verify, loopCheck: values['loop-check'] as LoopCheck });
  const solved = r.status === 'plan' && r.valid !== false;
  process.stderr.write(`${c.name.padEnd(48)} ${solved ? `${(r.ms / 1000).toFixed(2)} s` : r.status}${r.valid === false ? ' INVALID' : ''}\n`);
  const l = byDomain.get(c.domain) ?? [];
  l.push(r);
  byDomain.set(c.domain, l);
}

const rows: string[][] = [['domain', 'solved', 'total s', 'times (s; - = not solved)']];
const json: Record<string, { solved: number; total: number; problems: Record<string, { status: string; seconds: number; planLength?: number; valid?: boolean }> }> = {};
for (const [domain, runs] of byDomain) {
  const ok = runs.filter((r) => r.status === 'plan' && r.valid !== false);
  rows.push([
    domain,
    `${ok.length}/${runs.length}`,
    ok.reduce((s, r) => s + r.ms / 1000, 0).toFixed(2),
    runs.map((r) => (r.status === 'plan' && r.valid !== false ? (r.ms / 1000).toFixed(2) : '-')).join(' '),
  ]);
  json[domain] = {
    solved: ok.length,
    total: runs.length,
    problems: Object.fromEntries(runs.map((r) => [r.name.split('/').pop()!, {
      status: r.status, seconds: Number((r.ms / 1000).toFixed(3)),
      ...(r.planLength !== undefined ? { planLength: r.planLength } : {}), ...(r.valid !== undefined ? { valid: r.valid } : {}),
    }])),
  };
}
const width = rows[0].map((_, i) => Math.max(...rows.map((r) => (i === 3 ? 0 : r[i].length))));
for (const r of rows) process.stdout.write(`${r.map((c, i) => (i === 3 ? c : c.padEnd(width[i]))).join('  ')}\n`);
const doc = { suite, timeoutSeconds: timeoutS, loopCheck: values['loop-check'], domains: json };
if (values.json) writeFileSync(values.json, `${JSON.stringify(doc, null, 2)}\n`);
else process.stdout.write(`${JSON.stringify(doc)}\n`);
