/**
 * `wasm/ipc/<domain>/<problem>`: a few problems of the IPC 2020
 * total-order HTN suite (bench/cases/ipc.ts finds them), timed like the
 * other wasm cases. Parsing, mapping onto the domain model and compiling
 * happen once in setup, as for a registered domain; each op is one
 * planning call. The whole suite, with a time limit per problem, is
 * bench/ipc-sweep.ts's job, not this throughput bench's.
 */
import { readFileSync } from 'node:fs';
import { mapHddl, parseHddlDomain, parseHddlProblem } from '../../server/src/hddl/index.js';
import { loadDomain } from '../../server/src/planner/index.js';
import type { JsonValue, Problem } from '../../server/src/planner/index.js';
import type { BenchCase } from './case-types.js';
import type { ProblemSet } from './corpus.js';
import { ipcCases } from './ipc.js';
import { opResult, selfRss } from './wasm-cases.js';

/**
 * The problems benchmarked through HDDL (suite names from ipc.ts).
 * Blocksworld-GTOHP p21 (BW-rand-50) is benchmarked in blocks_gtn instead
 * (bwRandSet), which is how GTPyhop's figure for it was taken; through the
 * HDDL mapping it needs the early goal checks (docs/hddl.md) and is timed
 * by the sweep (`npm run bench -- ipc/blocksworld-gtohp/`).
 */
export const IPC_BENCH_PROBLEMS = [
  'ipc/blocksworld-gtohp/p01',
  'ipc/transport/p01',
  'ipc/rover-gtohp/p01',
  'ipc/childsnack/p01',
];

/** Engine budget per call: a problem that needs more is not a throughput case. */
const TIMEOUT_MS = 10_000;

/** The IPC cases whose problems are present (the suite lives outside the repository). */
export function ipcBenchCases(names: readonly string[] = IPC_BENCH_PROBLEMS): BenchCase[] {
  const byName = new Map(ipcCases().map((c) => [c.name, c]));
  return names.flatMap((name) => {
    const c = byName.get(name);
    if (!c) return [];
    return [{
      name: `wasm/${name}`,
      layer: 'wasm',
      async setup() {
        const d = parseHddlDomain(readFileSync(c.domainFile, 'utf8'), c.domainFile);
        const p = parseHddlProblem(readFileSync(c.problemFile, 'utf8'), c.problemFile);
        const mapped = mapHddl(d, p);
        const handle = loadDomain(mapped.domain, { file: c.problemFile });
        const first = handle.plan(mapped.problem, { timeoutMs: TIMEOUT_MS });
        if (first.status !== 'plan') throw new Error(`${name}: ${first.status}${'message' in first ? `: ${first.message}` : ''}`);
        return { concurrency: 1, sync: () => opResult(handle.plan(mapped.problem, { timeoutMs: TIMEOUT_MS })), rss: selfRss };
      },
    }];
  });
}

/**
 * An IPC Blocksworld problem as a blocks_gtn problem: the init's on,
 * ontable and clear facts become pos and clear, the goal's on facts the
 * multigoal. Blocks keep the file's order, as GTPyhop's dicts would.
 */
export function blocksFromHddl(text: string): Problem {
  const [init = '', goal = ''] = text.slice(text.indexOf('(:init')).split('(:goal');
  const facts = (s: string) => [...s.matchAll(/\((on|ontable|clear)\s+([\w-]+)(?:\s+([\w-]+))?\s*\)/gi)].map((m) => [m[1]!.toLowerCase(), m[2]!, m[3]] as const);
  const pos: Record<string, JsonValue> = {}, clear: Record<string, JsonValue> = {}, want: Record<string, JsonValue> = {};
  for (const [f, a, b] of facts(init)) {
    if (f === 'on') pos[a] = b!;
    else if (f === 'ontable') pos[a] = 'table';
  }
  for (const b of Object.keys(pos)) clear[b] = true;
  for (const p of Object.values(pos)) if (p !== 'table') clear[p as string] = false;
  for (const [f, a, b] of facts(goal)) if (f === 'on') want[a] = b!;
  return { state: { pos, clear, holding: { hand: false } }, todo: [{ __multigoal__: 'goal', vars: { pos: want } }], verify_goals: true };
}

/** BW-rand-50 (Blocksworld-GTOHP p21) for blocks_gtn and GTPyhop, when the suite is there. */
export function bwRandSet(): ProblemSet[] {
  const c = ipcCases().find((x) => x.name === 'ipc/blocksworld-gtohp/p21');
  if (!c) return [];
  return [{ name: 'bw-rand-50', domain: 'blocks_gtn', problems: [blocksFromHddl(readFileSync(c.problemFile, 'utf8'))], gtpyhop: 'blocks_gtn' }];
}
