/**
 * The conformance runner: plays cases in the format of
 * ../shared/conformance (GTPyhop's own answers) against the planner and
 * reports what differed. Used by `aria conformance` and the test suite.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseOrderedJson } from './language/ordered-json.js';
import type { DomainHandle } from './domain-handle.js';
import type { JsonState, JsonValue, TodoItem } from './types.js';
import { setOwn } from '../core/own-key.js';

/** One conformance case (fields the runner reads; the rest is context). */
export interface ConformanceCase {
  domain: string;
  /** The domain's text, for cases that carry their own domain (random domains); `domain` is then only a label. */
  domain_text?: string;
  name: string;
  kind: 'find_plan' | 'run_lazy_lookahead';
  state: JsonState;
  todo: TodoItem[];
  verify_goals?: boolean;
  expected?: JsonValue[][] | false | null;
  expected_error?: string;
  expected_final_state?: JsonState;
  expected_executed?: JsonValue[][];
  command_failures?: { command: string; occurrence: number }[];
  max_tries?: number;
}

/** The outcome of one case: null when it passed, else what differed. */
export interface CaseOutcome { name: string; failure: string | null }

/** Reads every case from files and folders (folders: every .json file below, in name order). */
export function loadCases(paths: string[]): ConformanceCase[] {
  const files: string[] = [];
  const walk = (p: string): void => {
    if (statSync(p).isDirectory()) {
      for (const e of readdirSync(p).sort()) {
        const q = join(p, e);
        if (statSync(q).isDirectory() || e.endsWith('.json')) walk(q);
      }
    } else files.push(p);
  };
  for (const p of paths) walk(p);
  const cases: ConformanceCase[] = [];
  for (const f of files) {
    const data = parseOrderedJson(readFileSync(f, 'utf8'));
    const list = Array.isArray(data) ? data : [data];
    for (const c of list) cases.push(c as unknown as ConformanceCase);
  }
  return cases;
}

/** Runs one case on its domain. */
export async function runCase(c: ConformanceCase, domain: DomainHandle): Promise<CaseOutcome> {
  const name = String(c.name ?? '(unnamed)');
  try {
    if (c.kind === 'run_lazy_lookahead') return { name, failure: await runActing(c, domain) };
    if (c.kind !== undefined && c.kind !== 'find_plan') return { name, failure: `unknown kind ${JSON.stringify(c.kind)}` };
    const r = domain.plan({ state: c.state, todo: c.todo, verify_goals: c.verify_goals });
    const got = r.status === 'plan' ? JSON.stringify(r.plan) : r.status === 'no_plan' ? 'no plan (false)'
      : `${r.status}: ${'message' in r ? r.message : ''}`;
    if (c.expected === null) {
      return { name, failure: r.status === 'error' ? null : `expected an error (${c.expected_error ?? 'domain bug'}), got ${got}` };
    }
    if (c.expected === false) return { name, failure: r.status === 'no_plan' ? null : `expected no plan (false), got ${got}` };
    if (r.status !== 'plan') return { name, failure: `expected plan ${JSON.stringify(c.expected)}, got ${got}` };
    return { name, failure: sameJson(r.plan, c.expected ?? []) ? null : `expected plan ${JSON.stringify(c.expected)}, got ${got}` };
  } catch (e) {
    return { name, failure: `raised ${(e as Error).message}` };
  }
}

async function runActing(c: ConformanceCase, domain: DomainHandle): Promise<string | null> {
  const seen = new Map<string, number>();
  const failures = c.command_failures ?? [];
  const r = await domain.act({ state: c.state, todo: c.todo, verify_goals: c.verify_goals }, {
    maxTries: c.max_tries ?? 10,
    executor: (cmd, st) => {
      const n = String(cmd[0]);
      const k = (seen.get(n) ?? 0) + 1;
      seen.set(n, k);
      const fails = failures.some((f) => (f.command === n || f.command === `c_${n}`) && f.occurrence === k);
      return fails ? false : domain.execute(cmd, st);
    },
  });
  const diffs: string[] = [];
  if (c.expected_final_state && !sameJson(normalize(r.state), normalize(c.expected_final_state))) {
    diffs.push(`final state ${JSON.stringify(r.state)}, expected ${JSON.stringify(c.expected_final_state)}`);
  }
  if (c.expected_executed && !sameJson(r.executed, c.expected_executed)) {
    diffs.push(`executed ${JSON.stringify(r.executed)}, expected ${JSON.stringify(c.expected_executed)}`);
  }
  return diffs.length ? diffs.join('; ') : null;
}

/** Canonical JSON for comparison: object keys sorted, __intkeys__ pairs as objects, sets sorted. */
function normalize(v: JsonValue): JsonValue {
  if (Array.isArray(v)) return v.map(normalize);
  if (v === null || typeof v !== 'object') return v;
  if ('__intkeys__' in v) {
    const inner = v.__intkeys__;
    const obj: Record<string, JsonValue> = {};
    if (Array.isArray(inner)) for (const p of inner) setOwn(obj, String((p as JsonValue[])[0]), normalize((p as JsonValue[])[1]));
    else for (const [k, x] of Object.entries(inner as Record<string, JsonValue>)) setOwn(obj, k, normalize(x));
    return { __intkeys__: sortKeys(obj) };
  }
  if ('__set__' in v && Array.isArray(v.__set__)) return { __set__: v.__set__.map(normalize).sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1)) };
  const obj: Record<string, JsonValue> = {};
  for (const [k, x] of Object.entries(v)) setOwn(obj, k, normalize(x));
  return sortKeys(obj);
}

function sortKeys(o: Record<string, JsonValue>): Record<string, JsonValue> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function sameJson(a: JsonValue, b: JsonValue): boolean {
  return JSON.stringify(normalize(a)) === JSON.stringify(normalize(b));
}
