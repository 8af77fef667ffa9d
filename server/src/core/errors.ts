/**
 * The one error family of Aria. Every failure a caller must be told about
 * is an {@link AriaError} whose `code` comes from the closed
 * {@link ErrorCode} set; the transport maps each code to a gRPC status in
 * one table (server/src/transport/status-mapping.ts). Nothing here knows
 * about gRPC. Anything thrown that is not an AriaError, or whose code is
 * `internal`, is logged by the transport and never sent.
 *
 * Messages are sent to clients: they never carry secret values, passwords
 * or tokens, and the transport bounds their length.
 */
/** The closed set of failure kinds (each is one gRPC status code). */
export const ErrorCode = {
  InvalidArgument: 'invalid_argument',
  NotFound: 'not_found',
  AlreadyExists: 'already_exists',
  FailedPrecondition: 'failed_precondition',
  PermissionDenied: 'permission_denied',
  Unauthenticated: 'unauthenticated',
  ResourceExhausted: 'resource_exhausted',
  Unavailable: 'unavailable',
  DeadlineExceeded: 'deadline_exceeded',
  Cancelled: 'cancelled',
  DataLoss: 'data_loss',
  Internal: 'internal',
} as const;

/** One of {@link ErrorCode}'s values. */
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** The base of every error Aria reports on purpose. */
export class AriaError extends Error {
  /** What kind of failure (one gRPC status). */
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AriaError';
    this.code = code;
  }
}

/**
 * A request field that is malformed or out of range: a problem's state,
 * todo list or options, a secret's path, a password. `field` names it.
 */
export class InvalidArgumentError extends AriaError {
  /** The field at fault, such as `state.loc`, `todo[3]` or `password`. */
  readonly field: string;
  constructor(field: string, message: string) {
    super(ErrorCode.InvalidArgument, `${field}: ${message}`);
    this.name = 'InvalidArgumentError';
    this.field = field;
  }
}

/** A reference that names nothing stored (a domain, a job, a secret, a user). */
export class NotFoundError extends AriaError {
  constructor(message: string) {
    super(ErrorCode.NotFound, message);
    this.name = 'NotFoundError';
  }
}

/** Creating something whose name is taken. */
export class AlreadyExistsError extends AriaError {
  constructor(message: string) {
    super(ErrorCode.AlreadyExists, message);
    this.name = 'AlreadyExistsError';
  }
}

/** A request that is well-formed but not allowed in the current state (deleting a built-in domain). */
export class PreconditionError extends AriaError {
  constructor(message: string) {
    super(ErrorCode.FailedPrecondition, message);
    this.name = 'PreconditionError';
  }
}

/** Why a call's AbortSignal fired. */
export type AbortKind = 'deadline' | 'cancelled' | 'shutdown';

/** The reason of an aborted call's signal: its deadline passed, the client cancelled, or the server is shutting down. */
export class CallAbortedError extends AriaError {
  /** What stopped the call. */
  readonly kind: AbortKind;
  constructor(kind: AbortKind, message?: string) {
    super(kind === 'deadline' ? ErrorCode.DeadlineExceeded : kind === 'cancelled' ? ErrorCode.Cancelled : ErrorCode.Unavailable, message ?? ABORT_MESSAGES[kind]);
    this.name = 'CallAbortedError';
    this.kind = kind;
  }
}

const ABORT_MESSAGES: Record<AbortKind, string> = {
  deadline: 'deadline exceeded',
  cancelled: 'call cancelled by the client',
  shutdown: 'server shutting down',
};

/** The server cannot take more work right now (the planner pool's queue is full). */
export class OverloadError extends AriaError {
  constructor(message: string) {
    super(ErrorCode.ResourceExhausted, message);
    this.name = 'OverloadError';
  }
}

/**
 * Too many attempts: the caller must wait `retryAfterMs` before trying
 * again; the transport sends the delay in the `retry-after-ms` trailer too.
 */
export class ThrottledError extends AriaError {
  /** Milliseconds to wait. */
  readonly retryAfterMs: number;
  constructor(message: string, retryAfterMs: number) {
    super(ErrorCode.ResourceExhausted, message);
    this.name = 'ThrottledError';
    this.retryAfterMs = Math.max(0, Math.ceil(retryAfterMs));
  }
}

/**
 * No valid credentials. The message stays vague on purpose: saying whether
 * the user exists or which check failed helps an attacker more than a
 * legitimate client.
 */
export class UnauthenticatedError extends AriaError {
  constructor(message = 'authentication required: missing, invalid, expired or revoked token') {
    super(ErrorCode.Unauthenticated, message);
    this.name = 'UnauthenticatedError';
  }
}

/** Valid credentials whose role does not allow the call. */
export class PermissionDeniedError extends AriaError {
  constructor(message: string) {
    super(ErrorCode.PermissionDenied, message);
    this.name = 'PermissionDeniedError';
  }
}

/** A backend (database, Vault, Redis) that cannot be reached right now: clients may retry. */
export class UnavailableError extends AriaError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(ErrorCode.Unavailable, message, options);
    this.name = 'UnavailableError';
  }
}

/**
 * Stored bytes that are gone or damaged: a chunk missing from the store, or
 * one whose content no longer hashes to its id. The reader fails rather than
 * return wrong bytes; `chunk` names the chunk so an operator can restore it.
 */
export class DataLossError extends AriaError {
  /** The id (hex) of the missing or corrupt chunk. */
  readonly chunk: string;
  constructor(chunk: string, message: string, options?: { cause?: unknown }) {
    super(ErrorCode.DataLoss, `chunk ${chunk}: ${message}`, options);
    this.name = 'DataLossError';
    this.chunk = chunk;
  }
}

/**
 * A planner worker failed (a WebAssembly trap, out of memory, or the thread
 * died). Only the call that ran on it fails; the worker is replaced. The
 * code is `internal`: the cause is logged, never sent to the client.
 */
export class WorkerCrashError extends AriaError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(ErrorCode.Internal, message, options);
    this.name = 'WorkerCrashError';
  }
}

/**
 * A setting, file or environment that keeps the server from starting (bad
 * flag, dev mode off loopback, wrong master key, busy port, data folder in
 * use, missing TLS). The command line prints its message as one line and
 * exits 2: the operator must change something, and a stack trace would only
 * hide what. Code `internal`: it is never a client's fault.
 */
export class ConfigError extends AriaError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(ErrorCode.Internal, message, options);
    this.name = 'ConfigError';
  }
}
