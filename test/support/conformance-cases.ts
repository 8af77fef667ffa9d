/** The conformance cases (ARIA_CONFORMANCE_CASES may name another file or a folder of them). */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseOrderedJson } from '../../server/src/planner/language/ordered-json.js';
import type { JsonState, JsonValue, TodoItem } from '../../server/src/planner/types.js';

/** One case, as far as the gRPC tests use it. */
export interface ConformanceCase {
  domain: string;
  name: string;
  kind: 'find_plan' | 'run_lazy_lookahead';
  state: JsonState;
  todo: TodoItem[];
  verify_goals?: boolean;
  max_tries?: number;
  command_failures?: { command: string; occurrence: number }[];
  expected_final_state?: JsonState;
  expected_executed?: JsonValue[][];
}

/** The default case file: the shared suite beside the repository (tests run from the repository root). */
export const DEFAULT_CASES = resolve('../shared/conformance/gtpyhop/cases.json');

/** Reads every case of a file or of the .json files of a folder (key order kept, as the planner needs). */
export function readCases(path: string = process.env.ARIA_CONFORMANCE_CASES ?? DEFAULT_CASES): ConformanceCase[] {
  const files = statSync(path).isDirectory()
    ? readdirSync(path).filter((f) => f.endsWith('.json')).sort().map((f) => join(path, f))
    : [path];
  return files.flatMap((f) => parseOrderedJson(readFileSync(f, 'utf8')) as unknown as ConformanceCase[]);
}
