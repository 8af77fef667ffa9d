/**
 * One AbortSignal per call, joining the call's deadline, the client's
 * cancellation and the server's shutdown. Its reason is a CallAbortedError
 * saying which one fired, so the status can say so too.
 */
import type { Deadline } from '@grpc/grpc-js';
import { CallAbortedError, type AbortKind } from '../core/errors.js';

/** The part of a server call (of any kind) that the signal watches. */
export interface SurfaceCall {
  readonly cancelled: boolean;
  getDeadline(): Deadline;
  on(event: 'cancelled', listener: () => void): unknown;
  removeListener(event: 'cancelled', listener: () => void): unknown;
}

/**
 * A call's signal; dispose it when the call ends. The AbortSignal is made
 * when first asked for: a call answered without waiting (a small plan on
 * the server's thread) never needs one, and making one and wiring it up is
 * a good part of such a call's own cost.
 */
export interface CallSignal {
  /** The signal (made on first use); aborted at once if the call is already over. */
  readonly signal: AbortSignal;
  /** Whether the call is over (deadline, cancellation, shutdown), without making the signal. */
  readonly aborted: boolean;
  dispose(): void;
}

/**
 * grpc-js answers DEADLINE_EXCEEDED by itself and then reports the call as
 * cancelled; a cancellation this close to the deadline counts as the deadline.
 */
const DEADLINE_SLACK_MS = 20;

/** The signal of one call. `shutdown` aborts every call when the server stops waiting for them. */
export function callSignal(call: SurfaceCall, shutdown: AbortSignal): CallSignal {
  return new LazyCallSignal(call, shutdown);
}

/**
 * A class rather than an object literal with getters: V8 gives a literal
 * with accessors new hidden classes on every call, garbage that only the
 * major collector takes away.
 */
class LazyCallSignal implements CallSignal {
  private controller: AbortController | undefined;
  private timer: NodeJS.Timeout | undefined;
  private disposed = false;
  private readonly deadline: number;
  private readonly onCancelled = () => this.abort(Date.now() >= this.deadline - DEADLINE_SLACK_MS ? 'deadline' : 'cancelled');
  private readonly onShutdown = () => this.abort('shutdown');

  constructor(
    private readonly call: SurfaceCall,
    private readonly shutdown: AbortSignal,
  ) {
    const raw = call.getDeadline();
    this.deadline = raw instanceof Date ? raw.getTime() : raw;
  }

  get signal(): AbortSignal {
    return this.controller?.signal ?? this.make();
  }

  get aborted(): boolean {
    if (this.controller) return this.controller.signal.aborted;
    return this.shutdown.aborted || this.call.cancelled || Date.now() >= this.deadline;
  }

  dispose(): void {
    this.disposed = true;
    if (this.controller) this.unwire();
  }

  private make(): AbortSignal {
    const controller = new AbortController();
    this.controller = controller;
    if (this.disposed) return controller.signal;
    if (this.shutdown.aborted) this.onShutdown();
    else if (this.call.cancelled) this.onCancelled();
    else {
      this.call.on('cancelled', this.onCancelled);
      this.shutdown.addEventListener('abort', this.onShutdown, { once: true });
      if (Number.isFinite(this.deadline)) {
        const ms = this.deadline - Date.now();
        if (ms <= 0) this.abort('deadline');
        else this.timer = setTimeout(() => this.abort('deadline'), ms);
      }
    }
    return controller.signal;
  }

  private abort(kind: AbortKind): void {
    const c = this.controller!;
    if (!c.signal.aborted) c.abort(new CallAbortedError(kind));
    this.unwire();
  }

  private unwire(): void {
    if (this.timer) clearTimeout(this.timer);
    this.call.removeListener('cancelled', this.onCancelled);
    this.shutdown.removeEventListener('abort', this.onShutdown);
  }
}
