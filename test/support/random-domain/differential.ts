/**
 * One differential comparison: a random case planned by the reference
 * planner, the JIT (ARIA_JIT=1) and the bytecode interpreter (ARIA_JIT=0),
 * which must agree on status, plan and error message.
 *
 * What is compared, and why:
 * - plan, no_plan, error: everything (status, plan, message), exactly;
 * - limit: all run under the same expansion limit and the reference counts
 *   expansions as the engine does (one per method or action tried), so a
 *   limit must be met by all three; only its kind is compared (the message
 *   is the engine's own);
 * - an error the reference marks 'runaway' (helper recursion past its own
 *   nesting limit, not the engine's): the status only;
 * - skipped: a domain the validator or the compiler rejects, a reference
 *   search deeper than JavaScript's stack, an engine that ran out of its
 *   deadline (a safety net on a loaded machine, not a result).
 */
import { loadDomainWith } from '../engine-mode.js';
import { DomainError, type PlanResult } from '../../../server/src/planner/index.js';
import { loadReferenceDomain, type ReferenceResult } from '../reference-planner/index.js';
import type { RandomCase } from './domain-builder.js';

/** The expansion limit of every side (keeps each case to milliseconds). */
export const MAX_EXPANSIONS = 3000;
/** The engine's safety deadline per call. */
const TIMEOUT_MS = 3_000;

/** The outcome of one case. */
export type Verdict =
  | { kind: 'agree'; status: string }
  | { kind: 'skip'; why: 'invalid' | 'stack' | 'deadline'; detail: string }
  | { kind: 'mismatch'; detail: string };

/** The comparable part of a result. */
function essence(r: PlanResult | ReferenceResult, exactError: boolean): unknown {
  switch (r.status) {
    case 'plan': return { status: 'plan', plan: r.plan };
    case 'no_plan': return { status: 'no_plan' };
    case 'error': return exactError ? { status: 'error', message: r.message } : { status: 'error' };
    default: return { status: 'limit', limit: r.limit };
  }
}




/** Plans c on the three sides and compares. */
export function compareCase(c: RandomCase): Verdict {
  let ref;
  try { ref = loadReferenceDomain(c.text); } catch (e) {
    if (e instanceof DomainError) return { kind: 'skip', why: 'invalid', detail: e.message };
    throw e;
  }
  // The validator passes some domains that only the compiler rejects (an
  // unknown callee, say): such a case is invalid too. Shrinking makes them
  // by deleting lines; counted as skips, they are simply not failures.
  let engines;
  try { engines = [true, false].map((jit) => ({ jit, domain: loadDomainWith(c.text, jit) })); } catch (e) {
    if (e instanceof DomainError) return { kind: 'skip', why: 'invalid', detail: e.message };
    throw e;
  }
  const want = ref.plan(c.problem, { maxExpansions: MAX_EXPANSIONS });
  const got = engines.map(({ jit, domain }) => ({
    side: jit ? 'JIT (ARIA_JIT=1)' : 'interpreter (ARIA_JIT=0)',
    result: domain.plan(c.problem, { maxExpansions: MAX_EXPANSIONS, timeoutMs: TIMEOUT_MS }),
  }));
  return judge(want, got);
}

/** The verdict on the reference's answer and the engine's (one per side), by the rules above. */
export function judge(want: ReferenceResult, got: { side: string; result: PlanResult }[]): Verdict {
  if (want.status === 'limit' && (want.limit === 'stack' || want.limit === 'steps')) return { kind: 'skip', why: 'stack', detail: `reference ${want.limit}` };
  const exact = want.status !== 'error' || want.errorKind === 'exact';
  const expected = JSON.stringify(essence(want, exact));
  for (const { side, result } of got) {
    if (result.status === 'limit' && result.limit === 'deadline') return { kind: 'skip', why: 'deadline', detail: side };
    const actual = JSON.stringify(essence(result, exact));
    if (actual !== expected) return { kind: 'mismatch', detail: `${side}: ${actual}\nreference: ${expected}` };
  }
  return { kind: 'agree', status: want.status };
}

/** A case as text to paste into a test or a file: the domain, then the problem as JSON. */
export function describeCase(c: RandomCase): string {
  return `# mode: ${c.mode}\n${c.text}\n# problem:\n${JSON.stringify(c.problem)}\n`;
}
