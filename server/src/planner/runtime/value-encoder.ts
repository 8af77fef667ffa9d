/**
 * Encoding of JSON values (the conformance encoding) into the engine's
 * value words: scalars, tuples, lists, sets, maps, multigoals (with room
 * for the index the engine builds over their goals, so that both sides
 * hash alike) and state keys.
 */
import type { JsonValue } from '../types.js';
import { InvalidArgumentError } from '../../core/errors.js';
import { child, MAX_VALUE_DEPTH, pathText, Tag, type Path, type SymbolTable, type WordWriter } from './engine-memory.js';
import { stateKeys, type StateEntry, type StateKey } from './state-keys.js';

/** How to read plain JSON arrays: as todo items (tuples) or as lists. */
export type ArrayMode = 'tuple' | 'list';

/**
 * Encodes a JSON value into the word at addr. Objects it needs (tuples,
 * sets, multigoals) are allocated from w.
 */
export function encodeValue(w: WordWriter, syms: SymbolTable, v: JsonValue, addr: number, path: Path, arrays: ArrayMode): void {
  if (typeof v === 'string') return w.setTagged(addr, Tag.SYM, syms.id(v));
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new InvalidArgumentError(pathText(path), `number ${v} is not finite`);
    return w.setNumber(addr, v);
  }
  if (typeof v === 'boolean') return w.setTagged(addr, Tag.BOOL, v ? 1 : 0);
  if (v === null) return w.setTagged(addr, Tag.NIL, 0);
  // The engine walks values recursively (equality, hashing, compaction) and decodes at most
  // MAX_VALUE_DEPTH levels: deeper input is the client's error, not an engine trap later.
  if (nesting >= MAX_VALUE_DEPTH) {
    nesting = 0;
    throw new InvalidArgumentError(pathText(path), `a value nested deeper than ${MAX_VALUE_DEPTH} levels`);
  }
  nesting++;
  try {
    encodeComposite(w, syms, v, addr, path, arrays);
  } finally {
    if (nesting > 0) nesting--;
  }
}

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
      if (!Array.isArray(elems)) throw new InvalidArgumentError(pathText(path), '__set__ must be a list');
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
  throw new InvalidArgumentError(pathText(path), `unsupported value ${String(v)}`);
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

/** Writes multigoal v (`{__multigoal__: name, vars: {...}}`) and puts its word at addr. */
export function encodeMultigoal(w: WordWriter, syms: SymbolTable, v: { [k: string]: JsonValue }, addr: number, path: Path): void {
  const name = v.__multigoal__;
  if (typeof name !== 'string') throw new InvalidArgumentError(`${pathText(path)}.__multigoal__`, 'a multigoal name must be a string');
  const vars = v.vars ?? {};
  if (vars === null || typeof vars !== 'object' || Array.isArray(vars)) throw new InvalidArgumentError(`${pathText(path)}.vars`, 'must be an object: var -> key -> value');
  const nameId = syms.id(name);
  // [var id, entries; or [int, value] pairs read in place (the blocks domains' goals: no entry objects), var name]
  const groups: [number, StateEntry[] | JsonValue[], string | undefined][] = [];
  let count = 0;
  for (const varName in vars) {
    const vv = vars[varName]!;
    const inner = vv !== null && typeof vv === 'object' && !Array.isArray(vv) && !('__pairs__' in vv) && !('__set__' in vv)
      && !('__multigoal__' in vv) ? vv.__intkeys__ : undefined;
    if (Array.isArray(inner)) groups.push([syms.id(varName), inner, varName]);
    else groups.push([syms.id(varName), stateKeys(vv, () => `${pathText(path)}.vars.${varName}`), undefined]);
    count += groups[groups.length - 1][1].length;
  }
  let cap = 4;
  while (cap < count * 2) cap <<= 1;
  const p = w.alloc(3 + count * 3 + cap);
  w.setTagged(p, Tag.SYM, nameId);
  w.setInt(p + 8, count);
  w.setInt(p + 16, cap);
  let t = p + 24;
  for (const [varId, entries, pairsOf] of groups) {
    if (pairsOf !== undefined) {
      // Paths as stateKeys gives them, built only for an error.
      let key = 0;
      const valuePath = (): string => `${pathText(path)}.vars.${pairsOf}[${key}]`;
      for (let i = 0; i < entries.length; i++) {
        const pair = entries[i];
        if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[0] !== 'number' || !Number.isInteger(pair[0])) {
          throw new InvalidArgumentError(`${pathText(path)}.vars.${pairsOf}.__intkeys__[${i}]`, 'must be an [integer, value] pair');
        }
        key = pair[0];
        w.setInt(t, varId);
        w.setNumber(t + 8, key === 0 ? 0 : key);
        // The blocks goals' values are numbers and symbols: written directly.
        const x = pair[1];
        if (typeof x === 'number' && Number.isFinite(x)) w.setNumber(t + 16, x);
        else if (typeof x === 'string') w.setTagged(t + 16, Tag.SYM, syms.id(x));
        else encodeValue(w, syms, x, t + 16, valuePath, 'list');
        t += 24;
      }
      continue;
    }
    for (const e of entries as StateEntry[]) {
      w.setInt(t, varId);
      encodeKey(w, syms, e.key, t + 8);
      encodeValue(w, syms, e.value, t + 16, e.path, 'list');
      t += 24;
    }
  }
  // The engine hashes the triples into the index (mgIndex), so both sides agree on the hash.
  w.noteMultigoal(p);
  w.setTagged(addr, Tag.MG, p);
}
