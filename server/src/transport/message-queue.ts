/**
 * Messages of a client stream, taken one at a time with `await next()`.
 * Used by Act, whose protocol is lockstep: the server waits for the report
 * of each command it sends.
 */
import { abortReason } from '../core/signals.js';

/** A queue of incoming messages that a reader awaits; `undefined` means the client ended its stream. */
export class MessageQueue<T> {
  private readonly items: T[] = [];
  private waiter: { resolve: (v: T | undefined) => void; reject: (e: unknown) => void } | undefined;
  private ended = false;
  private failure: unknown;

  /** @param signal aborting it fails the pending and later `next()` calls with the abort reason */
  constructor(private readonly signal: AbortSignal) {
    if (signal.aborted) this.fail(abortReason(signal));
    else signal.addEventListener('abort', () => this.fail(abortReason(signal)), { once: true });
  }

  /** Messages received and not yet taken. */
  get length(): number {
    return this.items.length;
  }

  /** A message arrived. */
  push(item: T): void {
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = undefined;
      w.resolve(item);
    } else this.items.push(item);
  }

  /** The client ended its stream. */
  end(): void {
    this.ended = true;
    if (this.waiter && this.items.length === 0) {
      const w = this.waiter;
      this.waiter = undefined;
      w.resolve(undefined);
    }
  }

  /** The stream failed; readers get `err`. */
  fail(err: unknown): void {
    if (this.failure === undefined) this.failure = err;
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = undefined;
      w.reject(err);
    }
  }

  /** The next message, or undefined once the client ended its stream. */
  next(): Promise<T | undefined> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    if (this.items.length) return Promise.resolve(this.items.shift());
    if (this.ended) return Promise.resolve(undefined);
    return new Promise((resolve, reject) => {
      this.waiter = { resolve, reject };
    });
  }
}
