/**
 * The engine's state read back as JSON (after an acting step), with each
 * variable in the form the problem writer reads: plain objects for symbol
 * keys, `__intkeys__` for integer keys, `__pairs__` for tuple keys, a bare
 * value for a scalar variable.
 */
import { decodeValue } from './value-decoder.js';
import { stateKeys } from './state-keys.js';
import { Tag, type SymbolTable } from './engine-memory.js';
import type { JsonState, JsonValue } from '../types.js';
import { BOX_HI, SLOT_BYTES, SLOT_KEY, SLOT_VALUE, SLOT_VAR } from './engine-abi.js';
import { setOwn } from '../../core/own-key.js';

/** High word of an absent slot's value (a key added on a path that was undone). */
const ABSENT_HI = ((BOX_HI << 16) | Tag.ABSENT) >>> 0;

/** The state held by `count` slots at `slots`, variables and keys in insertion order. */
export function readState(u32: Uint32Array, f64: Float64Array, syms: SymbolTable, slots: number, count: number): JsonState {
  const vars = new Map<string, { entries: [JsonValue, JsonValue][]; intKeys: boolean; tupleKeys: boolean }>();
  for (let s = 0; s < count; s++) {
    const a = slots + s * SLOT_BYTES;
    if (u32[((a + SLOT_VALUE) >>> 2) + 1] === ABSENT_HI) continue;
    const varName = syms.name(u32[(a + SLOT_VAR) >>> 2]);
    const key = decodeValue(u32, f64, syms, a + SLOT_KEY);
    let v = vars.get(varName);
    if (!v) { v = { entries: [], intKeys: true, tupleKeys: false }; vars.set(varName, v); }
    if (typeof key !== 'number') v.intKeys = false;
    if (Array.isArray(key)) v.tupleKeys = true;
    v.entries.push([key, decodeValue(u32, f64, syms, a + SLOT_VALUE)]);
  }
  const out: JsonState = {};
  for (const [name, v] of vars) {
    if (v.entries.length === 1 && v.entries[0][0] === null) { setOwn(out, name, v.entries[0][1]); continue; }
    if (v.tupleKeys) { setOwn(out, name, { __pairs__: v.entries }); continue; }
    const obj: Record<string, JsonValue> = {};
    for (const [k, val] of v.entries) setOwn(obj, String(k), val);
    setOwn(out, name, v.intKeys && v.entries.length > 0 ? { __intkeys__: obj } : obj);
  }
  return out;
}

/** Variables of `before` with no entries (GTPyhop's `state.v = {}`) have no slots; keeps them in `after`. */
export function keepEmptyVars(after: JsonState, before: JsonState): JsonState {
  for (const [name, v] of Object.entries(before)) {
    if (Object.hasOwn(after, name) || v === null || typeof v !== 'object' || Array.isArray(v)) continue;
    if (stateKeys(v, name).length === 0) setOwn(after, name, structuredClone(v));
  }
  return after;
}
