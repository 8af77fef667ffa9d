/**
 * Agent contexts: a domain and a world state kept on the server, so that a
 * character that replans every frame sends only what changed. Plans run
 * through the engine's PlannerService (inline for small problems, the pool
 * otherwise) on a snapshot of the context's state.
 *
 * This step keeps the state as JSON in this process; keeping it in a pool
 * worker's engine memory, and rebuilding it from the state log after a
 * worker dies, are later steps (the log is kept for them).
 */
import { randomBytes } from 'node:crypto';
import { AriaError, ErrorCode, InvalidArgumentError, NotFoundError, PermissionDeniedError, PreconditionError } from '../../core/errors.js';
import type { SignalSource } from '../../core/signals.js';
import type { JsonState, TodoItem } from '../../planner/index.js';
import type { CallPlanOptions, DomainEntry, PlanAnswer, PlannerService } from '../engine/index.js';
import { ContextState, type StateChange } from './context-state.js';

/** Who calls: the principal's username, and whether it is an admin (who may use anyone's context). */
export interface Caller {
  username: string;
  admin: boolean;
}

/** Limits; every field has a default. */
export interface ContextLimits {
  /** Idle timeout when the client asks none (default 5 minutes). */
  defaultIdleMs?: number;
  /** The longest idle timeout a client may ask (default 1 hour). */
  maxIdleMs?: number;
  /** A context's state size in bytes of JSON (default 16 MiB). */
  maxStateBytes?: number;
  /** Open contexts per owner (default 100). */
  maxPerOwner?: number;
  /** Open contexts in all (default 10,000). */
  maxContexts?: number;
  /** Updates kept in each context's state log (default 256; also at most maxStateBytes of changes). */
  maxLogEntries?: number;
}

/** One update as the state log keeps it. */
export interface LogEntry {
  version: number;
  changes: readonly StateChange[];
  /** The changes' JSON size, counted against the log's byte bound. */
  bytes: number;
}

interface Context {
  readonly id: string;
  readonly owner: string;
  readonly entry: DomainEntry;
  readonly idleMs: number;
  state: ContextState;
  version: number;
  lastUsed: number;
  timer: NodeJS.Timeout;
  readonly log: LogEntry[];
  /** The log's changes' JSON size. */
  logBytes: number;
}

/** What OpenContext answers. */
export interface Opened {
  id: string;
  version: number;
  domainId: string;
  idleMs: number;
}

/** A context's state and where it stands. */
export interface StateView {
  state: JsonState;
  version: number;
  domainId: string;
  bytes: number;
}

/** The contexts of one server. */
export class ContextService {
  private readonly contexts = new Map<string, Context>();
  private readonly perOwner = new Map<string, number>();
  private readonly limits: Required<ContextLimits>;

  constructor(private readonly planner: PlannerService, limits: ContextLimits = {}) {
    this.limits = {
      defaultIdleMs: 5 * 60_000, maxIdleMs: 60 * 60_000, maxStateBytes: 16 * 1024 * 1024, maxPerOwner: 100,
      maxContexts: 10_000, maxLogEntries: 256, ...limits,
    };
  }

  /** Open contexts in all. */
  get size(): number {
    return this.contexts.size;
  }

  /** Opens a context; `idleMs` 0 takes the default. */
  open(caller: Caller, domain: string, state: JsonState, idleMs = 0): Opened {
    const entry = this.planner.get(domain);
    const s = ContextState.from(state);
    this.checkSize(s, 'state');
    const owned = this.perOwner.get(caller.username) ?? 0;
    if (owned >= this.limits.maxPerOwner) throw exhausted(`${caller.username || 'this user'} has ${owned} open contexts, the most allowed; close some first`);
    if (this.contexts.size >= this.limits.maxContexts) throw exhausted(`the server holds ${this.contexts.size} open contexts, the most allowed`);
    const idle = Math.min(idleMs || this.limits.defaultIdleMs, this.limits.maxIdleMs);
    const id = randomBytes(16).toString('base64url');
    const ctx: Context = {
      id, owner: caller.username, entry, idleMs: idle, state: s, version: 1, lastUsed: performance.now(), log: [], logBytes: 0,
      timer: setTimeout(() => this.expire(id), idle),
    };
    // An idle context must not keep the process alive.
    ctx.timer.unref();
    this.contexts.set(id, ctx);
    this.perOwner.set(caller.username, owned + 1);
    return { id, version: 1, domainId: entry.id, idleMs: idle };
  }

  /** Applies changes all or none; `expected` is a check-and-set on the version. Answers the new version and size. */
  update(caller: Caller, id: string, changes: readonly StateChange[], expected?: number): { version: number; bytes: number } {
    const ctx = this.use(caller, id);
    if (expected !== undefined && expected !== ctx.version) {
      throw new PreconditionError(`context ${id} is at version ${ctx.version}, not ${expected}`);
    }
    if (changes.length === 0) return { version: ctx.version, bytes: ctx.state.bytes };
    const next = ctx.state.clone();
    changes.forEach((c, i) => next.apply(c, `changes[${i}]`));
    this.checkSize(next, 'changes');
    ctx.state = next;
    ctx.version++;
    // The log is bounded in entries and in bytes (the state's cap): a client replacing a large
    // variable over and over must not make the log hold hundreds of copies of it.
    const bytes = Buffer.byteLength(JSON.stringify(changes));
    ctx.log.push({ version: ctx.version, changes, bytes });
    ctx.logBytes += bytes;
    while (ctx.log.length > this.limits.maxLogEntries || (ctx.logBytes > this.limits.maxStateBytes && ctx.log.length > 1)) ctx.logBytes -= ctx.log.shift()!.bytes;
    return { version: ctx.version, bytes: next.bytes };
  }

  /**
   * Plans the todo on the context's current state, as PlannerService.plan
   * does with the same state; an inline answer comes without a promise.
   */
  plan(caller: Caller, id: string, todo: TodoItem[], options: CallPlanOptions, signal?: SignalSource):
    { entry: DomainEntry; version: number; result: PlanAnswer } | Promise<{ entry: DomainEntry; version: number; result: PlanAnswer }> {
    const ctx = this.use(caller, id);
    const { entry, version } = ctx;
    const result = this.planner.planIn(entry, { state: ctx.state.toJson(), todo }, options, signal);
    return result instanceof Promise ? result.then((r) => ({ entry, version, result: r })) : { entry, version, result };
  }

  /** The context's state and version. */
  getState(caller: Caller, id: string): StateView {
    const ctx = this.use(caller, id);
    return { state: ctx.state.toJson(), version: ctx.version, domainId: ctx.entry.id, bytes: ctx.state.bytes };
  }

  /** The updates the context's log holds, oldest first. */
  stateLog(caller: Caller, id: string): readonly LogEntry[] {
    return this.use(caller, id).log.slice();
  }

  /** Closes a context; false when there is none by that id (closed, timed out). */
  close(caller: Caller, id: string): boolean {
    if (!this.contexts.has(id)) return false;
    this.use(caller, id);
    this.expire(id, true);
    return true;
  }

  /** Closes every context (server shutdown). */
  closeAll(): void {
    for (const id of [...this.contexts.keys()]) this.expire(id, true);
  }

  /** The context, checked for its owner, marked used. */
  private use(caller: Caller, id: string): Context {
    if (typeof id !== 'string' || !id) throw new InvalidArgumentError('context_id', 'must not be empty');
    const ctx = this.contexts.get(id);
    if (!ctx) throw new NotFoundError(`no context ${JSON.stringify(id)} (closed, timed out, or never opened)`);
    if (ctx.owner !== caller.username && !caller.admin) throw new PermissionDeniedError(`context ${id} belongs to another user`);
    // Touching is a clock read: the timer, when it fires, looks at lastUsed and waits again if the context was used.
    ctx.lastUsed = performance.now();
    return ctx;
  }

  private expire(id: string, now = false): void {
    const ctx = this.contexts.get(id);
    if (!ctx) return;
    const idleFor = performance.now() - ctx.lastUsed;
    if (!now && idleFor < ctx.idleMs) {
      ctx.timer = setTimeout(() => this.expire(id), Math.max(1, ctx.idleMs - idleFor));
      ctx.timer.unref();
      return;
    }
    clearTimeout(ctx.timer);
    this.contexts.delete(id);
    const owned = (this.perOwner.get(ctx.owner) ?? 1) - 1;
    if (owned > 0) this.perOwner.set(ctx.owner, owned);
    else this.perOwner.delete(ctx.owner);
  }

  private checkSize(s: ContextState, field: string): void {
    if (s.bytes > this.limits.maxStateBytes) {
      throw exhausted(`${field}: the state would take ${s.bytes} bytes, over the cap of ${this.limits.maxStateBytes} bytes per context`);
    }
  }
}

function exhausted(message: string): AriaError {
  return new AriaError(ErrorCode.ResourceExhausted, message);
}
