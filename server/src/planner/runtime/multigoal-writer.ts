/**
 * Encodes a multigoal value into the engine's memory: its name, its goals
 * as (var, key, value) triples, and room for the index the engine builds
 * over them (mgIndex), so that both sides hash alike.
 */
import type { JsonValue } from '../types.js';
import { InvalidArgumentError } from '../../core/errors.js';
import { Tag, encodeKey, encodeValue, pathText, stateKeys, type Path, type StateEntry, type SymbolTable, type WordWriter } from './engine-values.js';

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
