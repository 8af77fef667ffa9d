import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ipcCases } from '../../bench/cases/ipc.js';
import { isIpcSweep, parseSweepArgs, runSweep, sweepTable } from '../../bench/cases/ipc-sweep-report.js';
import { parseHddlDomain, parseHddlProblem, planHddl, verifyIpcPlan, writeIpcPlan } from '../../server/src/hddl/index.js';

/** The domains whose problems 1 to 10 must solve within 10 s (issue 7), with the suite's folder names. */
const TARGETS = ['Transport', 'Rover-GTOHP', 'Satellite-GTOHP', 'Depots', 'Childsnack', 'Blocksworld-GTOHP', 'Towers', 'Snake', 'Barman-BDI'];
const LIMIT_MS = 10_000;

const cases = ipcCases().filter((c) => TARGETS.includes(c.domain) && /\/p(0[1-9]|10)$/.test(c.name));

test('problems 1-10 of the target domains solve within 10 s and their plans verify', () => {
  if (cases.length === 0) { console.log('  (suite not found; set ARIA_HDDL_SUITE)'); return; }
  assert.is(cases.length, TARGETS.length * 10);
  const failures: string[] = [];
  const domains = new Map<string, ReturnType<typeof parseHddlDomain>>();
  for (const c of cases) {
    let d = domains.get(c.domainFile);
    if (!d) { d = parseHddlDomain(readFileSync(c.domainFile, 'utf8'), c.domainFile); domains.set(c.domainFile, d); }
    const p = parseHddlProblem(readFileSync(c.problemFile, 'utf8'), c.problemFile);
    const t0 = performance.now();
    const r = planHddl(d, p, { timeoutMs: LIMIT_MS });
    const ms = performance.now() - t0;
    if (!r.plan) { failures.push(`${c.name}: ${r.status}${r.limit ? ` (${r.limit})` : ''} after ${ms.toFixed(0)} ms`); continue; }
    const v = verifyIpcPlan(d, p, writeIpcPlan(r.plan));
    if (!v.ok) failures.push(`${c.name}: invalid plan: ${v.errors.slice(0, 3).join('; ')}`);
  }
  assert.equal(failures, []);
});

test('npm run bench -- ipc/ runs the sweep: a limit per problem (60 s by default), a table and JSON per domain', () => {
  assert.ok(isIpcSweep(['ipc/']));
  assert.ok(isIpcSweep(['--timeout', '5', 'ipc/transport/']));
  assert.not.ok(isIpcSweep(['wasm/ipc/transport/p01']));
  assert.not.ok(isIpcSweep(['--json', 'ipc/out.json']));
  assert.is(parseSweepArgs(['ipc/']).timeoutS, 60);
  const o = parseSweepArgs(['ipc/transport/p0[12]$', '--filter', 'ipc/childsnack/p01', '--timeout', '10', '--verify']);
  const picked = ipcCases(o.suite).filter((c) => o.select(c.name)).map((c) => c.name);
  assert.equal(picked, ['ipc/childsnack/p01', 'ipc/transport/p01', 'ipc/transport/p02']);
  const report = runSweep(o, ipcCases(o.suite).filter((c) => o.select(c.name)));
  assert.equal(Object.keys(report.domains), ['Childsnack', 'Transport']);
  const t = report.domains.Transport;
  assert.is(t.solved, 2);
  assert.equal(Object.keys(t.problems), ['p01', 'p02']);
  assert.is(t.problems.p01.valid, true);
  assert.ok(t.problems.p01.seconds > 0 && t.problems.p01.seconds < 10);
  const table = sweepTable(report).split('\n');
  assert.match(table[2], /^Transport\s+2\/2\s+[0-9.]+\s+[0-9.]+\s+p01:[0-9.]+ p02:[0-9.]+$/);
});

test.run();
