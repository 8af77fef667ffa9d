/** What every PlannerService handler needs, and the helpers they share. */
import type { Logger } from 'pino';
import type { handleUnaryCall, ServerUnaryCall, sendUnaryData } from '@grpc/grpc-js';
import { callSignal } from '../grpc/call-signal.js';
import { MalformedMessageError, toStatus } from '../grpc/status-mapping.js';
import type { PlannerService } from './planner-service.js';

/** Shared by the handlers of one server. */
export interface HandlerContext {
  service: PlannerService;
  log: Logger;
  /** Aborts every call when the server stops waiting for them. */
  shutdown: AbortSignal;
  /** Problems of one PlanStream planned at the same time (reading pauses beyond it). */
  streamWindow: number;
}

/** Throws the decoding failure that the lenient deserializer put in place of a message. */
export function checkDecoded<T>(message: T | MalformedMessageError): T {
  if (message instanceof MalformedMessageError) throw message;
  return message;
}

/**
 * A unary handler from an async function: one signal for the call, every
 * failure mapped by status-mapping, nothing thrown past it.
 */
export function unaryHandler<Req, Res>(
  ctx: HandlerContext,
  method: string,
  fn: (request: Req, signal: AbortSignal) => Promise<Res> | Res,
): handleUnaryCall<Req, Res> {
  return (call: ServerUnaryCall<Req, Res>, callback: sendUnaryData<Res>) => {
    const cs = callSignal(call, ctx.shutdown);
    let pending: Promise<Res>;
    try {
      pending = Promise.resolve(fn(checkDecoded(call.request), cs.signal));
    } catch (err) {
      pending = Promise.reject(err);
    }
    pending.then(
      (response) => {
        cs.dispose();
        callback(null, response);
      },
      (err: unknown) => {
        cs.dispose();
        callback(toStatus(err, ctx.log, { method }));
      },
    );
  };
}
