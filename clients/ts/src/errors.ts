/** The error every client call rejects with when the server answers a failure. */
import { status, type ServiceError } from '@grpc/grpc-js';
import { ErrorDetail } from './gen/aria/planner/v1/planner.js';

/** The status names the server uses, as strings. */
export type AriaErrorCode = keyof typeof status;

/** A failed call: the gRPC status plus the server's ErrorDetail (field, place, limit). */
export class AriaError extends Error {
  /** The gRPC status name, such as `INVALID_ARGUMENT`. */
  readonly code: AriaErrorCode;
  /** The numeric gRPC status. */
  readonly status: number;
  /** The request field at fault (INVALID_ARGUMENT), such as `state.vars[0].value`. */
  readonly field?: string;
  /** The place in a domain (`file:line:col` or a path). */
  readonly where?: string;
  /** The planner limit that stopped the search. */
  readonly limit?: string;

  constructor(statusCode: number, message: string, detail?: ErrorDetail) {
    super(message);
    this.name = 'AriaError';
    this.status = statusCode;
    this.code = (status[statusCode] ?? 'UNKNOWN') as AriaErrorCode;
    this.field = detail?.field || undefined;
    this.where = detail?.where || undefined;
    this.limit = detail?.limit || undefined;
  }

  /** From a grpc-js ServiceError, with the detail trailer when the server sent one. */
  static from(err: ServiceError | Error): AriaError {
    const e = err as ServiceError;
    if (typeof e.code !== 'number') return new AriaError(status.UNKNOWN, err.message);
    const raw = e.metadata?.get('aria-error-detail-bin')[0];
    return new AriaError(e.code, e.details || e.message, raw instanceof Buffer ? ErrorDetail.decode(raw) : undefined);
  }
}
