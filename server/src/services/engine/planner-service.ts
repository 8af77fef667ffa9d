/**
 * The planner service's logic, independent of the transport: domain
 * registry operations and planning calls on the worker pool. Results that
 * are failures (a domain bug, a limit) come back as typed errors, so the
 * transport maps every failure in one place.
 */
import type { JsonState, JsonValue, PlanOptions, PlanResult } from '../../planner/index.js';
import { InvalidArgumentError, PreconditionError } from '../../core/errors.js';
import type { InlinePlanner, PlannerPool, PoolDomain, ProblemSource } from '../../pool/index.js';
import type { DomainEntry, DomainRegistry, DomainSource } from './domain-registry.js';
import { abortReason, signalOf, throwIfAborted, type SignalSource } from '../../core/signals.js';
import { LimitError, PlanningError } from '../../planner/index.js';

/** The options of a planning call that reach the planner. */
export type CallPlanOptions = Omit<PlanOptions, 'signal' | 'cancelFlag'>;

/** A value, or a promise of one when it is not ready at once. */
export type MaybePromise<T> = T | Promise<T>;

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

/** The most actions one ApplyActions call applies (each is one engine call on the event loop). */
export const MAX_APPLY_ACTIONS = 10_000;

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
  register(source: DomainSource, signal?: SignalSource): Promise<{ entry: DomainEntry; created: boolean }> {
    return this.registry.register(source, signalOf(signal));
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
   * Plans, on this thread when the problem is small (see inline-planner.ts),
   * else on the pool; an inline answer comes without a promise. Gives a plan
   * or no plan; throws PlanningError (a domain bug), LimitError, the
   * signal's CallAbortedError, or the pool's and library's errors.
   */
  plan(call: PlanCall, signal?: SignalSource): MaybePromise<{ entry: DomainEntry; result: PlanAnswer }> {
    const entry = this.registry.resolve(call.domain);
    const result = this.planIn(entry, call.problem, call.options, signal);
    return result instanceof Promise ? result.then((r) => ({ entry, result: r })) : { entry, result };
  }

  /** Plans in a domain already resolved (PlanStream and Act resolve once). */
  planIn(entry: DomainEntry, problem: ProblemSource, options: CallPlanOptions, signal?: SignalSource): MaybePromise<PlanAnswer> {
    throwIfAborted(signal);
    const domain = { id: entry.id, domainJson: entry.domainJson };
    const quick = this.inline?.tryPlan(domain, problem, options, signal);
    if (quick instanceof Promise) return quick.then((r) => (r ? answerOrThrow(r, signal) : this.onPool(domain, problem, options, signal)));
    return quick ? answerOrThrow(quick, signal) : this.onPool(domain, problem, options, signal);
  }

  /**
   * Applies actions in order to a state (the acting step, no search) and
   * gives the state after each: the debugger's state at any step. Runs on
   * the inline planner's compiled domains; at most MAX_APPLY_ACTIONS.
   */
  async applyActions(domainRef: string, state: JsonState, actions: JsonValue[][], signal?: SignalSource): Promise<{ entry: DomainEntry; states: JsonState[] }> {
    if (actions.length > MAX_APPLY_ACTIONS) throw new InvalidArgumentError('actions', `at most ${MAX_APPLY_ACTIONS} actions, got ${actions.length}`);
    const entry = this.registry.resolve(domainRef);
    if (this.inline === undefined) throw new PreconditionError('ApplyActions needs the inline planner, which this server runs without');
    throwIfAborted(signal);
    const states = await this.inline.apply({ id: entry.id, domainJson: entry.domainJson }, state, actions, signalOf(signal));
    throwIfAborted(signal);
    return { entry, states };
  }

  private async onPool(domain: PoolDomain, problem: ProblemSource, options: CallPlanOptions, signal?: SignalSource): Promise<PlanAnswer> {
    return answerOrThrow(await this.pool.plan(domain, problem, options, signalOf(signal)), signal);
  }
}

/** The answer of a result, or the typed error for a failed one. */
export function answerOrThrow(result: PlanResult, signal?: SignalSource): PlanAnswer {
  switch (result.status) {
    case 'plan':
    case 'no_plan':
      return result;
    case 'error':
      throw new PlanningError(result.message, result.stats);
    case 'limit':
      // The engine reports a signal's abort as `cancelled`; the signal knows whether it was the deadline.
      if (signal?.aborted) throw abortReason(signalOf(signal)!);
      throw new LimitError(result.limit, result.message, result.stats);
  }
}
