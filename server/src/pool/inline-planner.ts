/**
 * Small problems planned on the main thread. Handing a call to a worker
 * thread costs two thread hops and a structured clone each way, which for a
 * problem that plans in microseconds is most of the call. So a call first
 * runs here under a small expansion budget; only when the budget (or the
 * small memory allowance) is what stopped it does it go to the pool, with
 * the caller's own limits. The budget and a few milliseconds bound how
 * long the event loop is held, and a domain whose calls keep overrunning
 * them is sent straight to the pool for a while, so large problems waste
 * little here and still scale with the pool.
 */
import type { PlanResult, DomainHandleLike, PlannerLibrary } from '../planner/index.js';
import { isJsonProblem, isProtoProblem, resolveProblem, type ProblemSource } from './problem-source.js';
import type { PoolDomain } from './planner-pool.js';
import type { WorkerPlanOptions } from './pool-protocol.js';
import { LruCache } from './lru-cache.js';
import { PLAN_DEFAULTS, type JsonState, type JsonValue } from '../planner/index.js';
import { InvalidArgumentError, PreconditionError } from '../core/errors.js';
import { boundText, ECHO_LIMIT } from '../core/bounded-text.js';

/** Inline settings; every field has a default. */
export interface InlineOptions {
  /** Node expansions a call may use here before it goes to the pool (default 256; 0 turns inlining off). */
  maxExpansions?: number;
  /**
   * Milliseconds a call may run here (default 5): helpers run without node
   * expansions (an exponential recursion, say), so the budget alone would
   * not bound how long the event loop is held.
   */
  maxMillis?: number;
  /** Engine memory a call may use here (default 16 MiB). */
  maxMemoryBytes?: number;
  /** Domains whose model JSON is larger are never compiled on the main thread (default 256 KiB). */
  maxDomainBytes?: number;
  /** Problems sent as JSON text longer than this go to the pool, which parses them there (default 64 KiB). */
  maxProblemBytes?: number;
  /** Compiled domains kept (default 16). */
  cacheSize?: number;
}

/** After this many overruns in a row, a domain skips the inline try ... */
const OVERRUNS_TO_BACK_OFF = 4;
/** ... except for one call in this many, which checks whether its problems got smaller. */
const PROBE_EVERY = 64;

interface DomainStats { handle: DomainHandleLike; overruns: number; skipped: number }

/** Plans small problems on the calling thread; see the file comment. */
export class InlinePlanner {
  private readonly budget: number;
  private readonly memory: number;
  private readonly millis: number;
  private readonly maxDomainBytes: number;
  private readonly maxProblemBytes: number;
  /** Compiled domains by id. */
  private readonly cache: LruCache<DomainStats>;
  /** Compilations under way, by domain id. */
  private readonly compiling = new Map<string, Promise<DomainStats>>();
  /** Calls answered here and calls handed on: what the tests and benchmarks look at. */
  readonly counts = { inline: 0, handedOn: 0 };

  constructor(private readonly library: PlannerLibrary, options: InlineOptions = {}) {
    this.budget = options.maxExpansions ?? 256;
    this.memory = options.maxMemoryBytes ?? 16 * 1024 * 1024;
    this.millis = options.maxMillis ?? 5;
    this.maxDomainBytes = options.maxDomainBytes ?? 256 * 1024;
    this.maxProblemBytes = options.maxProblemBytes ?? 64 * 1024;
    this.cache = new LruCache(options.cacheSize ?? 16, (s) => s.handle.dispose?.());
  }

  /**
   * The call's result, or undefined when it belongs on the pool. Throws the
   * library's DomainError and InvalidArgumentError as the pool would. Answers
   * without a promise when the domain is already compiled here: a small
   * call then costs no turn of the event loop.
   */
  tryPlan(domain: PoolDomain, problem: ProblemSource, options: WorkerPlanOptions, signal?: { readonly aborted: boolean }): PlanResult | undefined | Promise<PlanResult | undefined> {
    // An anytime search spends its budget by design: always the pool's work.
    if (this.budget <= 0 || (options.traceLevel ?? 0) > 0 || options.optimize !== undefined) return undefined;
    if (isJsonProblem(problem) && problem.json.length > this.maxProblemBytes) return undefined;
    // Still protobuf bytes: a large request, decoded on the pool.
    if (isProtoProblem(problem)) return undefined;
    const hit = this.cache.get(domain.id);
    if (hit) return this.planWith(hit, problem, options, signal);
    // A large model would hold the event loop while it compiles: the workers do those.
    if (domain.domainJson.length > this.maxDomainBytes) return undefined;
    return this.compile(domain).then((stats) => this.planWith(stats, problem, options, signal));
  }

  private planWith(stats: DomainStats, problem: ProblemSource, options: WorkerPlanOptions, signal?: { readonly aborted: boolean }): PlanResult | undefined {
    if (stats.overruns >= OVERRUNS_TO_BACK_OFF && ++stats.skipped % PROBE_EVERY !== 0) return this.handOn();
    const wantExpansions = options.maxExpansions ?? PLAN_DEFAULTS.maxExpansions;
    const wantMemory = options.maxMemoryBytes ?? PLAN_DEFAULTS.maxMemoryBytes;
    const wantMillis = options.timeoutMs ?? Infinity;
    // Written out, not spread: V8 makes new hidden classes for `{...options, more}` on every call
    // when options has fields, and those live in the old generation (see test/planner/hot-path-garbage.test.ts).
    const result = stats.handle.plan(resolveProblem(problem), {
      verifyGoals: options.verifyGoals,
      traceLevel: options.traceLevel,
      maxDepth: options.maxDepth,
      maxPlanLength: options.maxPlanLength,
      maxExpansions: Math.min(wantExpansions, this.budget),
      maxMemoryBytes: Math.min(wantMemory, this.memory),
      timeoutMs: Math.min(wantMillis, this.millis),
      signal,
    });
    const overran = result.status === 'limit' && ((result.limit === 'expansions' && wantExpansions > this.budget)
      || (result.limit === 'memory' && wantMemory > this.memory) || (result.limit === 'deadline' && wantMillis > this.millis));
    if (overran) { stats.overruns++; return this.handOn(); }
    stats.overruns = 0;
    stats.skipped = 0;
    this.counts.inline++;
    return result;
  }

  private handOn(): undefined {
    this.counts.handedOn++;
    return undefined;
  }

  /** Compiles a domain once however many calls ask for it while it compiles. */
  private compile(domain: PoolDomain): Promise<DomainStats> {
    let pending = this.compiling.get(domain.id);
    if (pending === undefined) {
      pending = Promise.resolve().then(() => this.library.loadDomain(JSON.parse(domain.domainJson))).then((handle) => {
        const stats = { handle, overruns: 0, skipped: 0 };
        this.cache.set(domain.id, stats);
        return stats;
      }).finally(() => this.compiling.delete(domain.id));
      this.compiling.set(domain.id, pending);
    }
    return pending;
  }

  /**
   * Applies actions in order to a state with the domain's acting step and
   * gives the state after each one. Runs here, not on the pool: each step is
   * one engine call without search, and the caller bounds the count.
   * Throws InvalidArgumentError naming `actions[i]` for a malformed or not
   * applicable action.
   */
  async apply(domain: PoolDomain, state: JsonState, actions: JsonValue[][], signal?: { readonly aborted: boolean }): Promise<JsonState[]> {
    const stats = this.cache.get(domain.id) ?? await this.compile(domain);
    const handle = stats.handle;
    if (handle.execute === undefined) throw new PreconditionError('this planner library has no acting step');
    const states: JsonState[] = [];
    let current = state;
    for (let i = 0; i < actions.length; i++) {
      if (signal?.aborted) break;
      let next: JsonState | false;
      try {
        // The action, not a command of the same name: the state the planner saw, which the trace shows.
        next = handle.execute(actions[i], current, true);
      } catch (e) {
        if (e instanceof InvalidArgumentError) throw new InvalidArgumentError(`actions[${i}]`, e.message);
        throw e;
      }
      if (next === false) {
        const where = i === 0 ? 'the given state' : `the state after actions[${i - 1}]`;
        throw new InvalidArgumentError(`actions[${i}]`, `${boundText(JSON.stringify(actions[i]), ECHO_LIMIT)} is not applicable in ${where}`);
      }
      states.push(next);
      current = next;
    }
    return states;
  }

  /** Frees every compiled domain. */
  close(): void {
    this.cache.clear();
  }
}
