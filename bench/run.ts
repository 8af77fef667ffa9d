#!/usr/bin/env node
/**
 * The benchmark runner: `npm run bench -- [regex...] [options]` (see
 * bench/args.ts). It sets each selected case up, times it (bench/measure.ts),
 * optionally times the same problems in GTPyhop, then prints the tables and
 * the speed targets, and writes JSON and SVG charts when asked.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { parseBenchArgs, USAGE, type BenchArgs } from './args.js';
import type { BenchCase, CaseDriver } from './cases/case-types.js';
import { allCases } from './cases/index.js';
import { ipcSweepMain, isIpcSweep } from './cases/ipc-sweep-report.js';
import { writeCharts } from './charts.js';
import { RunContext } from './context.js';
import { checkGtpyhopDir, gtpyhopFigures } from './gtpyhop.js';
import { measure, type MeasureOptions } from './measure.js';
import { ProgressBar } from './progress.js';
import { gtpyhopTable, resultsTable } from './report-table.js';
import type { BenchReport, CaseResult } from './results.js';
import { checkUniqueNames, selectCases } from './select.js';
import { issue2Table, issue3Lines } from './targets.js';
import { storageLines } from './cases/storage-cases.js';

/** Extra warm-up for the first case on a new server or pool: its threads start and JIT-compile then. */
const FRESH_WARMUP_S = 1;

function machine(): BenchReport['machine'] {
  return {
    cpus: availableParallelism(), cpuModel: cpus()[0]?.model ?? 'unknown', memoryBytes: totalmem(),
    node: process.version, platform: `${process.platform}-${process.arch}`, loadAvg: loadavg(),
  };
}

async function runCase(c: BenchCase, i: number, ctx: RunContext, o: MeasureOptions, args: BenchArgs, bar: ProgressBar): Promise<CaseResult> {
  const result: CaseResult = { name: c.name, layer: c.layer, chart: c.chart };
  await ctx.releaseExcept(c.uses);
  bar.update(i, c.name, 'setup', 0);
  let driver: CaseDriver | undefined;
  try {
    ctx.takeFresh();
    driver = await c.setup(ctx);
    const warmupS = ctx.takeFresh() ? o.warmupS + FRESH_WARMUP_S : o.warmupS;
    result.figures = await measure(driver, { ...o, warmupS }, (phase, f) => bar.update(i, c.name, phase, f));
  } catch (e) {
    result.error = (e as Error).message ?? String(e);
    bar.log(`${c.name}: failed: ${result.error}`);
  } finally {
    await driver?.close?.().catch(() => undefined);
  }
  if (args.gtpyhop && c.gtpyhop && result.figures) {
    bar.update(i, c.name, 'GTPyhop', 1);
    result.gtpyhop = await gtpyhopFigures(args.gtpyhop, c.gtpyhop, o, result.figures.median);
    if ('error' in result.gtpyhop) bar.log(`${c.name}: GTPyhop failed: ${result.gtpyhop.error}`);
  }
  return result;
}

async function main(argv: string[]): Promise<number> {
  // `ipc/...` is the IPC suite with a time limit per problem, not a throughput case.
  if (isIpcSweep(argv)) return ipcSweepMain(argv);
  const args = parseBenchArgs(argv);
  if (args.help) { process.stdout.write(USAGE); return 0; }
  if (args.gtpyhop) checkGtpyhopDir(args.gtpyhop);
  const all = await allCases();
  checkUniqueNames(all);
  const cases = selectCases(all, args.patterns);
  if (args.list) { process.stdout.write(cases.map((c) => `${c.name}${c.gtpyhop ? '  (+GTPyhop)' : ''}\n`).join('')); return 0; }
  if (cases.length === 0) throw new Error(`no case matches ${args.patterns.join(' or ')} (try --list)`);

  const o: MeasureOptions = { warmupS: args.warmupS, runs: args.runs, runS: args.durationS / args.runs, minOps: args.minOps };
  const report: BenchReport = {
    date: new Date().toISOString(), machine: machine(),
    options: { patterns: args.patterns, durationS: args.durationS, runs: args.runs, warmupS: args.warmupS, gtpyhop: args.gtpyhop },
    results: [],
  };
  const m = report.machine;
  process.stdout.write(`aria bench: ${cases.length} cases, ${m.cpus} CPUs (${m.cpuModel}), node ${m.node}, load ${m.loadAvg.map((l) => l.toFixed(2)).join(' ')}\n`);
  const ctx = new RunContext();
  const bar = new ProgressBar(cases.length);
  try {
    for (const [i, c] of cases.entries()) report.results.push(await runCase(c, i, ctx, o, args, bar));
  } finally {
    await ctx.closeAll();
    bar.clear();
  }
  m.loadAvgAfter = loadavg();

  const out: string[] = [resultsTable(report.results)];
  const g = gtpyhopTable(report.results);
  if (g) out.push(`GTPyhop side by side (median time per plan; memory: Aria's engine peak, GTPyhop's Python heap peak):\n\n${g}`);
  const t2 = issue2Table(report.results);
  if (t2) out.push(`Issue 2 target (blocks_gtn, random towers):\n\n${t2}`);
  const t3 = issue3Lines(report.results);
  if (t3.length) out.push(`Issue 3 targets:\n${t3.map((l) => `  ${l}`).join('\n')}`);
  const t15 = storageLines(report.results);
  if (t15.length) out.push(`Storage (issue 15), 64 MiB of mixed data:\n${t15.map((l) => `  ${l}`).join('\n')}`);
  const busy = m.loadAvgAfter[0]! > m.cpus ? ': above the CPU count, so other work shared the machine and the figures are pessimistic' : '';
  out.push(`load average ${m.loadAvgAfter.map((l) => l.toFixed(2)).join(' ')} at the end (${m.cpus} CPUs)${busy}.`);
  process.stdout.write(`\n${out.join('\n\n')}\n`);
  if (args.json) {
    mkdirSync(dirname(args.json), { recursive: true });
    writeFileSync(args.json, `${JSON.stringify(report, null, 2)}\n`);
    process.stdout.write(`figures written to ${args.json}\n`);
  }
  if (args.out) process.stdout.write(`charts written: ${writeCharts(args.out, report.results).join(', ')}\n`);
  return report.results.some((r) => r.error) ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (e: unknown) => { process.stderr.write(`bench: ${(e as Error).message ?? String(e)}\n`); process.exitCode = 2; },
);
