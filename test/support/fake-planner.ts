/**
 * A stand-in planner library for the worker-failure tests: todo `trap`
 * throws a WebAssembly trap inside the worker, `ignore_cancel` busy-waits
 * without looking at the cancel flag, anything else plans [["ok"]].
 */
import { createHash } from 'node:crypto';
import type { Domain } from '../../server/src/planner/language/ast.js';
import type { PlanOptions, PlanResult, Problem } from '../../server/src/planner/types.js';

const STATS = { expansions: 1, backtracks: 0, maxDepth: 1, peakMemoryBytes: 0 };
const EMPTY: Domain = { name: 'fake', vars: [], consts: [], functions: [], actions: [], commands: [], tasks: [], unigoals: [], multigoals: [] };

/** The fake library's only built-in domain. */
export function builtinDomainNames(): string[] {
  return ['fake'];
}

/** Its text (ignored). */
export function readBuiltinDomain(): { text: string; file: string } {
  return { text: 'domain fake', file: 'fake.aria' };
}

/** A handle whose plan() misbehaves on request. */
export function loadDomain(source: string | Domain) {
  const domain = typeof source === 'string' ? EMPTY : source;
  return {
    name: domain.name,
    hash: createHash('sha256').update(JSON.stringify(domain)).digest('hex'),
    domain,
    plan(problem: Problem, options: PlanOptions = {}): PlanResult {
      const first = Array.isArray(problem.todo[0]) ? problem.todo[0][0] : undefined;
      if (first === 'trap') throw new WebAssembly.RuntimeError('unreachable executed (secret detail)');
      if (first === 'ignore_cancel') {
        const end = Date.now() + 60_000;
        while (Date.now() < end) {
          // Busy on purpose: a search that never reads the cancel flag.
        }
      }
      return { status: 'plan', plan: [['ok']], stats: STATS };
    },
  };
}
