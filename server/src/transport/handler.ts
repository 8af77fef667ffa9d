/**
 * The one handler wrapper of every gRPC method, unary and streaming. As
 * connect-es hands each method a HandlerContext, the wrapper gives each call
 * one: its AbortSignal (deadline, cancellation and shutdown joined), its
 * principal, its peer and metadata. It throws the malformed-message marker
 * the lenient deserializer left (lenient-service.ts), maps every failure to
 * a status through status-mapping.ts, and lets nothing escape into grpc-js.
 * Adapters hold no signal, status or principal code of their own.
 */
import type {
  handleBidiStreamingCall,
  handleClientStreamingCall,
  handleServerStreamingCall,
  handleUnaryCall,
  Metadata,
  sendUnaryData,
  ServerDuplexStream,
  ServerReadableStream,
  ServerUnaryCall,
  ServerWritableStream,
} from '@grpc/grpc-js';
import type { Logger } from 'pino';
import type { Readable } from 'node:stream';
import { UnauthenticatedError } from '../core/errors.js';
import type { Principal } from '../services/auth/index.js';
import { callSignal, type CallSignal } from './call-signal.js';
import { principalOf } from './principal.js';
import { MalformedMessageError, toStatus } from './status-mapping.js';
import { FORWARDED_PEER, GATEWAY_KEY, GATEWAY_KEY_HEADER } from './gateway-key.js';
import { requestIdOf } from './request-id.js';

/** What the server gives every adapter. */
export interface ServerContext {
  readonly log: Logger;
  /** Aborts every call when the server stops waiting for them. */
  readonly shutdown: AbortSignal;
}

/** What a handler learns about its call. */
export interface HandlerContext {
  /** The method's name, as logs show it ("Plan"). */
  readonly method: string;
  /** The call's signal, made on first use: its deadline, the client's cancellation, the server's shutdown. */
  readonly signal: AbortSignal;
  /** Whether the call is over, without making the signal (hot paths ask this). */
  readonly aborted: boolean;
  /** The caller, as the auth interceptor found it; undefined when the server runs none. */
  readonly principal: Principal | undefined;
  /** The caller's address as grpc-js reports it ("1.2.3.4:5678"). */
  readonly peer: string;
  /** The call's request metadata. */
  readonly metadata: Metadata;
  /** The call's id (request-id.ts): in the logs, and sent back as `x-request-id`. */
  readonly requestId: string | undefined;
}

/** How the call ended, for observers (plan history). */
export type CallOutcome<Res> = { response: Res } | { code: number };

/** Options of a wrapped method. */
export interface HandlerOptions<Req, Res> {
  /**
   * Refuse the call (UNAUTHENTICATED) when no auth interceptor saw it: the
   * secrets, data and auth services never run unguarded.
   */
  requirePrincipal?: boolean;
  /** Told how the call ended, after it has been answered; never throws into the call. */
  done?: (request: Req | undefined, ctx: HandlerContext, outcome: CallOutcome<Res>, startedMs: number) => void;
}

/** Throws the decoding failure that the lenient deserializer put in place of a message. */
export function decoded<T>(message: T | MalformedMessageError): T {
  if (message instanceof MalformedMessageError) throw message;
  return message;
}

type AnyCall = ServerUnaryCall<unknown, unknown> | ServerWritableStream<unknown, unknown> | ServerDuplexStream<unknown, unknown>
  | ServerReadableStream<unknown, unknown>;

class CallContext implements HandlerContext {
  constructor(
    readonly method: string,
    private readonly call: AnyCall,
    readonly cs: CallSignal,
  ) {}
  get signal(): AbortSignal {
    return this.cs.signal;
  }
  get aborted(): boolean {
    return this.cs.aborted;
  }
  get principal(): Principal | undefined {
    return principalOf(this.call);
  }
  get peer(): string {
    // A call the HTTP gateway made for a client: the client's address, when the gateway's key vouches for it.
    const forwarded = this.call.metadata.get(FORWARDED_PEER)[0];
    if (typeof forwarded === 'string' && this.call.metadata.get(GATEWAY_KEY_HEADER)[0] === GATEWAY_KEY) return forwarded;
    return this.call.getPeer();
  }
  get metadata(): Metadata {
    return this.call.metadata;
  }
  get requestId(): string | undefined {
    return requestIdOf(this.call.metadata);
  }
}

/** Refuses a call no auth interceptor saw, when the method asks for a principal: guessing who calls is worse. */
function checkPrincipal(ctx: HandlerContext, requirePrincipal: boolean | undefined): void {
  if (requirePrincipal && !ctx.principal) throw new UnauthenticatedError('this server runs no auth interceptor');
}

/** Tells `done`, if any, how the call ended; `message` is the call's request (or the malformed marker). */
function notify<Req, Res>(opts: HandlerOptions<Req, Res> | undefined, message: unknown, ctx: HandlerContext, outcome: CallOutcome<Res>, started: number): void {
  if (!opts?.done) return;
  try {
    opts.done(message instanceof MalformedMessageError ? undefined : (message as Req), ctx, outcome, started);
  } catch {
    // An observer must never break a call.
  }
}

/** A unary method from a function; an answer ready at once is sent at once (no promise, no extra turn). */
export function unary<Req, Res>(
  server: ServerContext,
  method: string,
  fn: (request: Req, ctx: HandlerContext) => Res | Promise<Res>,
  opts?: HandlerOptions<Req, Res>,
): handleUnaryCall<Req, Res> {
  return (call: ServerUnaryCall<Req, Res>, callback: sendUnaryData<Res>) => {
    const started = opts?.done ? performance.now() : 0;
    const ctx = new CallContext(method, call as AnyCall, callSignal(call, server.shutdown));
    const answer = (response: Res) => {
      ctx.cs.dispose();
      callback(null, response);
      notify(opts, call.request, ctx, { response }, started);
    };
    const fail = (err: unknown) => {
      ctx.cs.dispose();
      const st = toStatus(err, server.log, { method, requestId: ctx.requestId });
      callback(st);
      notify(opts, call.request, ctx, { code: st.code }, started);
    };
    let out: Res | Promise<Res>;
    try {
      checkPrincipal(ctx, opts?.requirePrincipal);
      out = fn(decoded(call.request), ctx);
    } catch (err) {
      fail(err);
      return;
    }
    if (out instanceof Promise) out.then(answer, fail);
    else answer(out);
  };
}

/**
 * A server-streaming method: `fn` writes its messages on the call (waiting
 * for 'drain' when write says so) and resolves when done, with what `done`
 * is told; the wrapper ends the stream, or sends the failure's status.
 */
export function serverStream<Req, Res, Out = void>(
  server: ServerContext,
  method: string,
  fn: (request: Req, ctx: HandlerContext, call: ServerWritableStream<Req, Res>) => Promise<Out>,
  opts?: HandlerOptions<Req, Out>,
): handleServerStreamingCall<Req, Res> {
  return (call: ServerWritableStream<Req, Res>) => {
    const started = opts?.done ? performance.now() : 0;
    const ctx = new CallContext(method, call as AnyCall, callSignal(call, server.shutdown));
    settle(server, ctx, call, call.request, opts, started, () => {
      checkPrincipal(ctx, opts?.requirePrincipal);
      return fn(decoded(call.request), ctx, call);
    });
  };
}

/**
 * A bidirectional method: `fn` reads the call's messages (each through
 * `decoded`), writes its own, and resolves when it has said everything;
 * the wrapper ends the stream, or sends the failure's status.
 */
export function bidiStream<Req, Res>(
  server: ServerContext,
  method: string,
  fn: (call: ServerDuplexStream<Req | MalformedMessageError, Res>, ctx: HandlerContext) => Promise<void>,
  opts?: Pick<HandlerOptions<Req, Res>, 'requirePrincipal'>,
): handleBidiStreamingCall<Req, Res> {
  return (call: ServerDuplexStream<Req, Res>) => {
    const ctx = new CallContext(method, call as AnyCall, callSignal(call, server.shutdown));
    settle(server, ctx, call, undefined, undefined, 0, () => {
      checkPrincipal(ctx, opts?.requirePrincipal);
      return fn(call as ServerDuplexStream<Req | MalformedMessageError, Res>, ctx);
    });
  };
}

/**
 * A client-streaming method: `fn` reads the call's messages (through
 * {@link messages}, which decodes each and stops with the call's signal)
 * and resolves with the one answer; a failure is the call's status. `done`
 * is told the answer or the status (with no request: a stream has many).
 */
export function clientStream<Req, Res>(
  server: ServerContext,
  method: string,
  fn: (call: ServerReadableStream<Req | MalformedMessageError, Res>, ctx: HandlerContext) => Promise<Res>,
  opts?: HandlerOptions<undefined, Res>,
): handleClientStreamingCall<Req, Res> {
  return (call: ServerReadableStream<Req, Res>, callback: sendUnaryData<Res>) => {
    const started = opts?.done ? performance.now() : 0;
    const ctx = new CallContext(method, call as AnyCall, callSignal(call, server.shutdown));
    let run: Promise<Res>;
    try {
      checkPrincipal(ctx, opts?.requirePrincipal);
      run = fn(call as ServerReadableStream<Req | MalformedMessageError, Res>, ctx);
    } catch (err) {
      run = Promise.reject(err);
    }
    run.then(
      (response) => {
        ctx.cs.dispose();
        callback(null, response);
        notify(opts, undefined, ctx, { response }, started);
      },
      (err: unknown) => {
        ctx.cs.dispose();
        const st = toStatus(err, server.log, { method });
        callback(st);
        notify(opts, undefined, ctx, { code: st.code }, started);
      },
    );
  };
}

/**
 * The messages of a client stream, each through {@link decoded}, with the
 * stream's backpressure; ends with the stream, and throws the signal's
 * reason when the call is cancelled, past its deadline or shut down (a
 * cancelled stream need not end, so waiting on it alone could hang).
 *
 * Beware: grpc-js ends the stream of a client that cancels (RST_STREAM)
 * before it reports the cancel, so the end of the messages does not prove
 * the client finished. A method that commits something when its stream
 * ends must have the client say so in its last message (PutAsset's `end`).
 */
export async function* messages<T>(call: Readable & AsyncIterable<T | MalformedMessageError>, signal: AbortSignal): AsyncGenerator<T> {
  signal.throwIfAborted();
  // Read through events, not the stream's async iterator: on a grpc-js bidirectional stream the
  // iterator never finished after the client half-closed (a Session then hung until cancelled),
  // while 'end' is emitted, as PlanStream relies on.
  const queue: (T | MalformedMessageError)[] = [];
  let ended = false;
  let failure: { err: unknown } | undefined;
  let wake: (() => void) | undefined;
  const notify = (): void => { const w = wake; wake = undefined; w?.(); };
  const onData = (m: T | MalformedMessageError): void => {
    queue.push(m);
    if (queue.length >= QUEUE_HIGH) call.pause();
    notify();
  };
  const onEnd = (): void => { ended = true; notify(); };
  const onError = (err: unknown): void => { failure = { err }; notify(); };
  call.on('data', onData);
  call.on('end', onEnd);
  call.on('error', onError);
  signal.addEventListener('abort', notify);
  try {
    for (;;) {
      signal.throwIfAborted();
      if (queue.length > 0) {
        const m = queue.shift()!;
        if (queue.length < QUEUE_HIGH / 2 && call.isPaused()) call.resume();
        yield decoded(m);
        continue;
      }
      if (failure) throw failure.err;
      if (ended) return;
      await new Promise<void>((resolve) => { wake = resolve; });
    }
  } finally {
    // The stream is left as it is (its listeners aside): destroying it here could race the status the wrapper is about to send.
    call.off('data', onData);
    call.off('end', onEnd);
    call.off('error', onError);
    // A cancel may still emit 'error' after the reading is over: with no listener that would be an uncaught exception.
    call.on('error', ignore);
    signal.removeEventListener('abort', notify);
  }
}

const ignore = (): void => undefined;

/** Messages read ahead of the handler at most before the stream is paused (backpressure). */
const QUEUE_HIGH = 16;

function settle<Req, Out>(
  server: ServerContext,
  ctx: CallContext,
  call: { end(): void; emit(event: 'error', st: unknown): boolean },
  request: unknown,
  opts: HandlerOptions<Req, Out> | undefined,
  started: number,
  body: () => Promise<Out>,
): void {
  let run: Promise<Out>;
  try {
    run = body();
  } catch (err) {
    run = Promise.reject(err);
  }
  run.then(
    (out) => {
      ctx.cs.dispose();
      call.end();
      notify(opts, request, ctx, { response: out }, started);
    },
    (err: unknown) => {
      ctx.cs.dispose();
      const st = toStatus(err, server.log, { method: ctx.method, requestId: ctx.requestId });
      call.emit('error', st);
      notify(opts, request, ctx, { code: st.code }, started);
    },
  );
}

/** A HandlerContext whose principal is known. */
export interface AuthedContext extends HandlerContext {
  readonly principal: Principal;
}

/** A unary method that refuses calls no auth interceptor saw (UNAUTHENTICATED), its principal typed as known. */
export function authedUnary<Req, Res>(
  server: ServerContext,
  method: string,
  fn: (request: Req, ctx: AuthedContext) => Res | Promise<Res>,
): handleUnaryCall<Req, Res> {
  return unary(server, method, fn as (request: Req, ctx: HandlerContext) => Res | Promise<Res>, { requirePrincipal: true });
}
