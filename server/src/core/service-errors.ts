/**
 * Errors of the foundation services (secrets, data, auth), beside the
 * planner service's NotFoundError and PreconditionError, which they reuse.
 * Nothing here knows about gRPC: server/src/grpc/status-mapping.ts maps each
 * class to its status, in one place.
 *
 * Messages are sent to clients: they never carry secret values, passwords or
 * tokens.
 */
export { NotFoundError, PreconditionError } from './errors.js';

/** A request field that is malformed or out of range (INVALID_ARGUMENT). */
export class InvalidArgumentError extends Error {
  /** The request field at fault, such as "path" or "password". */
  readonly field: string;
  constructor(field: string, message: string) {
    super(`${field}: ${message}`);
    this.name = 'InvalidArgumentError';
    this.field = field;
  }
}

/** Creating something whose name is taken (ALREADY_EXISTS). */
export class AlreadyExistsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AlreadyExistsError';
  }
}

/**
 * No valid credentials (UNAUTHENTICATED). The message stays vague on
 * purpose: saying whether the user exists or which check failed helps an
 * attacker more than a legitimate client.
 */
export class UnauthenticatedError extends Error {
  constructor(message = 'authentication required: missing, invalid, expired or revoked token') {
    super(message);
    this.name = 'UnauthenticatedError';
  }
}

/** Valid credentials whose role does not allow the call (PERMISSION_DENIED). */
export class PermissionDeniedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermissionDeniedError';
  }
}

/** A backend (database, Vault) that cannot be reached right now (UNAVAILABLE: clients may retry). */
export class UnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UnavailableError';
  }
}

/**
 * A setting, file or environment that keeps the server from starting (bad
 * flag, dev mode off loopback, wrong master key, busy port, data folder in
 * use, missing TLS). The command line prints its message as one line and
 * exits 2: the operator must change something, and a stack trace would only
 * hide what.
 */
export class ConfigError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ConfigError';
  }
}

/**
 * Too many attempts (RESOURCE_EXHAUSTED): the caller must wait
 * `retryAfterMs` before trying again; the status mapping sends the delay in
 * the `retry-after-ms` trailer too.
 */
export class ThrottledError extends Error {
  readonly retryAfterMs: number;
  constructor(message: string, retryAfterMs: number) {
    super(message);
    this.name = 'ThrottledError';
    this.retryAfterMs = Math.max(0, Math.ceil(retryAfterMs));
  }
}
