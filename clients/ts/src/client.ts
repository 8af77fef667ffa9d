/**
 * AriaClient: promises over the generated client, with deadlines,
 * cancellation through AbortSignal, JSON-encoded problems, and typed results.
 */
import { credentials as grpcCredentials, Metadata, type CallOptions, type ChannelCredentials, type ClientOptions, type ServiceError } from '@grpc/grpc-js';
import {
  ActRequest, ActStatus, DeleteDomainRequest, GetDomainRequest, ListDomainsRequest, PlannerServiceClient, PlanRequest, PlanStatus,
  PlanStreamRequest, RegisterDomainRequest, TraceEventKind, type ActResponse, type DomainInfo, type PlanResponse, type PlanStreamResponse,
  type TraceResponse,
} from './gen/aria/planner/v1/planner.js';
import type { Domain } from './gen/aria/planner/v1/domain.js';
import { AriaError } from './errors.js';
import { fromState, fromStep, fromValue, toState, toTodo, type JsonState, type JsonValue, type Problem } from './values.js';

/** Options of every call. */
export interface CallSettings {
  /** Give up after this many milliseconds (DEADLINE_EXCEEDED). Default: the client's `deadlineMs`. */
  deadlineMs?: number;
  /** Cancels the call (CANCELLED). */
  signal?: AbortSignal;
}

/** Options of planning calls. */
export interface PlanSettings extends CallSettings {
  verifyGoals?: boolean;
  /** 0 (none) to 3 (every method tried). */
  traceLevel?: number;
  maxExpansions?: number;
  maxDepth?: number;
  maxPlanLength?: number;
  /** The planner's own wall-clock budget. */
  timeoutMs?: number;
  maxMemoryBytes?: number;
}

/** Counters of one planning call. */
export interface PlanStats {
  expansions: number;
  backtracks: number;
  maxDepth: number;
  peakMemoryBytes: number;
}

/** One trace event (kind names as in the planner library). */
export interface TraceEvent {
  kind: string;
  depth: number;
  method?: string;
  item?: JsonValue;
}

/** A planning answer. Failures (domain bugs, limits, bad input) reject with AriaError instead. */
export type PlanOutcome =
  | { status: 'plan'; plan: JsonValue[][]; stats: PlanStats; trace: TraceEvent[]; domainId: string }
  | { status: 'no_plan'; stats: PlanStats; trace: TraceEvent[]; domainId: string };

/** A registered domain. */
export type { DomainInfo };

/** Runs one command while acting: the new state, or false when the command failed. */
export type RemoteExecutor = (command: JsonValue[], state: JsonState) => JsonState | false | Promise<JsonState | false>;

/** How acting ended. */
export interface ActOutcome {
  status: 'done' | 'no_plan' | 'max_tries';
  state: JsonState;
  executed: JsonValue[][];
  tries: number;
}

/** Client settings. */
export interface AriaClientOptions {
  /** Default deadline of every call, in milliseconds (default: none). */
  deadlineMs?: number;
  /** Default: insecure (plain TCP), as `aria serve` listens. */
  credentials?: ChannelCredentials;
  /** grpc-js channel options. */
  channelOptions?: ClientOptions;
}

const TRACE_KINDS: Record<number, string> = {
  [TraceEventKind.TRACE_EVENT_KIND_TODO]: 'todo', [TraceEventKind.TRACE_EVENT_KIND_METHOD_TRIED]: 'method_tried',
  [TraceEventKind.TRACE_EVENT_KIND_METHOD_FAILED]: 'method_failed', [TraceEventKind.TRACE_EVENT_KIND_ACTION_APPLIED]: 'action_applied',
  [TraceEventKind.TRACE_EVENT_KIND_ACTION_FAILED]: 'action_failed', [TraceEventKind.TRACE_EVENT_KIND_GOAL_ACHIEVED]: 'goal_achieved',
  [TraceEventKind.TRACE_EVENT_KIND_GOAL_VERIFIED]: 'goal_verified', [TraceEventKind.TRACE_EVENT_KIND_BACKTRACK]: 'backtrack',
  [TraceEventKind.TRACE_EVENT_KIND_RESULT]: 'result',
};
const ACT_STATUSES: Record<number, ActOutcome['status']> = {
  [ActStatus.ACT_STATUS_DONE]: 'done', [ActStatus.ACT_STATUS_NO_PLAN]: 'no_plan', [ActStatus.ACT_STATUS_MAX_TRIES]: 'max_tries',
};

/** A connection to an Aria server. */
export class AriaClient {
  /** The generated client, for anything this layer does not cover. */
  readonly raw: PlannerServiceClient;
  private readonly defaultDeadlineMs?: number;

  /** @param address host:port (default: ARIA_SERVER, else 127.0.0.1:50051) */
  constructor(address: string = process.env.ARIA_SERVER ?? '127.0.0.1:50051', options: AriaClientOptions = {}) {
    this.raw = new PlannerServiceClient(address, options.credentials ?? grpcCredentials.createInsecure(), options.channelOptions);
    this.defaultDeadlineMs = options.deadlineMs;
  }

  /** Closes the connection. */
  close(): void {
    this.raw.close();
  }

  /** Registers a domain given as text (the .aria language) or as a Domain message (see DomainBuilder). */
  async registerDomain(source: string | Domain, settings: CallSettings & { file?: string } = {}): Promise<DomainInfo & { created: boolean }> {
    const req: RegisterDomainRequest = {
      source: typeof source === 'string' ? { $case: 'text', text: source } : { $case: 'domain', domain: source },
      file: settings.file ?? '',
    };
    const res = await this.unary(this.raw.registerDomain, req, settings);
    return { ...(res.info as DomainInfo), created: res.created };
  }

  /** One domain: its info, its Domain message, and its text when registered as text. */
  async getDomain(ref: string, settings: CallSettings = {}): Promise<{ info: DomainInfo; domain: Domain; text?: string }> {
    const res = await this.unary(this.raw.getDomain, GetDomainRequest.fromPartial({ domain: ref }), settings);
    return { info: res.info as DomainInfo, domain: res.domain as Domain, text: res.text || undefined };
  }

  /** The registered domains (of one name, if given). */
  async listDomains(name = '', settings: CallSettings = {}): Promise<DomainInfo[]> {
    return (await this.unary(this.raw.listDomains, ListDomainsRequest.fromPartial({ name }), settings)).domains;
  }

  /** Deletes a domain version (id or name@version) or all versions of a name. */
  async deleteDomain(ref: string, settings: CallSettings = {}): Promise<DomainInfo[]> {
    return (await this.unary(this.raw.deleteDomain, DeleteDomainRequest.fromPartial({ domain: ref }), settings)).deleted;
  }

  /** Plans one problem in a domain (id, name or name@version). */
  async plan(domain: string, problem: Problem, settings: PlanSettings = {}): Promise<PlanOutcome> {
    return outcome(await this.unary(this.raw.plan, planRequest(domain, problem, settings), settings));
  }

  /**
   * Plans many problems in one domain over one stream (PlanStream); yields
   * an outcome or an AriaError per problem, in order.
   */
  async *planMany(domain: string, problems: Iterable<Problem> | AsyncIterable<Problem>, settings: PlanSettings = {}): AsyncGenerator<PlanOutcome | AriaError> {
    const call = this.raw.planStream(new Metadata(), this.options(settings));
    const cancel = this.cancelOn(call, settings.signal);
    const writer = (async () => {
      let first = true;
      for await (const p of problems) {
        if (!call.write(PlanStreamRequest.fromPartial({ problem: planRequest(first ? domain : '', p, settings) }))) await new Promise((r) => call.once('drain', r));
        first = false;
      }
      call.end();
    })();
    writer.catch(() => call.cancel());
    try {
      for await (const res of call as AsyncIterable<PlanStreamResponse>) {
        const o = res.outcome;
        if (o?.$case === 'result') yield outcome(o.result);
        else yield new AriaError(o?.error.code ?? 2, o?.error.message ?? 'no outcome', o?.error);
      }
    } catch (err) {
      throw AriaError.from(err as ServiceError);
    } finally {
      cancel();
    }
  }

  /** Plans with a trace (level 3 unless `traceLevel` says otherwise) and returns the events and the outcome. */
  async trace(domain: string, problem: Problem, settings: PlanSettings = {}): Promise<{ events: TraceEvent[]; outcome: PlanOutcome }> {
    const call = this.raw.trace({ problem: planRequest(domain, problem, settings) }, new Metadata(), this.options(settings));
    const cancel = this.cancelOn(call, settings.signal);
    const events: TraceEvent[] = [];
    let result: PlanResponse | undefined;
    try {
      for await (const res of call as AsyncIterable<TraceResponse>) {
        if (res.kind?.$case === 'event') events.push(traceEvent(res.kind.event));
        else if (res.kind?.$case === 'result') result = res.kind.result;
      }
    } catch (err) {
      throw AriaError.from(err as ServiceError);
    } finally {
      cancel();
    }
    if (!result) throw new AriaError(2, 'the trace ended without a result');
    return { events, outcome: outcome(result) };
  }

  /**
   * Lazy lookahead acting with the executor here and the planner there: the
   * server plans and sends commands, `execute` runs each one and returns the
   * observed state (or false), the server replans after a failure.
   */
  async act(domain: string, problem: Problem, execute: RemoteExecutor, settings: PlanSettings & { maxTries?: number } = {}): Promise<ActOutcome> {
    const call = this.raw.act(new Metadata(), this.options(settings));
    const cancel = this.cancelOn(call, settings.signal);
    let state = problem.state;
    try {
      call.write(ActRequest.fromPartial({ kind: { $case: 'start', start: { problem: planRequest(domain, problem, settings), maxTries: settings.maxTries ?? 0 } } }));
      for await (const res of call as AsyncIterable<ActResponse>) {
        if (res.kind?.$case === 'command') {
          const next = await execute(fromStep(res.kind.command.command), state);
          if (next !== false) state = next;
          call.write(ActRequest.fromPartial({ kind: { $case: 'report', report: { success: next !== false, state: next === false ? undefined : toState(next) } } }));
        } else if (res.kind?.$case === 'done') {
          const d = res.kind.done;
          call.end();
          return { status: ACT_STATUSES[d.status] ?? 'done', state: fromState(d.state), executed: d.executed.map(fromStep), tries: d.tries };
        }
      }
      throw new AriaError(2, 'the server ended acting without an answer');
    } catch (err) {
      throw err instanceof AriaError ? err : AriaError.from(err as ServiceError);
    } finally {
      cancel();
    }
  }

  private options(settings: CallSettings): CallOptions {
    const ms = settings.deadlineMs ?? this.defaultDeadlineMs;
    return ms === undefined ? {} : { deadline: new Date(Date.now() + ms) };
  }

  private cancelOn(call: { cancel(): void }, signal?: AbortSignal): () => void {
    if (!signal) return () => {};
    if (signal.aborted) call.cancel();
    const onAbort = () => call.cancel();
    signal.addEventListener('abort', onAbort, { once: true });
    return () => signal.removeEventListener('abort', onAbort);
  }

  private unary<Req, Res>(
    method: (req: Req, md: Metadata, opts: Partial<CallOptions>, cb: (err: ServiceError | null, res: Res) => void) => { cancel(): void },
    req: Req,
    settings: CallSettings,
  ): Promise<Res> {
    return new Promise((resolve, reject) => {
      let cancel = () => {};
      const call = method.call(this.raw, req, new Metadata(), this.options(settings), (err, res) => {
        cancel();
        if (err) reject(AriaError.from(err));
        else resolve(res);
      });
      cancel = this.cancelOn(call, settings.signal);
    });
  }
}

function planRequest(domain: string, problem: Problem, s: PlanSettings): PlanRequest {
  return PlanRequest.fromPartial({
    domain,
    state: toState(problem.state),
    todo: toTodo(problem.todo),
    options: {
      verifyGoals: s.verifyGoals ?? problem.verify_goals,
      traceLevel: s.traceLevel ?? 0,
      limits: { maxExpansions: s.maxExpansions, maxDepth: s.maxDepth, maxPlanLength: s.maxPlanLength, timeoutMs: s.timeoutMs, maxMemoryBytes: s.maxMemoryBytes },
    },
  });
}

function outcome(r: PlanResponse): PlanOutcome {
  const stats = r.stats ?? { expansions: 0, backtracks: 0, maxDepth: 0, peakMemoryBytes: 0 };
  const trace = r.trace.map(traceEvent);
  if (r.status === PlanStatus.PLAN_STATUS_PLAN) return { status: 'plan', plan: r.plan.map(fromStep), stats, trace, domainId: r.domainId };
  return { status: 'no_plan', stats, trace, domainId: r.domainId };
}

function traceEvent(t: { kind: number; depth: number; method: string; item?: Parameters<typeof fromValue>[0] }): TraceEvent {
  const e: TraceEvent = { kind: TRACE_KINDS[t.kind] ?? 'unknown', depth: t.depth };
  if (t.method) e.method = t.method;
  if (t.item) e.item = fromValue(t.item);
  return e;
}
