/**
 * gRPC status codes as HTTP statuses, for the JSON gateway (the mapping
 * Google's HTTP/JSON transcoding uses; CANCELLED is nginx's 499).
 */
import { status } from '@grpc/grpc-js';

const HTTP_OF: Partial<Record<status, number>> = {
  [status.OK]: 200,
  [status.CANCELLED]: 499,
  [status.INVALID_ARGUMENT]: 400,
  [status.FAILED_PRECONDITION]: 400,
  [status.OUT_OF_RANGE]: 400,
  [status.DEADLINE_EXCEEDED]: 504,
  [status.NOT_FOUND]: 404,
  [status.ALREADY_EXISTS]: 409,
  [status.ABORTED]: 409,
  [status.PERMISSION_DENIED]: 403,
  [status.UNAUTHENTICATED]: 401,
  [status.RESOURCE_EXHAUSTED]: 429,
  [status.UNIMPLEMENTED]: 501,
  [status.UNAVAILABLE]: 503,
};

/** The HTTP status of a gRPC code (500 for INTERNAL, UNKNOWN, DATA_LOSS and anything unlisted). */
export function httpStatusOf(code: status): number {
  return HTTP_OF[code] ?? 500;
}
