/**
 * Small checks on untrusted JSON, each failing with an InvalidArgumentError
 * that names the exact path (`template.attributes[3].values.elf`), so a
 * person fixing a template is pointed at the place.
 */
import { InvalidArgumentError } from '../../core/errors.js';

/** A JSON object (not an array, not null). */
export type JsonObject = Record<string, unknown>;

/** Attribute and trait names: usable in conditions and prompts without quoting. */
export const NAME_RE = /^[a-z][a-z0-9_]{0,63}$/;
/** Category and list values: one word, so conditions can name them unquoted. */
export const VALUE_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

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

/** `v` as an object with only the keys allowed. */
export function object(v: unknown, path: string, allowed: readonly string[]): JsonObject {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) fail(path, `must be a JSON object, got ${shown(v)}`);
  for (const k of Object.keys(v)) if (!allowed.includes(k)) fail(path, `unknown key '${k}' (allowed: ${allowed.join(', ')})`);
  return v as JsonObject;
}

/** `v` as an array of at most `max` elements (at least `min`). */
export function array(v: unknown, path: string, max: number, min = 0): unknown[] {
  if (!Array.isArray(v)) fail(path, `must be an array, got ${shown(v)}`);
  if (v.length < min) fail(path, min === 1 ? 'must not be empty' : `must have at least ${min} elements`);
  if (v.length > max) fail(path, `at most ${max} elements, got ${v.length}`);
  return v;
}

/** `v` as a string of at most `max` characters. */
export function text(v: unknown, path: string, max: number): string {
  if (typeof v !== 'string') fail(path, `must be a string, got ${shown(v)}`);
  if (v.length > max) fail(path, `at most ${max} characters, got ${v.length}`);
  return v;
}

/** `v` as a finite number. */
export function finite(v: unknown, path: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(path, `must be a finite number, got ${shown(v)}`);
  return v;
}

/** `v` as a non-negative integer no larger than `max`. */
export function count(v: unknown, path: string, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > max) fail(path, `must be an integer from 0 to ${max}, got ${shown(v)}`);
  return v;
}

/** `v` as a weight: a positive finite number. */
export function weight(v: unknown, path: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) fail(path, `weight must be a positive finite number, got ${shown(v)}`);
  return v;
}

/** `v` as an attribute name. */
export function attrName(v: unknown, path: string): string {
  if (typeof v !== 'string' || !NAME_RE.test(v)) {
    fail(path, `must be a name of lowercase letters, digits and '_', starting with a letter (at most 64), got ${shown(v)}`);
  }
  return v;
}
