/**
 * Errors of the planner service, beside the library's DomainError and
 * PlanInputError. Each names a failure the client must be told about; the
 * gRPC layer maps them to status codes in one place
 * (server/src/grpc/status-mapping.ts). Nothing here knows about gRPC.
 */
import type { LimitKind, PlanStats } from '../planner/types.js';

/** A domain reference that names no registered domain. */
export class NotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotFoundError';
  }
}

/** A request that is well-formed but not allowed in the current state (deleting a built-in domain). */
export class PreconditionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PreconditionError';
  }
}

/** Planning found a bug in the domain (PlanResult status `error`). */
export class PlanningError extends Error {
  /** The counters of the failed call. */
  readonly stats?: PlanStats;
  constructor(message: string, stats?: PlanStats) {
    super(message);
    this.name = 'PlanningError';
    this.stats = stats;
  }
}

/** A per-call planner limit stopped the search (PlanResult status `limit`). */
export class LimitError extends Error {
  /** Which limit. */
  readonly limit: LimitKind;
  /** The counters of the stopped call. */
  readonly stats?: PlanStats;
  constructor(limit: LimitKind, message: string, stats?: PlanStats) {
    super(message);
    this.name = 'LimitError';
    this.limit = limit;
    this.stats = stats;
  }
}

/** Why a call's AbortSignal fired. */
export type AbortKind = 'deadline' | 'cancelled' | 'shutdown';

/** The reason of an aborted call's signal: its deadline passed, the client cancelled, or the server is shutting down. */
export class CallAbortedError extends Error {
  /** What stopped the call. */
  readonly kind: AbortKind;
  constructor(kind: AbortKind, message?: string) {
    super(message ?? defaultAbortMessage(kind));
    this.name = 'CallAbortedError';
    this.kind = kind;
  }
}

function defaultAbortMessage(kind: AbortKind): string {
  switch (kind) {
    case 'deadline':
      return 'deadline exceeded';
    case 'cancelled':
      return 'call cancelled by the client';
    case 'shutdown':
      return 'server shutting down';
  }
}

/** The server cannot take more work right now (the planner pool's queue is full). */
export class OverloadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OverloadError';
  }
}

/**
 * A planner worker failed (a WebAssembly trap, out of memory, or the thread
 * died). Only the call that ran on it fails; the worker is replaced. The
 * cause is logged, never sent to the client.
 */
export class WorkerCrashError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'WorkerCrashError';
  }
}

/** An AbortSignal, or a call's signal that is made only when asked for (grpc/call-signal.ts). */
export type SignalSource = AbortSignal | { readonly aborted: boolean; readonly signal: AbortSignal };

/** The AbortSignal of a source (made now, for a lazy one). */
export function signalOf(source: SignalSource | undefined): AbortSignal | undefined {
  return source === undefined || source instanceof AbortSignal ? source : source.signal;
}

/**
 * Throws the reason of an aborted signal as a CallAbortedError (a signal
 * aborted by other means counts as a client cancellation).
 */
export function throwIfAborted(signal: SignalSource | undefined): void {
  if (!signal?.aborted) return;
  throw abortReason(signalOf(signal)!);
}

/** The CallAbortedError behind an aborted signal. */
export function abortReason(signal: AbortSignal): CallAbortedError {
  const reason: unknown = signal.reason;
  return reason instanceof CallAbortedError ? reason : new CallAbortedError('cancelled');
}
