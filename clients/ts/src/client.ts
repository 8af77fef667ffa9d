/**
 * AriaClient: one connection to an Aria server with every service on it.
 * The planner's calls are the client's own methods (promises, deadlines,
 * cancellation through AbortSignal, JSON-encoded problems, typed results);
 * `auth`, `secrets`, `data` and `queue` hold the other services' calls.
 * A bearer token goes on every call: a fixed one (`token`), or a session's
 * (`login`), which the client refreshes before it expires.
 */
import { credentials as grpcCredentials, Metadata, type ChannelCredentials, type ClientOptions, type ServiceError } from '@grpc/grpc-js';
import {
  ActRequest, ActStatus, DeleteDomainRequest, GetDomainRequest, ListDomainsRequest, PlannerServiceClient, PlanStreamRequest, RegisterDomainRequest,
  type ActResponse, type DomainInfo, type PlanResponse, type PlanStreamResponse, type TraceResponse,
} from './gen/aria/planner/v1/planner.js';
import type { Domain } from './gen/aria/planner/v1/domain.js';
import { AuthServiceClient } from './gen/aria/auth/v1/auth.js';
import { DataServiceClient } from './gen/aria/data/v1/data.js';
import { QueueServiceClient } from './gen/aria/queue/v1/queue.js';
import { SecretsServiceClient } from './gen/aria/secrets/v1/secrets.js';
import { AuthApi, userOf, type TokenPair, type User } from './auth-api.js';
import { callOptions, cancelOn, unaryCall, type CallSettings, type UnaryMethod } from './call-settings.js';
import { DataApi } from './data-api.js';
import { AriaError } from './errors.js';
import { outcome, planRequest, traceEvent, type PlanOutcome, type PlanSettings, type TraceEvent } from './plan-messages.js';
import { QueueApi } from './queue-api.js';
import { SecretsApi } from './secrets-api.js';
import { TokenSource, type LoginCredentials, type TokenOption } from './token-source.js';
import { fromState, fromStep, toState, type JsonState, type JsonValue, type Problem } from './values.js';

export type { CallSettings, PlanOutcome, PlanSettings, TraceEvent };
export type { PlanStats } from './plan-messages.js';

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
  /**
   * A bearer token for every call, or a function that returns one (called
   * before each call). Default: ARIA_TOKEN when set. Leave it out (and
   * `login`) for a server with auth off (`npm start`).
   */
  token?: TokenOption;
  /**
   * Log in with these on the first call (AuthService.Login) and keep the
   * session's access token fresh (RefreshToken); see also `login()`.
   */
  login?: LoginCredentials;
  /** A session refreshes its access token when it has less than this left (default 60000 ms). */
  refreshMarginMs?: number;
}

const ACT_STATUSES: Record<number, ActOutcome['status']> = {
  [ActStatus.ACT_STATUS_DONE]: 'done', [ActStatus.ACT_STATUS_NO_PLAN]: 'no_plan', [ActStatus.ACT_STATUS_MAX_TRIES]: 'max_tries',
};

/** A connection to an Aria server. */
export class AriaClient {
  /** The generated planner client, for anything this layer does not cover. */
  readonly raw: PlannerServiceClient;
  /** AuthService: who am I, users, tokens. */
  readonly auth: AuthApi;
  /** SecretsService: versioned secrets (admin). */
  readonly secrets: SecretsApi;
  /** DataService: plan history, data backend status. */
  readonly data: DataApi;
  /** QueueService: background planning jobs. */
  readonly queue: QueueApi;
  private readonly defaultDeadlineMs?: number;
  private readonly tokens: TokenSource;

  /** @param address host:port (default: ARIA_SERVER, else 127.0.0.1:50051) */
  constructor(address: string = process.env.ARIA_SERVER ?? '127.0.0.1:50051', options: AriaClientOptions = {}) {
    const creds = options.credentials ?? grpcCredentials.createInsecure();
    // The auth client has no interceptor: Login and RefreshToken are how a session gets its token.
    const rawAuth = new AuthServiceClient(address, creds, options.channelOptions);
    this.tokens = new TokenSource(rawAuth, options.token ?? process.env.ARIA_TOKEN, options.refreshMarginMs ?? 60_000, options.deadlineMs);
    // Every service's client shares the auth client's channel, with the token interceptor.
    const shared: ClientOptions = { ...options.channelOptions, channelOverride: rawAuth.getChannel(), interceptors: [this.tokens.interceptor(), ...(options.channelOptions?.interceptors ?? [])] };
    this.raw = new PlannerServiceClient(address, creds, shared);
    this.defaultDeadlineMs = options.deadlineMs;
    this.auth = new AuthApi(new AuthServiceClient(address, creds, shared), options.deadlineMs);
    this.secrets = new SecretsApi(new SecretsServiceClient(address, creds, shared), options.deadlineMs);
    this.data = new DataApi(new DataServiceClient(address, creds, shared), options.deadlineMs);
    this.queue = new QueueApi(new QueueServiceClient(address, creds, shared), options.deadlineMs);
    if (options.login) this.tokens.setCredentials(options.login);
  }

  /**
   * Logs in (AuthService.Login) and sends the session's access token on
   * every call from then on, refreshing it (RefreshToken) before it
   * expires and logging in again when the refresh token is refused.
   */
  async login(username: string, password: string): Promise<{ user: User; tokens: TokenPair }> {
    const { user, tokens } = await this.tokens.login({ username, password });
    return { user: userOf(user), tokens };
  }

  /** Exchanges the session's refresh token for a new pair now (calls do it on their own when the token gets old). */
  refreshSession(): Promise<TokenPair> {
    return this.tokens.refresh();
  }

  /** The session's current token pair (after `login`), else undefined. */
  get session(): TokenPair | undefined {
    return this.tokens.tokens;
  }

  /** Closes the connection (every service's: they share it). */
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
    const call = this.raw.planStream(new Metadata(), callOptions(settings, this.defaultDeadlineMs));
    const cancel = cancelOn(call, settings.signal);
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
    const call = this.raw.trace({ problem: planRequest(domain, problem, settings) }, new Metadata(), callOptions(settings, this.defaultDeadlineMs));
    const cancel = cancelOn(call, settings.signal);
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
    const call = this.raw.act(new Metadata(), callOptions(settings, this.defaultDeadlineMs));
    const cancel = cancelOn(call, settings.signal);
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

  private unary<Req, Res>(method: UnaryMethod<Req, Res>, req: Req, settings: CallSettings): Promise<Res> {
    return unaryCall(this.raw, method, req, settings, this.defaultDeadlineMs);
  }
}
