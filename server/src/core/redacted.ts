/**
 * A wrapper that keeps a secret value out of logs, errors and traces: it
 * prints, inspects and serialises as "[redacted]"; only `reveal()` gives the
 * value back, so every use of the secret is explicit in the code.
 */
import { inspect } from 'node:util';

const TEXT = '[redacted]';

/** A secret value that does not print. */
export class Redacted<T> {
  readonly #value: T;
  constructor(value: T) {
    this.#value = value;
  }
  /** The value itself. Never pass it to a logger or an error message. */
  reveal(): T {
    return this.#value;
  }
  toString(): string {
    return TEXT;
  }
  toJSON(): string {
    return TEXT;
  }
  [inspect.custom](): string {
    return TEXT;
  }
}

/** A connection URL with its password replaced, for log lines. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    // A password can also hide in the query string (libpq's ?password=).
    if (u.searchParams.has('password')) u.searchParams.set('password', '***');
    return u.toString();
  } catch {
    return TEXT;
  }
}
