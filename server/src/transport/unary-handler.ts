/**
 * Unary handlers for the foundation services' adapters: one AbortSignal per
 * call, the caller's principal, and every failure mapped to a status by
 * server/src/grpc/status-mapping.ts (nothing thrown past it). The planner
 * service has its own helper (planner-service/handler-context.ts), tied to
 * its context; this one needs only a logger and the shutdown signal.
 */
import type { handleUnaryCall, ServerUnaryCall, sendUnaryData } from '@grpc/grpc-js';
import type { Logger } from 'pino';
import { callSignal } from './call-signal.js';
import { MalformedMessageError, toStatus } from './status-mapping.js';
import { principalOf, type Principal } from '../services/auth/principal.js';
import { UnauthenticatedError } from '../core/errors.js';

/** What the foundation adapters need from the server. */
export interface AdapterContext {
  log: Logger;
  /** Aborts every call when the server stops waiting for them. */
  shutdown: AbortSignal;
}

/** What a handler learns about its call. */
export interface CallInfo {
  signal: AbortSignal;
  /** The caller, as the auth interceptor found it (ANONYMOUS_ADMIN when authentication is off). */
  principal: Principal;
  /** The caller's address as grpc-js reports it ("1.2.3.4:5678"). */
  peer: string;
}

/** A unary handler from an async function. */
export function unary<Req, Res>(
  ctx: AdapterContext,
  method: string,
  fn: (request: Req, info: CallInfo) => Promise<Res> | Res,
): handleUnaryCall<Req, Res> {
  return (call: ServerUnaryCall<Req, Res>, callback: sendUnaryData<Res>) => {
    const cs = callSignal(call, ctx.shutdown);
    let pending: Promise<Res>;
    try {
      // No principal means no auth interceptor ran: refuse rather than guess who calls.
      const principal = principalOf(call);
      if (!principal) throw new UnauthenticatedError('this server runs no auth interceptor');
      const info: CallInfo = { signal: cs.signal, principal, peer: call.getPeer() };
      const request = call.request as Req | MalformedMessageError;
      if (request instanceof MalformedMessageError) throw request;
      pending = Promise.resolve(fn(request, info));
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
