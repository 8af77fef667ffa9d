/**
 * `wasm/floor/...`: the conformance problems whose plan is empty (the goal
 * already holds, or nothing is left to do). Planning them is almost all
 * fixed per-call cost (encoding the problem, laying out memory, decoding
 * the result), the floor under every call; with --gtpyhop each is compared
 * with GTPyhop's find_plan on the same problem (issue 14 item 15).
 */
import { existsSync, readFileSync } from 'node:fs';
import { parseOrderedJson } from '../../server/src/planner/ordered-json.js';
import type { Problem } from '../../server/src/planner/index.js';
import { conformancePath } from '../repo-paths.js';
import type { BenchCase } from './case-types.js';
import { wasmCase } from './wasm-cases.js';

interface FloorCase { domain: string; name: string; kind: string; state: Problem['state']; todo: Problem['todo']; verify_goals?: boolean; expected?: unknown }

/** One case per find_plan conformance problem whose expected plan is empty (none when the suite is absent). */
export function floorCases(path = conformancePath()): BenchCase[] {
  if (!existsSync(path)) return [];
  const cases = parseOrderedJson(readFileSync(path, 'utf8')) as unknown as FloorCase[];
  return cases
    .filter((c) => c.kind === 'find_plan' && Array.isArray(c.expected) && c.expected.length === 0)
    .map((c) => ({ ...wasmCase({
      name: c.name,
      domain: c.domain,
      problems: [{ state: c.state, todo: c.todo, verify_goals: c.verify_goals }],
      gtpyhop: c.domain,
    }, { expectPlans: true }), name: `wasm/floor/${c.name.replace(/[^A-Za-z0-9_-]+/g, '-')}` }));
}
