/** Decoding of the engine's value words back to JSON (plans, states, trace events). */
import type { JsonValue } from '../types.js';
import * as A from './engine-abi.js';
import { MAX_VALUE_DEPTH, Tag, type SymbolTable } from './engine-memory.js';
import { setOwn } from '../../core/own-key.js';

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
      const vars = new Map<string, Record<string, JsonValue>>();
      const intVars = new Set<string>();
      for (let i = 0; i < n; i++) {
        const t = p + A.MG_HEADER_BYTES + i * A.MG_TRIPLE_BYTES;
        const v = syms.name(u32[t >>> 2]);
        const key = decodeValue(u32, f64, syms, t + 8, depth + 1);
        if (typeof key === 'number') intVars.add(v);
        let goals = vars.get(v);
        if (!goals) vars.set(v, (goals = {}));
        setOwn(goals, String(key), decodeValue(u32, f64, syms, t + 16, depth + 1));
      }
      const out: Record<string, JsonValue> = {};
      for (const [v, m] of vars) setOwn(out, v, intVars.has(v) ? { __intkeys__: m } : m);
      return { __multigoal__: decodeValue(u32, f64, syms, p, depth + 1), vars: out };
    }
    case Tag.MAP: {
      const n = u32[p >>> 2];
      const out: Record<string, JsonValue> = {};
      for (let i = 0; i < n; i++) {
        setOwn(out, String(decodeValue(u32, f64, syms, p + 8 + i * 16, depth + 1)), decodeValue(u32, f64, syms, p + 16 + i * 16, depth + 1));
      }
      return out;
    }
    default: return null;
  }
}
