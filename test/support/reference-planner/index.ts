/**
 * The reference planner: a plain interpreter of Aria domains with
 * GTPyhop 1.1's algorithm (seek-plan.ts), used as the oracle of the
 * differential tests. It reads the same AST as the engine (the project's
 * own parser and validator) and answers in the shape of
 * `loadDomain(text).plan(problem)`, so the two can be compared field by
 * field. No memo, no compilation, no arena: a state is copied for every
 * action.
 */
import type { Domain } from '../../../server/src/planner/language/ast.js';
import { parseDomain } from '../../../server/src/planner/language/parse-domain.js';
import { validateDomain } from '../../../server/src/planner/validation/validate-domain.js';
import type { JsonValue, PlanOptions, Problem } from '../../../server/src/planner/types.js';
import { DomainBug, domainContext, StepLimit, type DomainContext } from './domain-context.js';
import { ExpansionLimit, Search } from './seek-plan.js';
import { stateFromJson, todoFromJson } from './state.js';
import { toJson } from './values.js';

/**
 * The reference's answer. `errorKind` says how exactly an error message can
 * be compared: 'exact', or 'runaway' (helper recursion past the
 * reference's own nesting limit, which is not the engine's: compare the
 * status only).
 */
export type ReferenceResult =
  | { status: 'plan'; plan: JsonValue[][] }
  | { status: 'no_plan' }
  | { status: 'error'; message: string; errorKind: 'exact' | 'runaway' }
  | { status: 'limit'; limit: 'expansions' | 'stack' | 'steps' };

/** Loop turns and helper calls a planning call may make (see DomainContext.steps). */
const MAX_STEPS = 2_000_000;

/** A domain ready for the reference planner. */
export class ReferenceDomain {
  /** The domain as its bodies see it (constants evaluated). */
  readonly ctx: DomainContext;
  constructor(readonly domain: Domain) { this.ctx = domainContext(domain); }

  /**
   * Plans as `DomainHandle.plan` does, with its limits' defaults; only
   * `maxExpansions` and `verifyGoals` of the options are read. A search so
   * deep that JavaScript's stack runs out ends with limit 'stack' (the
   * engine has no such limit: callers skip the comparison), and one whose
   * loops run away limit 'steps' (the engine's is its deadline).
   */
  plan(problem: Problem, options: Pick<PlanOptions, 'maxExpansions' | 'verifyGoals'> = {}): ReferenceResult {
    const verify = options.verifyGoals ?? problem.verify_goals ?? true;
    this.ctx.steps.left = MAX_STEPS;
    const search = new Search(this.ctx, verify, options.maxExpansions ?? 10_000_000);
    try {
      const plan = search.seekPlan(stateFromJson(problem.state), todoFromJson(problem.todo), [], 0);
      return plan === false ? { status: 'no_plan' } : { status: 'plan', plan: plan.map((step) => toJson(step) as JsonValue[]) };
    } catch (e) {
      if (e instanceof DomainBug) return { status: 'error', message: e.message, errorKind: e.kind };
      if (e instanceof StepLimit) return { status: 'limit', limit: 'steps' };
      if (e instanceof ExpansionLimit) return { status: 'limit', limit: 'expansions' };
      if (e instanceof RangeError && /call stack/i.test(e.message)) return { status: 'limit', limit: 'stack' };
      throw e;
    }
  }
}

/** Parses and validates a domain's text as loadDomain does (throws its DomainError), for the reference. */
export function loadReferenceDomain(text: string, file = '<domain>'): ReferenceDomain {
  const domain = parseDomain(text, file);
  validateDomain(domain, file);
  return new ReferenceDomain(domain);
}
