#!/usr/bin/env node
/**
 * Runs the IPC 2020 suites (total- and partial-order tracks) with a per-problem time limit and
 * prints, per domain, the problems solved and the time of each: a table on
 * stdout, then the same figures as JSON (or into --json FILE). The same as
 * `npm run bench -- ipc/`; see bench/cases/ipc-sweep-report.ts for the
 * options.
 *
 *   node dist/bench/ipc-sweep.js [regex...] [--timeout 60] [--filter ipc/transport/] [--verify] [--json out.json] [--every N] [--compare FILE]
 *
 * Each problem runs in this process; the limit bounds parsing, mapping,
 * compiling and the search (a phase is not interrupted, see docs/hddl.md).
 * Both IPC 2020 tracks: ipc/<domain>/... (total order), ipc/po/<domain>/...
 */
import { ipcSweepMain } from './cases/ipc-sweep-report.js';

process.exitCode = ipcSweepMain(process.argv.slice(2));
