/**
 * Text that leaves the server (status messages, error details, logs of
 * client input) is bounded and well-formed: a client's 1 MB name must not
 * become megabytes of trailers, and a lone UTF-16 surrogate makes grpc-js's
 * `encodeURI` of the status message throw out of the status path.
 */

// ES2024's String.prototype.toWellFormed (Node 20 has it; the project's lib is ES2022).
declare global {
  interface String { toWellFormed(): string }
}

/** `s` with each lone surrogate replaced by U+FFFD, so it can be sent as UTF-8. */
export function wellFormed(s: string): string {
  return s.toWellFormed();
}

/** The most characters of a client's value an error message echoes. */
export const ECHO_LIMIT = 200;

/** The most characters of a whole status message. */
export const MESSAGE_LIMIT = 4096;

/**
 * `s` as well-formed Unicode (lone surrogates become U+FFFD), cut to at
 * most `max` UTF-16 units on a code point boundary, with a note of how
 * much was left out.
 */
export function boundText(s: string, max: number = MESSAGE_LIMIT): string {
  const text = wellFormed(s);
  if (text.length <= max) return text;
  let end = Math.max(0, max - 40);
  // Do not split a surrogate pair at the cut.
  if (end > 0 && isHighSurrogate(text.charCodeAt(end - 1))) end--;
  return `${text.slice(0, end)}… (${text.length - end} more characters)`;
}

/** A client's value for an error message: bounded to ECHO_LIMIT and quoted as JSON would. */
export function echo(value: string): string {
  return JSON.stringify(boundText(value, ECHO_LIMIT));
}

function isHighSurrogate(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}
