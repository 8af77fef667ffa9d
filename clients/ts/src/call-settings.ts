/**
 * What every call of every service shares: per-call settings (deadline,
 * AbortSignal) and the promise wrapper over grpc-js's callback API.
 */
import { Metadata, type CallOptions, type ServiceError } from '@grpc/grpc-js';
import { AriaError } from './errors.js';

/** Options of every call. */
export interface CallSettings {
  /** Give up after this many milliseconds (DEADLINE_EXCEEDED). Default: the client's `deadlineMs`. */
  deadlineMs?: number;
  /** Cancels the call (CANCELLED). */
  signal?: AbortSignal;
}

/** grpc-js call options for `settings`, with the client's default deadline. */
export function callOptions(settings: CallSettings, defaultDeadlineMs?: number): CallOptions {
  const ms = settings.deadlineMs ?? defaultDeadlineMs;
  return ms === undefined ? {} : { deadline: new Date(Date.now() + ms) };
}

/** Cancels `call` when `signal` aborts; returns the function that stops listening. */
export function cancelOn(call: { cancel(): void }, signal?: AbortSignal): () => void {
  if (!signal) return () => {};
  if (signal.aborted) call.cancel();
  const onAbort = () => call.cancel();
  signal.addEventListener('abort', onAbort, { once: true });
  return () => signal.removeEventListener('abort', onAbort);
}

/** A unary method of a generated client, as grpc-js types it. */
export type UnaryMethod<Req, Res> = (req: Req, md: Metadata, opts: Partial<CallOptions>, cb: (err: ServiceError | null, res: Res) => void) => { cancel(): void };

/** Calls a unary method of `client`; rejects with AriaError. */
export function unaryCall<C, Req, Res>(client: C, method: UnaryMethod<Req, Res>, req: Req, settings: CallSettings, defaultDeadlineMs?: number): Promise<Res> {
  return new Promise((resolve, reject) => {
    let cancel = () => {};
    const call = method.call(client, req, new Metadata(), callOptions(settings, defaultDeadlineMs), (err, res) => {
      cancel();
      if (err) reject(AriaError.from(err));
      else resolve(res);
    });
    cancel = cancelOn(call, settings.signal);
  });
}
