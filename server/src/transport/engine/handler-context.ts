/** What every PlannerService handler needs, and the helpers they share. */
import type { Logger } from 'pino';
import type { handleUnaryCall, ServerUnaryCall, sendUnaryData } from '@grpc/grpc-js';
import { callSignal, type CallSignal } from '../call-signal.js';
import { MalformedMessageError, toStatus } from '../status-mapping.js';
import type { PlanObserver } from '../../services/engine/plan-observer.js';
import type { PlannerService } from '../../services/engine/planner-service.js';

/** Shared by the handlers of one server. */
export interface HandlerContext {
  service: PlannerService;
  log: Logger;
  /** Aborts every call when the server stops waiting for them. */
  shutdown: AbortSignal;
  /** Problems of one PlanStream planned at the same time (reading pauses beyond it). */
  streamWindow: number;
  /** Told about each planning call's outcome (plan history). */
  observe?: PlanObserver;
}

/** Throws the decoding failure that the lenient deserializer put in place of a message. */
export function checkDecoded<T>(message: T | MalformedMessageError): T {
  if (message instanceof MalformedMessageError) throw message;
  return message;
}

/**
 * A unary handler from an async function: one signal for the call, every
 * failure mapped by status-mapping, nothing thrown past it. `done`, if
 * given, is told the response or the failure's status code after the call
 * has been answered.
 */
export function unaryHandler<Req, Res>(
  ctx: HandlerContext,
  method: string,
  fn: (request: Req, signal: CallSignal) => Promise<Res> | Res,
  done?: (call: ServerUnaryCall<Req, Res>, result: { response: Res } | { code: number }, started: number) => void,
): handleUnaryCall<Req, Res> {
  return (call: ServerUnaryCall<Req, Res>, callback: sendUnaryData<Res>) => {
    const cs = callSignal(call, ctx.shutdown);
    const started = done ? performance.now() : 0;
    const answer = (response: Res) => {
      cs.dispose();
      callback(null, response);
      done?.(call, { response }, started);
    };
    const fail = (err: unknown) => {
      cs.dispose();
      const st = toStatus(err, ctx.log, { method });
      callback(st);
      done?.(call, { code: st.code }, started);
    };
    let out: Promise<Res> | Res;
    try {
      out = fn(checkDecoded(call.request), cs);
    } catch (err) {
      fail(err);
      return;
    }
    // An answer ready at once is sent at once: no promise, no extra turn.
    if (out instanceof Promise) out.then(answer, fail);
    else answer(out);
  };
}
