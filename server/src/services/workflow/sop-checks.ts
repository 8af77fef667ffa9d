/**
 * Small checks on an SOP's untrusted JSON, each failing with an
 * InvalidArgumentError that names the exact path (`sop.commands.save.kind`),
 * so a person fixing a procedure is pointed at the place.
 */
import { InvalidArgumentError } from '../../core/errors.js';
import type { SopValue } from './sop-types.js';

/** A JSON object (not an array, not null). */
export type JsonObject = Record<string, unknown>;

/** Task, method, command and state key names: identifiers the compiled domain can use as they are. */
export const NAME_RE = /^[a-z][a-z0-9_]{0,63}$/;
/** Most nesting of a value in the state or a command. */
const MAX_DEPTH = 16;

/** Throws an InvalidArgumentError at `path`. */
export function fail(path: string, message: string): never {
  throw new InvalidArgumentError(path, message);
}

/** A short rendering of a bad value for messages. */
export function shown(v: unknown): string {
  if (v === undefined) return 'nothing';
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
}

/** `v` as an object with only the keys allowed (all keys when `allowed` is undefined). */
export function object(v: unknown, path: string, allowed?: readonly string[]): JsonObject {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) fail(path, `must be a JSON object, got ${shown(v)}`);
  if (allowed) for (const k of Object.keys(v)) if (!allowed.includes(k)) fail(`${path}.${k}`, `unknown key (allowed: ${allowed.join(', ')})`);
  return v as JsonObject;
}

/** `v` as an array of `min` to `max` elements. */
export function array(v: unknown, path: string, max: number, min = 0): unknown[] {
  if (!Array.isArray(v)) fail(path, `must be an array, got ${shown(v)}`);
  if (v.length < min) fail(path, min === 1 ? 'must not be empty' : `must have at least ${min} elements`);
  if (v.length > max) fail(path, `at most ${max} elements, got ${v.length}`);
  return v;
}

/** `v` as a string of at most `max` characters, without control characters other than newlines and tabs. */
export function text(v: unknown, path: string, max: number): string {
  if (typeof v !== 'string') fail(path, `must be a string, got ${shown(v)}`);
  if (v.length > max) fail(path, `at most ${max} characters, got ${v.length}`);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000b-\u001f\u007f]/.test(v)) fail(path, 'must not contain control characters');
  return v;
}

/** `v` as a name (NAME_RE). */
export function name(v: unknown, path: string): string {
  const s = text(v, path, 64);
  if (!NAME_RE.test(s)) fail(path, `'${s}' is not a name: use a lower-case letter, then lower-case letters, digits or _ (at most 64)`);
  return s;
}

/** `v` as an integer from `min` to `max`. */
export function integer(v: unknown, path: string, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) fail(path, `must be an integer from ${min} to ${max}, got ${shown(v)}`);
  return v;
}

/** `v` as a JSON value of bounded depth (strings bounded too). */
export function value(v: unknown, path: string, depth = 0): SopValue {
  if (depth > MAX_DEPTH) fail(path, `nested deeper than ${MAX_DEPTH} levels`);
  if (v === null || typeof v === 'boolean') return v;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) fail(path, `must be a finite number, got ${shown(v)}`);
    return v;
  }
  if (typeof v === 'string') return text(v, path, 10_000);
  if (Array.isArray(v)) return v.map((x, i) => value(x, `${path}[${i}]`, depth + 1));
  const o = object(v, path);
  return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, value(x, `${path}.${k}`, depth + 1)]));
}

/** `v` as a map from names to values (the run's state, a `set` command's values). */
export function valueMap(v: unknown, path: string): Record<string, SopValue> {
  const o = object(v, path);
  const keys = Object.keys(o);
  if (keys.length > 256) fail(path, `at most 256 keys, got ${keys.length}`);
  return Object.fromEntries(keys.map((k) => [name(k, `${path}.${k}`), value(o[k], `${path}.${k}`)]));
}
