#!/usr/bin/env node
/**
 * Runs the IPC 2020 total-order suite with a per-problem time limit and
 * prints, per domain, the problems solved and the time of each: a table on
 * stdout, then the same figures as JSON (or into --json FILE). The same as
 * `npm run bench -- ipc/`; see bench/cases/ipc-sweep-report.ts for the
 * options.
 *
 *   node dist/bench/ipc-sweep.js [regex...] [--timeout 60] [--filter ipc/transport/] [--verify] [--json out.json]
 *
 * Each problem runs in this process; the limit is the engine's deadline,
 * so parsing, mapping and loading (a fraction of a second) come on top.
 */
import { ipcSweepMain } from './cases/ipc-sweep-report.js';

process.exitCode = ipcSweepMain(process.argv.slice(2));
