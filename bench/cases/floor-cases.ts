/**
 * Per-problem cases of the conformance suite, each side by side with
 * GTPyhop's find_plan on the same problem when run with --gtpyhop
 * (issue 14 item 15: in process, Aria should be no slower than GTPyhop on
 * any problem).
 *
 * - `wasm/floor/...`: the problems whose plan is empty (the goal already
 *   holds, or nothing is left to do). Planning them is almost all fixed
 *   per-call cost (encoding the problem, laying out memory, decoding the
 *   result): the floor under every call.
 * - `wasm/each/...`: every find_plan problem of a domain GTPyhop ships as an
 *   example (the probe domains are the suite's own).
 */
import { existsSync, readFileSync } from 'node:fs';
import { parseOrderedJson } from '../../server/src/planner/language/ordered-json.js';
import type { Problem } from '../../server/src/planner/index.js';
import { conformancePath } from '../repo-paths.js';
import type { BenchCase } from './case-types.js';
import { wasmCase } from './wasm-cases.js';

interface SuiteCase { domain: string; name: string; kind: string; state: Problem['state']; todo: Problem['todo']; verify_goals?: boolean; expected?: unknown }

/** The domains of the suite that are GTPyhop examples (modules or packages under its Examples/). */
const GTPYHOP_EXAMPLES = new Set(['simple_htn', 'simple_hgn', 'backtracking_htn', 'logistics_hgn', 'blocks_gtn', 'blocks_hgn', 'blocks_htn',
  'blocks_goal_splitting', 'pyhop_simple_travel_example', 'simple_htn_acting_error']);

function suite(path: string): SuiteCase[] {
  if (!existsSync(path)) return [];
  return (parseOrderedJson(readFileSync(path, 'utf8')) as unknown as SuiteCase[]).filter((c) => c.kind === 'find_plan' && GTPYHOP_EXAMPLES.has(c.domain));
}

function caseOf(prefix: string, c: SuiteCase): BenchCase {
  const planned = Array.isArray(c.expected);
  const base = wasmCase({ name: c.name, domain: c.domain, problems: [{ state: c.state, todo: c.todo, verify_goals: c.verify_goals }], gtpyhop: c.domain },
    { expectPlans: planned });
  return { ...base, name: `wasm/${prefix}/${c.name.replace(/[^A-Za-z0-9_-]+/g, '-')}` };
}

/** One case per problem whose expected plan is empty (none when the suite is absent). */
export function floorCases(path = conformancePath()): BenchCase[] {
  return suite(path).filter((c) => Array.isArray(c.expected) && c.expected.length === 0).map((c) => caseOf('floor', c));
}

/** One case per find_plan problem of a GTPyhop example domain (none when the suite is absent). */
export function eachCases(path = conformancePath()): BenchCase[] {
  return suite(path).map((c) => caseOf('each', c));
}
