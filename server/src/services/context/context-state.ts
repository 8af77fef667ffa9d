/**
 * A context's world state as the planner's JSON (variable -> value), kept
 * variable by variable in a Map so that names such as `__proto__` stay
 * data. Each variable's value is never changed in place: a change makes a
 * new value (copy on write), so a snapshot handed to a plan still queued
 * on the pool is not changed under it by a later update. The size in bytes
 * of the state's JSON encoding is kept up to date per variable, so the
 * size cap costs one variable's encoding per change, not the whole state's.
 */
import type { JsonState, JsonValue } from '../../planner/index.js';
import { InvalidArgumentError } from '../../core/errors.js';
import { getOwn, setOwn } from '../../core/own-key.js';

/** A map key: a symbol (string) or a finite number. */
export type EntryKey = string | number;

/** One change, named as in the proto's Change oneof (so messages name the same fields). */
export type StateChange =
  | { kind: 'set'; var: string; key: EntryKey; value: JsonValue }
  | { kind: 'remove'; var: string; key: EntryKey }
  | { kind: 'replace'; var: string; value: JsonValue }
  | { kind: 'remove_var'; var: string };

type IntPairs = [number, JsonValue][];

/** Bytes of a string's UTF-8 encoding. */
const bytesOf = (s: string): number => Buffer.byteLength(s, 'utf8');

/** Bytes of `"name":value` in the state's JSON. */
function varBytes(name: string, value: JsonValue): number {
  return bytesOf(JSON.stringify(name)) + 1 + bytesOf(JSON.stringify(value));
}

/** A world state, variable by variable. */
export class ContextState {
  private readonly vars = new Map<string, JsonValue>();
  private readonly sizes = new Map<string, number>();
  private total = 0;

  /** A state from the planner's JSON (already checked by the caller's decoder). */
  static from(json: JsonState): ContextState {
    const s = new ContextState();
    for (const name of Object.keys(json)) s.put(name, json[name]!);
    return s;
  }

  /** The bytes of `JSON.stringify(this.toJson())`. */
  get bytes(): number {
    // "{" + "}" and one comma between variables.
    return 2 + this.total + Math.max(0, this.vars.size - 1);
  }

  /** A copy that shares the (never mutated) values: the working copy of an all-or-none update. */
  clone(): ContextState {
    const s = new ContextState();
    for (const [k, v] of this.vars) s.vars.set(k, v);
    for (const [k, n] of this.sizes) s.sizes.set(k, n);
    s.total = this.total;
    return s;
  }

  /** The state as the planner's JSON; later changes do not reach it. */
  toJson(): JsonState {
    const out: JsonState = {};
    for (const [k, v] of this.vars) setOwn(out, k, v);
    return out;
  }

  /** Applies one change; `field` is its place in the request (`changes[2]`). Throws InvalidArgumentError. */
  apply(change: StateChange, field: string): void {
    const at = `${field}.${change.kind}`;
    if (change.kind === 'remove_var') {
      if (!change.var) throw new InvalidArgumentError(at, 'must not be empty');
      this.drop(change.var);
      return;
    }
    if (!change.var) throw new InvalidArgumentError(`${at}.${change.kind === 'replace' ? 'name' : 'var'}`, 'must not be empty');
    if (change.kind === 'replace') {
      this.put(change.var, change.value);
      return;
    }
    const old = this.vars.get(change.var);
    if (change.kind === 'set') this.put(change.var, withEntry(old, change.var, change.key, change.value, at));
    else if (old !== undefined) this.put(change.var, withoutEntry(old, change.var, change.key, at));
  }

  private put(name: string, value: JsonValue): void {
    // Map.set on a present name keeps its place: a variable changed keeps its order among the others.
    this.total -= this.sizes.get(name) ?? 0;
    const n = varBytes(name, value);
    this.vars.set(name, value);
    this.sizes.set(name, n);
    this.total += n;
  }

  private drop(name: string): void {
    const n = this.sizes.get(name);
    if (n === undefined) return;
    this.total -= n;
    this.sizes.delete(name);
    // Deleting keeps the other variables' order; a variable set again goes last, as in Python's dict.
    this.vars.delete(name);
  }
}

/** The map's kind: symbol keys (a plain object) or number keys (`__intkeys__` pairs); undefined when not a map. */
function mapKind(v: JsonValue): 'symbol' | 'number' | undefined {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return undefined;
  if (Object.hasOwn(v, '__intkeys__')) return 'number';
  if (Object.hasOwn(v, '__set__') || Object.hasOwn(v, '__multigoal__')) return undefined;
  return 'symbol';
}

function checkKey(old: JsonValue | undefined, name: string, key: EntryKey, at: string): void {
  if (old === undefined) return;
  const kind = mapKind(old);
  if (kind === undefined) throw new InvalidArgumentError(`${at}.var`, `state variable ${JSON.stringify(name)} is not a map`);
  const keyKind = typeof key === 'number' ? 'number' : 'symbol';
  if (kind !== keyKind && !isEmptyMap(old)) {
    throw new InvalidArgumentError(`${at}.key`, `state variable ${JSON.stringify(name)} has ${kind} keys, not ${keyKind} keys`);
  }
}

function isEmptyMap(v: JsonValue): boolean {
  const o = v as Record<string, JsonValue>;
  return Object.keys(o).length === 0 || (Object.hasOwn(o, '__intkeys__') && (o.__intkeys__ as JsonValue[]).length === 0);
}

/** The variable's map with key set to value, as a new value. */
function withEntry(old: JsonValue | undefined, name: string, key: EntryKey, value: JsonValue, at: string): JsonValue {
  checkKey(old, name, key, at);
  if (typeof key === 'number') {
    const pairs = old !== undefined && Object.hasOwn(old as object, '__intkeys__') ? ((old as { __intkeys__: IntPairs }).__intkeys__) : [];
    const i = pairs.findIndex(([k]) => k === key);
    const next = pairs.slice();
    if (i >= 0) next[i] = [key, value];
    else next.push([key, value]);
    return { __intkeys__: next as JsonValue };
  }
  const next: Record<string, JsonValue> = old !== undefined && !Object.hasOwn(old as object, '__intkeys__') ? { ...(old as Record<string, JsonValue>) } : {};
  setOwn(next, key, value);
  return next;
}

/** The variable's map without key, as a new value (the same value when the key is absent). */
function withoutEntry(old: JsonValue, name: string, key: EntryKey, at: string): JsonValue {
  checkKey(old, name, key, at);
  if (typeof key === 'number') {
    const pairs = (old as { __intkeys__?: IntPairs }).__intkeys__;
    if (!pairs || !pairs.some(([k]) => k === key)) return old;
    return { __intkeys__: pairs.filter(([k]) => k !== key) as JsonValue };
  }
  const o = old as Record<string, JsonValue>;
  if (getOwn(o, key) === undefined && !Object.hasOwn(o, key)) return old;
  const next = { ...o };
  delete next[key];
  return next;
}
