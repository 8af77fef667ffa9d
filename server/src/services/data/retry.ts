/**
 * Retrying an operation while the database is unreachable: exponential
 * backoff from 50 ms to 2 s, for at most `retryForMs`, then UnavailableError
 * (clients see UNAVAILABLE and may retry themselves).
 */
import { UnavailableError } from '../../core/errors.js';

/** The retry window ran out with the database still unreachable: an outage, not one broken connection. */
export class OutageError extends UnavailableError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** A failure that must not be retried even though the connection was lost (an ambiguous COMMIT). */
export class NoRetry extends Error {
  constructor(readonly inner: unknown) {
    super('not retried');
  }
}

/** What the retry loop reports. */
export interface RetryHooks {
  /** Called before each wait, with the failure that caused it. */
  onRetry?(attempt: number, err: unknown): void;
}

/** Runs `op` until it succeeds, fails for good, or `retryForMs` passes; `retryable` picks the failures worth waiting out. */
export async function retrying<T>(op: () => Promise<T>, retryable: (err: unknown) => boolean, retryForMs: number, hooks: RetryHooks = {}): Promise<T> {
  const end = Date.now() + retryForMs;
  for (let attempt = 1; ; attempt++) {
    try {
      return await op();
    } catch (err) {
      if (err instanceof NoRetry) throw err.inner;
      if (!retryable(err)) throw err;
      const wait = Math.min(2000, 50 * 2 ** (attempt - 1));
      if (Date.now() + wait > end) throw new OutageError(`database unavailable (${describe(err)})`, { cause: err });
      hooks.onRetry?.(attempt, err);
      await new Promise((r) => setTimeout(r, wait));
    }
  }
}

function describe(err: unknown): string {
  const e = err as { code?: unknown; message?: unknown };
  return String(e?.code ?? e?.message ?? err).slice(0, 120);
}
