/**
 * Encoding between JSON values (the conformance encoding) and the engine's
 * 64-bit value words in WASM memory. See wasm/assembly/values.ts for the
 * word format: numbers are IEEE-754 doubles, everything else is NaN-boxed
 * with 0xFFF8 in the top 16 bits, a tag, and a 32-bit payload.
 */
import type { JsonValue } from '../types.js';
import { PlanInputError } from '../errors.js';
import { encodeMultigoal } from './multigoal-writer.js';
import * as A from './engine-abi.js';

/** Value tags, as `Tag.NAME` for `TAG_NAME` of the ABI. */
export const Tag = {
  SYM: A.TAG_SYM, BOOL: A.TAG_BOOL, NIL: A.TAG_NIL, TUPLE: A.TAG_TUPLE, LIST: A.TAG_LIST, SET: A.TAG_SET, MAP: A.TAG_MAP,
  MG: A.TAG_MG, VARREF: A.TAG_VARREF, MGVAR: A.TAG_MGVAR, ABSENT: A.TAG_ABSENT,
} as const;

/** The top 16 bits of a boxed word, as the top of its high u32. */
const BOXED_HIGH = A.BOX_HI * 0x10000;
/** Per-call symbols kept from call to call, at most. */
const MAX_KEPT_EXTRA = 256;

/** Interns symbols: the domain's own, plus those problems bring (kept across calls, up to MAX_KEPT_EXTRA). */
export class SymbolTable {
  readonly names: string[];
  private readonly ids: Map<string, number>;
  private readonly baseCount: number;
  private extra = new Map<string, number>();
  private extraNames: string[] = [];

  constructor(names: string[]) {
    this.names = names;
    this.ids = new Map(names.map((n, i) => [n, i]));
    this.baseCount = names.length;
  }
  /** The id of a domain symbol, or undefined. */
  domainId(name: string): number | undefined { return this.ids.get(name); }
  /** The id of any symbol, adding a per-call one when new. */
  id(name: string): number {
    const d = this.ids.get(name);
    if (d !== undefined) return d;
    let e = this.extra.get(name);
    if (e === undefined) {
      e = this.baseCount + this.extraNames.length;
      this.extra.set(name, e);
      this.extraNames.push(name);
    }
    return e;
  }
  name(id: number): string { return id < this.baseCount ? this.names[id] : this.extraNames[id - this.baseCount]; }
  /** Symbols known now, domain and per-call. */
  get count(): number { return this.baseCount + this.extraNames.length; }
  /**
   * Forgets the per-call symbols once there are many: a stream of similar
   * problems brings the same few (a goal's name, say), and keeping them
   * saves rebuilding the table on every call; ids stay consistent because
   * the engine's symbol table is written from this one on every call.
   */
  resetCall(): void { if (this.extraNames.length > MAX_KEPT_EXTRA) { this.extra.clear(); this.extraNames = []; } }
}

/**
 * Writes values into a region of memory with a bump pointer. `top` and `end`
 * are byte addresses in the views' buffer.
 */
export class WordWriter {
  u32: Uint32Array;
  f64: Float64Array;
  top: number;
  end: number;
  /** Addresses of multigoals written (the first mgCount), whose indexes the engine must build. */
  multigoals: number[] = [];
  mgCount = 0;
  /** Over a buffer, or over views of one the caller keeps (making views costs a little on every call). */
  constructor(buffer: ArrayBuffer | { u32: Uint32Array; f64: Float64Array }, top: number, end: number) {
    if (buffer instanceof ArrayBuffer) {
      this.u32 = new Uint32Array(buffer);
      this.f64 = new Float64Array(buffer);
    } else {
      this.u32 = buffer.u32;
      this.f64 = buffer.f64;
    }
    this.top = top;
    this.end = end;
  }
  /** Points the writer at another region of views it was not made with (an engine reuses its writers from call to call). */
  reset(views: { u32: Uint32Array; f64: Float64Array }, top: number, end: number): this {
    this.u32 = views.u32; this.f64 = views.f64; this.top = top; this.end = end;
    this.mgCount = 0;
    return this;
  }
  /** Notes a multigoal written at p. */
  noteMultigoal(p: number): void { this.multigoals[this.mgCount++] = p; }
  /** Reserves n words and returns their byte address; throws SpaceError when full. */
  alloc(n: number): number {
    const p = this.top;
    if (p + n * 8 > this.end) throw new SpaceError();
    this.top = p + n * 8;
    return p;
  }
  setTagged(addr: number, tag: number, payload: number): void {
    this.u32[addr >>> 2] = payload >>> 0;
    this.u32[(addr >>> 2) + 1] = (BOXED_HIGH | tag) >>> 0;
  }
  setNumber(addr: number, x: number): void { this.f64[addr >>> 3] = Number.isNaN(x) ? NaN : x; }
  setInt(addr: number, n: number): void { this.u32[addr >>> 2] = n >>> 0; this.u32[(addr >>> 2) + 1] = 0; }
  copyWord(from: number, to: number): void {
    this.u32[to >>> 2] = this.u32[from >>> 2];
    this.u32[(to >>> 2) + 1] = this.u32[(from >>> 2) + 1];
  }
}

/** A region ran out while the host was writing into it. */
export class SpaceError extends Error {
  constructor() { super('engine region full'); }
}

/**
 * Where an encoded value sits inside the problem, for error messages: a
 * string, or a function that builds it, since this runs on every planning
 * call and the string is wanted only when an error is thrown.
 */
export type Path = string | (() => string);

/** The path as a string. */
export function pathText(p: Path): string { return typeof p === 'string' ? p : p(); }
const child = (p: Path, tail: string | number, bracket: boolean): Path => () => (bracket ? `${pathText(p)}[${tail}]` : `${pathText(p)}.${tail}`);

/** How to read plain JSON arrays: as todo items (tuples) or as lists. */
export type ArrayMode = 'tuple' | 'list';

/**
 * Encodes a JSON value into the word at addr. Objects it needs (tuples,
 * sets, multigoals) are allocated from w.
 */
export function encodeValue(w: WordWriter, syms: SymbolTable, v: JsonValue, addr: number, path: Path, arrays: ArrayMode): void {
  if (typeof v === 'string') return w.setTagged(addr, Tag.SYM, syms.id(v));
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new PlanInputError(pathText(path), `number ${v} is not finite`);
    return w.setNumber(addr, v);
  }
  if (typeof v === 'boolean') return w.setTagged(addr, Tag.BOOL, v ? 1 : 0);
  if (v === null) return w.setTagged(addr, Tag.NIL, 0);
  // The engine walks values recursively (equality, hashing, compaction) and decodes at most
  // MAX_VALUE_DEPTH levels: deeper input is the client's error, not an engine trap later.
  if (nesting >= MAX_VALUE_DEPTH) {
    nesting = 0;
    throw new PlanInputError(pathText(path), `a value nested deeper than ${MAX_VALUE_DEPTH} levels`);
  }
  nesting++;
  try {
    encodeComposite(w, syms, v, addr, path, arrays);
  } finally {
    if (nesting > 0) nesting--;
  }
}

/** How deep values may nest (lists, tuples, sets, maps, multigoals). */
export const MAX_VALUE_DEPTH = 64;
/** The nesting of the value encodeValue is writing now (values within values, multigoals included). */
let nesting = 0;

function encodeComposite(w: WordWriter, syms: SymbolTable, v: JsonValue & object, addr: number, path: Path, arrays: ArrayMode): void {
  if (Array.isArray(v)) {
    const p = w.alloc(v.length + 1);
    w.setInt(p, v.length);
    for (let i = 0; i < v.length; i++) encodeValue(w, syms, v[i]!, p + 8 + i * 8, child(path, i, true), arrays);
    return w.setTagged(addr, arrays === 'tuple' ? Tag.TUPLE : Tag.LIST, p);
  }
  if (typeof v === 'object') {
    if ('__set__' in v) {
      const elems = v.__set__;
      if (!Array.isArray(elems)) throw new PlanInputError(pathText(path), '__set__ must be a list');
      const uniq = flatSet(elems) ?? uniqueByJson(elems);
      const p = w.alloc(uniq.length + 1);
      w.setInt(p, uniq.length);
      let i = 0;
      const elemPath = (): string => `${pathText(path)}.__set__[${i}]`;
      for (; i < uniq.length; i++) encodeValue(w, syms, uniq[i]!, p + 8 + i * 8, elemPath, 'list');
      return w.setTagged(addr, Tag.SET, p);
    }
    if ('__multigoal__' in v) return encodeMultigoal(w, syms, v, addr, path);
    // Any other object is a map (GTPyhop states may hold dicts of dicts).
    const entries = stateKeys(v, path);
    const p = w.alloc(1 + entries.length * 2);
    w.setInt(p, entries.length);
    entries.forEach((e, i) => {
      encodeKey(w, syms, e.key, p + 8 + i * 16);
      encodeValue(w, syms, e.value, p + 16 + i * 16, e.path, arrays);
    });
    return w.setTagged(addr, Tag.MAP, p);
  }
  throw new PlanInputError(pathText(path), `unsupported value ${String(v)}`);
}

/** A set's elements without repeats, equal by their JSON text. */
function uniqueByJson(elems: JsonValue[]): JsonValue[] {
  const uniq: JsonValue[] = [];
  const seen = new Set<string>();
  for (const e of elems) { const k = JSON.stringify(e); if (!seen.has(k)) { seen.add(k); uniq.push(e); } }
  return uniq;
}

/** Sets up to this size are checked for repeats pairwise (no key strings, no Set). */
const FLAT_SET_MAX = 32;

/**
 * A small set of strings, finite numbers and booleans: the set itself when
 * it has no repeats (the usual case: no copy), else its elements without
 * them; undefined for any other set (uniqueByJson). For such elements ===
 * is exactly equality of JSON texts (0 and -0 both read "0"), and this runs
 * for every set in every state on every planning call.
 */
function flatSet(elems: JsonValue[]): JsonValue[] | undefined {
  const n = elems.length;
  if (n > FLAT_SET_MAX) return undefined;
  let repeats = false;
  for (let i = 0; i < n; i++) {
    const e = elems[i];
    const t = typeof e;
    if (t !== 'string' && t !== 'boolean' && (t !== 'number' || !Number.isFinite(e))) return undefined;
    for (let j = 0; j < i; j++) if (elems[j] === e) { repeats = true; break; }
  }
  if (!repeats) return elems;
  const uniq: JsonValue[] = [];
  for (const e of elems) if (!uniq.includes(e)) uniq.push(e);
  return uniq;
}

/** A state key: a symbol, a number, a tuple of those (n-ary facts), or null for a scalar variable. */
export type StateKey = string | number | null | (string | number | boolean | null)[];

/** One entry of a state variable; key null is the single entry of a scalar variable. */
export interface StateEntry { key: StateKey; value: JsonValue; path: Path }

/**
 * Reads a state variable's entries in order. A plain object maps symbol keys
 * to values; `{"__intkeys__": {...}}` (or a list of [int, value] pairs, which
 * keeps its order where a JavaScript object would sort integer keys) maps
 * integer keys; any other value makes a scalar variable (GTPyhop's
 * `state.flag = 3`), kept under the key nil.
 */
export function stateKeys(v: JsonValue, path: Path): StateEntry[] {
  if (v === null || typeof v !== 'object' || Array.isArray(v) || '__set__' in v || '__multigoal__' in v) {
    return [{ key: null, value: v, path }];
  }
  if ('__pairs__' in v) {
    // Any keys, in order: [[key, value], ...], where a key may be a list (a tuple key).
    const pairs = v.__pairs__;
    if (!Array.isArray(pairs)) throw new PlanInputError(`${pathText(path)}.__pairs__`, 'must be a list of [key, value] pairs');
    return pairs.map((pair, i) => {
      if (!Array.isArray(pair) || pair.length !== 2) throw new PlanInputError(`${pathText(path)}.__pairs__[${i}]`, 'must be a [key, value] pair');
      const k = pair[0];
      const ok = typeof k === 'string' || (typeof k === 'number' && Number.isFinite(k))
        || (Array.isArray(k) && k.every((e) => e === null || ['string', 'number', 'boolean'].includes(typeof e)));
      if (!ok) throw new PlanInputError(`${pathText(path)}.__pairs__[${i}][0]`, 'a key must be a symbol, a number or a list of those');
      return { key: k as StateKey, value: pair[1], path: () => `${pathText(path)}.__pairs__[${i}]` };
    });
  }
  if ('__intkeys__' in v) {
    const inner = v.__intkeys__;
    if (Array.isArray(inner)) {
      return inner.map((pair, i) => {
        if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[0] !== 'number' || !Number.isInteger(pair[0])) {
          throw new PlanInputError(`${pathText(path)}.__intkeys__[${i}]`, 'must be an [integer, value] pair');
        }
        return { key: pair[0], value: pair[1], path: child(path, pair[0], true) };
      });
    }
    if (inner === null || typeof inner !== 'object') throw new PlanInputError(pathText(path), '__intkeys__ must be an object or a list of [integer, value] pairs');
    return Object.entries(inner).map(([k, value]) => {
      const n = Number(k);
      if (k.trim() === '' || !Number.isInteger(n)) throw new PlanInputError(`${pathText(path)}.__intkeys__`, `key ${JSON.stringify(k)} is not an integer`);
      return { key: n, value, path: child(path, k, true) };
    });
  }
  return Object.entries(v).map(([k, value]) => ({ key: k, value, path: child(path, k, false) }));
}

/** Encodes a state or multigoal key into the word at addr. */
export function encodeKey(w: WordWriter, syms: SymbolTable, key: StateKey, addr: number): void {
  if (key === null) w.setTagged(addr, Tag.NIL, 0);
  else if (Array.isArray(key)) encodeValue(w, syms, key, addr, 'key', 'tuple');
  else if (typeof key === 'number') w.setNumber(addr, key === 0 ? 0 : key);
  else w.setTagged(addr, Tag.SYM, syms.id(key));
}

/** Encodes a state key into a word. */
export function encodeStateKey(w: WordWriter, syms: SymbolTable, key: StateKey, addr: number): void {
  encodeKey(w, syms, key, addr);
}

/**
 * Decodes a plan step (the tuple word at addr): its symbols and numbers
 * directly, anything else through decodeValue. Every planning call decodes
 * its whole plan, so the common case is kept short.
 */
export function decodePlanStep(u32: Uint32Array, f64: Float64Array, syms: SymbolTable, addr: number): JsonValue[] {
  const p = u32[addr >>> 2];
  const n = u32[p >>> 2];
  // Literals of the exact length make packed arrays in one step (most actions take one or two arguments).
  if (n === 2) return [stepWord(u32, f64, syms, p + 8), stepWord(u32, f64, syms, p + 16)];
  if (n === 3) return [stepWord(u32, f64, syms, p + 8), stepWord(u32, f64, syms, p + 16), stepWord(u32, f64, syms, p + 24)];
  const out: JsonValue[] = [];
  for (let i = 0; i < n; i++) out.push(stepWord(u32, f64, syms, p + 8 + i * 8));
  return out;
}

/** A plan step's word: a number or symbol directly, anything else through decodeValue. */
function stepWord(u32: Uint32Array, f64: Float64Array, syms: SymbolTable, a: number): JsonValue {
  const hi = u32[(a >>> 2) + 1];
  if (hi >>> 16 !== A.BOX_HI) return f64[a >>> 3];
  if ((hi & 0xffff) === Tag.SYM) return syms.name(u32[a >>> 2]);
  return decodeValue(u32, f64, syms, a, 1);
}

/** Decodes the word at addr back to JSON. */
export function decodeValue(u32: Uint32Array, f64: Float64Array, syms: SymbolTable, addr: number, depth = 0): JsonValue {
  const hi = u32[(addr >>> 2) + 1];
  if (hi >>> 16 !== A.BOX_HI) return f64[addr >>> 3];
  const tag = hi & 0xffff;
  const p = u32[addr >>> 2];
  if (depth > MAX_VALUE_DEPTH) return null;
  switch (tag) {
    case Tag.SYM: return syms.name(p);
    case Tag.BOOL: return p !== 0;
    case Tag.NIL: case Tag.ABSENT: return null;
    case Tag.TUPLE: case Tag.LIST: {
      const n = u32[p >>> 2];
      const out: JsonValue[] = [];
      for (let i = 0; i < n; i++) out.push(decodeValue(u32, f64, syms, p + 8 + i * 8, depth + 1));
      return out;
    }
    case Tag.SET: {
      const n = u32[p >>> 2];
      const out: JsonValue[] = [];
      for (let i = 0; i < n; i++) out.push(decodeValue(u32, f64, syms, p + 8 + i * 8, depth + 1));
      return { __set__: out };
    }
    case Tag.MG: {
      const n = u32[(p + 8) >>> 2];
      const vars: Record<string, Record<string, JsonValue>> = {};
      const intVars = new Set<string>();
      for (let i = 0; i < n; i++) {
        const t = p + A.MG_HEADER_BYTES + i * A.MG_TRIPLE_BYTES;
        const v = syms.name(u32[t >>> 2]);
        const key = decodeValue(u32, f64, syms, t + 8, depth + 1);
        if (typeof key === 'number') intVars.add(v);
        (vars[v] ??= {})[String(key)] = decodeValue(u32, f64, syms, t + 16, depth + 1);
      }
      const out: Record<string, JsonValue> = {};
      for (const [v, m] of Object.entries(vars)) out[v] = intVars.has(v) ? { __intkeys__: m } : m;
      return { __multigoal__: decodeValue(u32, f64, syms, p, depth + 1), vars: out };
    }
    case Tag.MAP: {
      const n = u32[p >>> 2];
      const out: Record<string, JsonValue> = {};
      for (let i = 0; i < n; i++) {
        out[String(decodeValue(u32, f64, syms, p + 8 + i * 16, depth + 1))] = decodeValue(u32, f64, syms, p + 16 + i * 16, depth + 1);
      }
      return out;
    }
    default: return null;
  }
}
