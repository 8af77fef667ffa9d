import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compareTable, parseOtherResults } from '../../bench/cases/ipc-compare.js';
import { ipcCases } from '../../bench/cases/ipc.js';
import { ipcSweepMain, isIpcSweep, parseSweepArgs, sweepCases, type SweepReport } from '../../bench/cases/ipc-sweep-report.js';

const REPORT: SweepReport = {
  suite: 's', timeoutSeconds: 5, loopCheck: 'terms', verified: true,
  domains: {
    Transport: { solved: 2, total: 3, seconds: 1.5, meanPlanLength: 10, problems: {
      p01: { status: 'plan', seconds: 0.5, planLength: 8, valid: true },
      p02: { status: 'plan', seconds: 1, planLength: 12, valid: true },
      p03: { status: 'limit:deadline', seconds: 5 },
    } },
    'po/Rover': { solved: 1, total: 1, seconds: 0.2, meanPlanLength: 5, problems: { p01: { status: 'plan', seconds: 0.2, planLength: 5, valid: true } } },
  },
};

test('--compare reads JSON, CSV and sweep reports, and says what is wrong with a bad file', () => {
  const json = parseOtherResults('[{"domain":"transport","problem":"pfile01.hddl","solved":true,"seconds":1}]');
  assert.equal(json, [{ domain: 'transport', problem: 'pfile01.hddl', solved: true, seconds: 1 }]);
  const csv = parseOtherResults('domain,problem,solved,seconds\nTransport,pfile02,0,5\npo/Rover,p01,1,0.4\n');
  assert.equal(csv.map((r) => [r.domain, r.solved, r.seconds]), [['Transport', false, 5], ['po/Rover', true, 0.4]]);
  assert.equal(parseOtherResults(JSON.stringify(REPORT)).filter((r) => r.solved).length, 3);
  assert.throws(() => parseOtherResults('domain,problem,seconds\nx,y,1'), /line 1: the CSV header must name domain,problem,solved,seconds/);
  assert.throws(() => parseOtherResults('domain,problem,solved,seconds\nx,y,maybe,1'), /line 2: solved must be true or false/);
  assert.throws(() => parseOtherResults('[{"domain":"x","problem":"y","solved":true,"seconds":-1}]'), /entry 1: seconds/);
});

test('--compare prints per domain what each solved, what both solved and the time ratio on those', () => {
  const other = parseOtherResults([
    'domain,problem,solved,seconds',
    'Transport,pfile01.hddl,true,0.25', // we took 0.5 s: ratio 2
    'Transport,pfile02.hddl,false,5',
    'Transport,pfile03.hddl,true,3',
    'po/rover,p01,true,0.4', // we took 0.2 s: ratio 0.5
  ].join('\n'));
  const lines = compareTable(REPORT, other).split('\n');
  assert.match(lines[0], /^domain\s+run\s+ours\s+theirs\s+both\s+ours only\s+theirs only\s+time ratio\s+ours faster$/);
  assert.match(lines[1], /^Transport\s+3\s+2\s+2\s+1\s+1\s+1\s+2\.00x\s+0\/1$/);
  assert.match(lines[2], /^po\/Rover\s+1\s+1\s+1\s+1\s+0\s+0\s+0\.50x\s+1\/1$/);
  assert.match(lines[3], /^all\s+4\s+3\s+3\s+2\s+1\s+1\s+1\.00x\s+1\/2$/);
});

test('the sweep takes both tracks (ipc/po/... for partial order), samples with --every, and reads --compare', () => {
  assert.ok(isIpcSweep(['ipc/po/', '--compare', 'x.csv']));
  assert.not.ok(isIpcSweep(['wasm/x', '--compare', 'ipc/x.csv']));
  const o = parseSweepArgs(['ipc/po/rover/', 'ipc/transport/p0[1-6]$', '--every', '3']);
  const po = ipcCases(o.poSuite, 'po');
  if (po.length === 0 || ipcCases(o.suite).length === 0) { console.log('  (suites not found)'); return; }
  assert.is(new Set(po.map((c) => c.domain)).size, 9);
  assert.ok(po.every((c) => c.name.startsWith('ipc/po/') && c.domain.startsWith('po/')));
  const names = sweepCases(o).map((c) => c.name);
  assert.equal(names.filter((n) => n.startsWith('ipc/transport/')), ['ipc/transport/p01', 'ipc/transport/p04']);
  assert.equal(names.filter((n) => n.startsWith('ipc/po/rover/')).slice(0, 3), ['ipc/po/rover/p01', 'ipc/po/rover/p04', 'ipc/po/rover/p07']);
  assert.throws(() => parseSweepArgs(['ipc/', '--every', '0']), /--every must be a positive integer/);
  // A sweep with --compare prints the side-by-side table after its own.
  const dir = mkdtempSync(join(tmpdir(), 'aria-compare-'));
  const out: string[] = [];
  const [w1, w2] = [process.stdout.write, process.stderr.write];
  let code: number;
  try {
    writeFileSync(join(dir, 'other.csv'), 'domain,problem,solved,seconds\npo/Rover,pfile01,true,100\n');
    process.stdout.write = ((c: string) => { out.push(c); return true; }) as typeof process.stdout.write;
    process.stderr.write = (() => true) as typeof process.stderr.write;
    code = ipcSweepMain(['ipc/po/rover/p01$', '--timeout', '20', '--compare', join(dir, 'other.csv'), '--json', join(dir, 'out.json')]);
  } finally {
    process.stdout.write = w1;
    process.stderr.write = w2;
    rmSync(dir, { recursive: true });
  }
  assert.is(code, 0);
  assert.match(out.join(''), /^po\/Rover\s+1\s+1\s+1\s+1\s+0\s+0\s+0\.\d\dx\s+1\/1$/m);
});

test.run();
