/**
 * The planner service's logic, independent of the transport: domain
 * registry operations and planning calls on the worker pool. Results that
 * are failures (a domain bug, a limit) come back as typed errors, so the
 * transport maps every failure in one place.
 */
import type { PlanOptions, PlanResult } from '../planner/types.js';
import type { InlinePlanner } from '../pool/inline-planner.js';
import type { PlannerPool } from '../pool/planner-pool.js';
import type { DomainEntry, DomainRegistry, DomainSource } from './domain-registry.js';
import { abortReason, LimitError, PlanningError, throwIfAborted } from './errors.js';
import type { ProblemSource } from './json-problem.js';

/** The options of a planning call that reach the planner. */
export type CallPlanOptions = Omit<PlanOptions, 'signal' | 'cancelFlag'>;

/** A planning result that is an answer: a plan or no plan. */
export type PlanAnswer = Extract<PlanResult, { status: 'plan' | 'no_plan' }>;

/** One planning call: which domain, which problem, which options. */
export interface PlanCall {
  /** An id, a name or name@version. */
  domain: string;
  /** Parsed, or JSON text that the worker parses. */
  problem: ProblemSource;
  options: CallPlanOptions;
}

/** Registry operations and planning; one per server. */
export class PlannerService {
  constructor(
    /** The registered domains. */
    readonly registry: DomainRegistry,
    private readonly pool: PlannerPool,
    /** Plans small problems on this thread before the pool is asked (see inline-planner.ts). */
    private readonly inline?: InlinePlanner,
  ) {}

  /** Registers a domain (idempotent by content). */
  register(source: DomainSource): Promise<{ entry: DomainEntry; created: boolean }> {
    return this.registry.register(source);
  }

  /** The domain a reference names (NotFoundError otherwise). */
  get(ref: string): DomainEntry {
    return this.registry.resolve(ref);
  }

  /** Registered domains, ordered by name then version. */
  list(name?: string): DomainEntry[] {
    return this.registry.list(name);
  }

  /** Deletes a domain version, or every version of a name. */
  delete(ref: string): Promise<DomainEntry[]> {
    return this.registry.delete(ref);
  }

  /**
   * Plans on the pool. Resolves with a plan or no plan; throws PlanningError
   * (a domain bug), LimitError, the signal's CallAbortedError, or the pool's
   * and library's errors.
   */
  async plan(call: PlanCall, signal?: AbortSignal): Promise<{ entry: DomainEntry; result: PlanAnswer }> {
    const entry = this.registry.resolve(call.domain);
    return { entry, result: await this.planIn(entry, call.problem, call.options, signal) };
  }

  /** Plans in a domain already resolved (PlanStream and Act resolve once). */
  async planIn(entry: DomainEntry, problem: ProblemSource, options: CallPlanOptions, signal?: AbortSignal): Promise<PlanAnswer> {
    throwIfAborted(signal);
    const domain = { id: entry.id, domainJson: entry.domainJson };
    const quick = this.inline ? await this.inline.tryPlan(domain, problem, options, signal) : undefined;
    const result = quick ?? await this.pool.plan(domain, problem, options, signal);
    return answerOrThrow(result, signal);
  }
}

/** The answer of a result, or the typed error for a failed one. */
export function answerOrThrow(result: PlanResult, signal?: AbortSignal): PlanAnswer {
  switch (result.status) {
    case 'plan':
    case 'no_plan':
      return result;
    case 'error':
      throw new PlanningError(result.message, result.stats);
    case 'limit':
      // The engine reports a signal's abort as `cancelled`; the signal knows whether it was the deadline.
      if (signal?.aborted) throw abortReason(signal);
      throw new LimitError(result.limit, result.message, result.stats);
  }
}
