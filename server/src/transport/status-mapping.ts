/**
 * The one place where failures become gRPC statuses. Every handler sends
 * its errors through `toStatus`; nothing else picks status codes.
 *
 * | failure | status |
 * | --- | --- |
 * | DomainError, PlanInputError, malformed message | INVALID_ARGUMENT |
 * | NotFoundError | NOT_FOUND |
 * | PlanningError (a domain bug found while planning), PreconditionError | FAILED_PRECONDITION |
 * | LimitError: deadline / cancelled / other limits | DEADLINE_EXCEEDED / CANCELLED / RESOURCE_EXHAUSTED |
 * | CallAbortedError: deadline / cancelled / shutdown | DEADLINE_EXCEEDED / CANCELLED / UNAVAILABLE |
 * | OverloadError | RESOURCE_EXHAUSTED |
 * | ThrottledError (too many failed logins) | RESOURCE_EXHAUSTED, the wait in the `retry-after-ms` trailer |
 * | foundation: InvalidArgumentError / AlreadyExistsError | INVALID_ARGUMENT / ALREADY_EXISTS |
 * | foundation: UnauthenticatedError / PermissionDeniedError / UnavailableError | UNAUTHENTICATED / PERMISSION_DENIED / UNAVAILABLE |
 * | anything else (WorkerCrashError included) | INTERNAL: the cause is logged under a reference, never sent |
 *
 * The ErrorDetail message rides in the standard grpc-status-details-bin
 * trailer as a google.rpc.Status, so generic tools show it, and alone in
 * `aria-error-detail-bin`, so clients need no google.rpc definitions.
 */
import { Metadata, status, type StatusObject } from '@grpc/grpc-js';
import { BinaryWriter } from '@bufbuild/protobuf/wire';
import { randomBytes } from 'node:crypto';
import { boundText, ECHO_LIMIT } from '../core/bounded-text.js';
import { ErrorDetail } from '../../../gen/ts/aria/planner/v1/planner.js';
import { DomainError, PlanInputError } from '../planner/errors.js';
import { CallAbortedError, LimitError, NotFoundError, OverloadError, PlanningError, PreconditionError } from '../core/errors.js';
import { encodeStats } from './engine/response-codec.js';
import { AlreadyExistsError, InvalidArgumentError, PermissionDeniedError, ThrottledError, UnauthenticatedError, UnavailableError } from '../core/service-errors.js';

/** A request message that did not decode. */
export class MalformedMessageError extends Error {
  constructor(typeName: string, cause: unknown) {
    super(`request: not a valid ${typeName} message (${(cause as Error)?.message ?? String(cause)})`, { cause });
    this.name = 'MalformedMessageError';
  }
}

/** Where unexpected failures are logged; a pino logger fits. */
export interface StatusLog {
  error(obj: object, msg: string): void;
}

/** The status for a failure, with its ErrorDetail. */
export interface MappedStatus {
  code: status;
  details: string;
  detail: ErrorDetail;
  /** How long the caller should wait before trying again (sent as the `retry-after-ms` trailer). */
  retryAfterMs?: number;
}

/** The type URL of ErrorDetail inside google.rpc.Status.details. */
export const ERROR_DETAIL_TYPE_URL = 'type.googleapis.com/aria.planner.v1.ErrorDetail';

/** The trailer that says how many milliseconds to wait before trying again (throttled logins). */
export const RETRY_AFTER_TRAILER = 'retry-after-ms';

/** The trailer that carries the bare ErrorDetail. */
export const ERROR_DETAIL_TRAILER = 'aria-error-detail-bin';

/**
 * Maps a failure to its status. An unexpected one is logged with a
 * reference that the client's message carries, so the two can be matched.
 */
export function mapError(err: unknown, log: StatusLog, context: object = {}): MappedStatus {
  const known = mapKnown(err);
  if (known) return known;
  const ref = randomBytes(6).toString('hex');
  log.error({ ...context, ref, err }, 'internal error');
  const details = `internal error (ref ${ref})`;
  return { code: status.INTERNAL, details, detail: detailOf(status.INTERNAL, details) };
}

function mapKnown(err: unknown): MappedStatus | undefined {
  if (err instanceof DomainError) return make(status.INVALID_ARGUMENT, err.message, { where: err.where });
  if (err instanceof PlanInputError) return make(status.INVALID_ARGUMENT, err.message, { field: err.field });
  if (err instanceof MalformedMessageError) return make(status.INVALID_ARGUMENT, err.message, { field: 'request' });
  if (err instanceof NotFoundError) return make(status.NOT_FOUND, err.message, { field: 'domain' });
  // Foundation services (secrets, data, auth): server/src/foundation/errors.ts.
  if (err instanceof InvalidArgumentError) return make(status.INVALID_ARGUMENT, err.message, { field: err.field });
  if (err instanceof AlreadyExistsError) return make(status.ALREADY_EXISTS, err.message, {});
  if (err instanceof UnauthenticatedError) return make(status.UNAUTHENTICATED, err.message, {});
  if (err instanceof PermissionDeniedError) return make(status.PERMISSION_DENIED, err.message, {});
  if (err instanceof UnavailableError) return make(status.UNAVAILABLE, err.message, {});
  if (err instanceof PlanningError) return make(status.FAILED_PRECONDITION, err.message, { stats: encodeStats(err.stats) });
  if (err instanceof PreconditionError) return make(status.FAILED_PRECONDITION, err.message, {});
  if (err instanceof OverloadError) return make(status.RESOURCE_EXHAUSTED, err.message, {});
  if (err instanceof ThrottledError) return { ...make(status.RESOURCE_EXHAUSTED, err.message, {}), retryAfterMs: err.retryAfterMs };
  if (err instanceof LimitError) {
    const code = err.limit === 'deadline' ? status.DEADLINE_EXCEEDED : err.limit === 'cancelled' ? status.CANCELLED : status.RESOURCE_EXHAUSTED;
    return make(code, `planner limit reached (${err.limit}): ${err.message}`, { limit: err.limit, stats: encodeStats(err.stats) });
  }
  if (err instanceof CallAbortedError) {
    const code = err.kind === 'deadline' ? status.DEADLINE_EXCEEDED : err.kind === 'cancelled' ? status.CANCELLED : status.UNAVAILABLE;
    return make(code, err.message, {});
  }
  return undefined;
}

function make(code: status, details: string, extra: Partial<ErrorDetail>): MappedStatus {
  const message = boundText(details);
  return { code, details: message, detail: detailOf(code, message, extra) };
}

function detailOf(code: status, message: string, extra: Partial<ErrorDetail> = {}): ErrorDetail {
  const bounded = { ...extra };
  // field and where can carry a client's names: bounded like the message.
  if (bounded.field !== undefined) bounded.field = boundText(bounded.field, ECHO_LIMIT);
  if (bounded.where !== undefined) bounded.where = boundText(bounded.where, ECHO_LIMIT);
  return ErrorDetail.fromPartial({ code, message, ...bounded });
}

/**
 * The status object a handler hands to grpc-js (callback or 'error' event),
 * with the ErrorDetail in grpc-status-details-bin.
 */
export function toStatus(err: unknown, log: StatusLog, context: object = {}): Partial<StatusObject> & { code: status; details: string; metadata: Metadata } {
  try {
    const mapped = mapError(err, log, context);
    const metadata = new Metadata();
    metadata.set('grpc-status-details-bin', encodeRpcStatus(mapped));
    metadata.set(ERROR_DETAIL_TRAILER, Buffer.from(ErrorDetail.encode(mapped.detail).finish()));
    if (mapped.retryAfterMs !== undefined) metadata.set(RETRY_AFTER_TRAILER, String(mapped.retryAfterMs));
    return { code: mapped.code, details: mapped.details, metadata };
  } catch (bug) {
    // The status path must never throw into grpc-js: a plain INTERNAL, the cause logged.
    const ref = randomBytes(6).toString('hex');
    try { log.error({ ...context, ref, err, bug }, 'status mapping failed'); } catch { /* the log is best effort here */ }
    return { code: status.INTERNAL, details: `internal error (ref ${ref})`, metadata: new Metadata() };
  }
}

/** google.rpc.Status { code = 1; message = 2; details = 3 (Any { type_url = 1; value = 2 }) }, written by hand to avoid a dependency. */
function encodeRpcStatus(m: MappedStatus): Buffer {
  const any = new BinaryWriter().uint32(10).string(ERROR_DETAIL_TYPE_URL).uint32(18).bytes(ErrorDetail.encode(m.detail).finish()).finish();
  const w = new BinaryWriter();
  w.uint32(8).int32(m.code);
  w.uint32(18).string(m.details);
  w.uint32(26).bytes(any);
  return Buffer.from(w.finish());
}

/** Reads the ErrorDetail back from a failed call's trailers (clients and tests). */
export function readErrorDetail(metadata: Metadata | undefined): ErrorDetail | undefined {
  const raw = metadata?.get(ERROR_DETAIL_TRAILER)[0];
  return raw instanceof Buffer ? ErrorDetail.decode(raw) : undefined;
}
