/**
 * AbortSignal helpers shared by every layer: one signal per call joins its
 * deadline, the client's cancellation and the server's shutdown
 * (transport/call-signal.ts makes it); the pool, the database, the queue
 * and storage take it and throw its reason.
 */
import { CallAbortedError } from './errors.js';

/** An AbortSignal, or a call's signal that is made only when asked for (transport/call-signal.ts). */
export type SignalSource = AbortSignal | { readonly aborted: boolean; readonly signal: AbortSignal };

/** The AbortSignal of a source (made now, for a lazy one). */
export function signalOf(source: SignalSource | undefined): AbortSignal | undefined {
  return source === undefined || source instanceof AbortSignal ? source : source.signal;
}

/**
 * Throws the reason of an aborted signal as a CallAbortedError (a signal
 * aborted by other means counts as a client cancellation).
 */
export function throwIfAborted(signal: SignalSource | undefined): void {
  if (!signal?.aborted) return;
  throw abortReason(signalOf(signal)!);
}

/** The CallAbortedError behind an aborted signal. */
export function abortReason(signal: AbortSignal): CallAbortedError {
  const reason: unknown = signal.reason;
  return reason instanceof CallAbortedError ? reason : new CallAbortedError('cancelled');
}
