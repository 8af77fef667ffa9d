/**
 * JSON.parse that keeps the order of integer keys under `__intkeys__`.
 *
 * A JavaScript object lists integer-like keys in ascending order, not in the
 * order they were written, but GTPyhop iterates dicts in insertion order and
 * plans depend on it (blocks_goal_splitting's goal3, say). This parser turns
 * every `"__intkeys__": {...}` object into a list of `[int, value]` pairs in
 * file order, which the planner reads the same way.
 */
import type { JsonValue } from '../types.js';
import { setOwn } from '../../core/own-key.js';

/** Parses JSON text; `__intkeys__` objects become ordered pair lists. */
export function parseOrderedJson(text: string): JsonValue {
  // Let JSON.parse find syntax errors, with its usual messages.
  JSON.parse(text);
  let i = 0;
  const ws = (): void => { while (i < text.length && ' \t\n\r'.includes(text[i])) i++; };
  const str = (): string => {
    const start = i;
    i++;
    while (text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const value = (pairs = false): JsonValue => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const obj: Record<string, JsonValue> = {};
      const list: JsonValue[] = [];
      ws();
      if (text[i] === '}') { i++; return pairs ? list : obj; }
      for (;;) {
        ws();
        const k = str();
        ws(); i++; // ':'
        const v = value(k === '__intkeys__');
        if (pairs) list.push([Number(k), v]); else setOwn(obj, k, v);
        ws();
        if (text[i++] === '}') return pairs ? list : obj;
      }
    }
    if (c === '[') {
      i++;
      const arr: JsonValue[] = [];
      ws();
      if (text[i] === ']') { i++; return arr; }
      for (;;) {
        arr.push(value());
        ws();
        if (text[i++] === ']') return arr;
      }
    }
    if (c === '"') return str();
    const m = /^(?:-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i, i + 64));
    const tok = m![0];
    i += tok.length;
    return JSON.parse(tok) as JsonValue;
  };
  return value();
}
