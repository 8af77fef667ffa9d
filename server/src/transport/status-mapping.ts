/**
 * The one place where failures become gRPC statuses. Every handler sends
 * its errors through `toStatus`; nothing else picks status codes.
 *
 * Every error Aria reports on purpose is an AriaError (core/errors.ts) whose
 * closed `code` picks the status through one table, STATUS_OF; the error's
 * class only adds ErrorDetail fields (where, field, stats, limit, the
 * `retry-after-ms` trailer). Anything else, and code `internal`
 * (WorkerCrashError, ConfigError), is INTERNAL: the cause is logged under a
 * reference, never sent.
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
import { AriaError, ErrorCode, InvalidArgumentError, ThrottledError, NotFoundError } from '../core/errors.js';
import { DomainError, LimitError, PlanningError } from '../planner/index.js';
import { encodeStats } from './engine/response-codec.js';

/** A request message that did not decode. */
export class MalformedMessageError extends AriaError {
  /** Always `request`: the whole message is at fault. */
  readonly field = 'request';
  constructor(typeName: string, cause: unknown) {
    super(ErrorCode.InvalidArgument, `request: not a valid ${typeName} message (${(cause as Error)?.message ?? String(cause)})`, { cause });
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

/** Each code of the error family as its gRPC status; `internal` is never sent as is. */
const STATUS_OF: Record<ErrorCode, status> = {
  [ErrorCode.InvalidArgument]: status.INVALID_ARGUMENT,
  [ErrorCode.NotFound]: status.NOT_FOUND,
  [ErrorCode.AlreadyExists]: status.ALREADY_EXISTS,
  [ErrorCode.FailedPrecondition]: status.FAILED_PRECONDITION,
  [ErrorCode.PermissionDenied]: status.PERMISSION_DENIED,
  [ErrorCode.Unauthenticated]: status.UNAUTHENTICATED,
  [ErrorCode.ResourceExhausted]: status.RESOURCE_EXHAUSTED,
  [ErrorCode.Unavailable]: status.UNAVAILABLE,
  [ErrorCode.DeadlineExceeded]: status.DEADLINE_EXCEEDED,
  [ErrorCode.Cancelled]: status.CANCELLED,
  [ErrorCode.DataLoss]: status.DATA_LOSS,
  [ErrorCode.Internal]: status.INTERNAL,
};

function mapKnown(err: unknown): MappedStatus | undefined {
  if (!(err instanceof AriaError) || err.code === ErrorCode.Internal) return undefined;
  const code = STATUS_OF[err.code];
  // The ErrorDetail's extra fields: what each kind of failure can tell the client.
  if (err instanceof DomainError) return make(code, err.message, { where: err.where });
  if (err instanceof InvalidArgumentError || err instanceof MalformedMessageError) return make(code, err.message, { field: err.field });
  if (err instanceof NotFoundError) return make(code, err.message, { field: 'domain' });
  if (err instanceof PlanningError) return make(code, err.message, { stats: encodeStats(err.stats) });
  if (err instanceof ThrottledError) return { ...make(code, err.message, {}), retryAfterMs: err.retryAfterMs };
  if (err instanceof LimitError) return make(code, `planner limit reached (${err.limit}): ${err.message}`, { limit: err.limit, stats: encodeStats(err.stats) });
  return make(code, err.message, {});
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
