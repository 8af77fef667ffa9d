/**
 * The entries of a state variable as JSON gives them: symbol keys, integer
 * keys (kept in order), tuple keys, or a scalar variable.
 */
import type { JsonValue } from '../types.js';
import { InvalidArgumentError } from '../../core/errors.js';
import { child, pathText, type Path } from './engine-memory.js';

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
    if (!Array.isArray(pairs)) throw new InvalidArgumentError(`${pathText(path)}.__pairs__`, 'must be a list of [key, value] pairs');
    return pairs.map((pair, i) => {
      if (!Array.isArray(pair) || pair.length !== 2) throw new InvalidArgumentError(`${pathText(path)}.__pairs__[${i}]`, 'must be a [key, value] pair');
      const k = pair[0];
      const ok = typeof k === 'string' || (typeof k === 'number' && Number.isFinite(k))
        || (Array.isArray(k) && k.every((e) => e === null || ['string', 'number', 'boolean'].includes(typeof e)));
      if (!ok) throw new InvalidArgumentError(`${pathText(path)}.__pairs__[${i}][0]`, 'a key must be a symbol, a number or a list of those');
      return { key: k as StateKey, value: pair[1], path: () => `${pathText(path)}.__pairs__[${i}]` };
    });
  }
  if ('__intkeys__' in v) {
    const inner = v.__intkeys__;
    if (Array.isArray(inner)) {
      return inner.map((pair, i) => {
        if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[0] !== 'number' || !Number.isInteger(pair[0])) {
          throw new InvalidArgumentError(`${pathText(path)}.__intkeys__[${i}]`, 'must be an [integer, value] pair');
        }
        return { key: pair[0], value: pair[1], path: child(path, pair[0], true) };
      });
    }
    if (inner === null || typeof inner !== 'object') throw new InvalidArgumentError(pathText(path), '__intkeys__ must be an object or a list of [integer, value] pairs');
    return Object.entries(inner).map(([k, value]) => {
      const n = Number(k);
      if (k.trim() === '' || !Number.isInteger(n)) throw new InvalidArgumentError(`${pathText(path)}.__intkeys__`, `key ${JSON.stringify(k)} is not an integer`);
      return { key: n, value, path: child(path, k, true) };
    });
  }
  return Object.entries(v).map(([k, value]) => ({ key: k, value, path: child(path, k, false) }));
}

