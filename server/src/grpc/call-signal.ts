/**
 * One AbortSignal per call, joining the call's deadline, the client's
 * cancellation and the server's shutdown. Its reason is a CallAbortedError
 * saying which one fired, so the status can say so too.
 */
import type { Deadline } from '@grpc/grpc-js';
import { CallAbortedError, type AbortKind } from '../planner-service/errors.js';

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
  let controller: AbortController | undefined;
  let timer: NodeJS.Timeout | undefined;
  let disposed = false;
  const rawDeadline = call.getDeadline();
  const deadline = rawDeadline instanceof Date ? rawDeadline.getTime() : rawDeadline;

  const abort = (kind: AbortKind) => {
    if (!controller!.signal.aborted) controller!.abort(new CallAbortedError(kind));
    unwire();
  };
  const onCancelled = () => abort(Date.now() >= deadline - DEADLINE_SLACK_MS ? 'deadline' : 'cancelled');
  const onShutdown = () => abort('shutdown');
  const unwire = () => {
    if (timer) clearTimeout(timer);
    call.removeListener('cancelled', onCancelled);
    shutdown.removeEventListener('abort', onShutdown);
  };

  const make = (): AbortSignal => {
    controller = new AbortController();
    if (disposed) return controller.signal;
    if (shutdown.aborted) onShutdown();
    else if (call.cancelled) onCancelled();
    else {
      call.on('cancelled', onCancelled);
      shutdown.addEventListener('abort', onShutdown, { once: true });
      if (Number.isFinite(deadline)) {
        const ms = deadline - Date.now();
        if (ms <= 0) abort('deadline');
        else timer = setTimeout(() => abort('deadline'), ms);
      }
    }
    return controller.signal;
  };

  return {
    get signal() {
      return controller?.signal ?? make();
    },
    get aborted() {
      if (controller) return controller.signal.aborted;
      return shutdown.aborted || call.cancelled || Date.now() >= deadline;
    },
    dispose() {
      disposed = true;
      if (controller) unwire();
    },
  };
}
