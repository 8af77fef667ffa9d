/**
 * The fixed vocabulary of generated domains: state variables, constants
 * and helper functions every generated domain declares, so that any body
 * the generator writes refers only to names that exist.
 *
 * State variables: loc (object -> place, with unigoal methods), n (object
 * -> integer, with unigoal methods), flag (object -> boolean), seen (keys
 * added by actions: new keys, and their order after backtracking), cnt (a
 * scalar integer) and mode (a scalar place).
 */
import type { Tape } from './tape.js';

/** Objects (keys of loc, n and flag). */
export const OBJECTS = ['a', 'b', 'c'] as const;
/** Places (values of loc). */
export const PLACES = ['p', 'q', 'r'] as const;

/** The declarations every generated domain starts with. */
export const PRELUDE = `var loc, n, flag, seen, cnt, mode
const objs = ['a', 'b', 'c']
const places = {'p', 'q', 'r'}
const cost = {'p': 1, 'q': 2, 'r': 3}`;

/**
 * The helpers, one variant each chosen by the tape. Between them: a
 * filter that the JIT fuses into loops over it (`at`), helpers the JIT
 * memoises across actions (they loop, build lists or call helpers:
 * total, score, busy), a bounded recursion (sumto) and a plain predicate.
 */
export function helpers(t: Tape): string {
  const at = t.one([
    "fn at(p) { return [o for o in loc if loc[o] == p] }",
    "fn at(p) { return [o for o in loc if loc[o] == p and flag[o] != true] }",
    "fn at(p) { let r = []\n  for o in objs { if loc[o] == p { r = r + [o] } }\n  return r }",
  ]);
  const total = t.one([
    "fn total() { let s = 0\n  for o in n { s = s + n[o] }\n  return s }",
    "fn total() { let s = 0\n  for o, v in n { if v > 0 { s = s + v } }\n  return s }",
    "fn total() { return len([o for o in n if n[o] > 1]) }",
  ]);
  const score = t.one([
    "fn score(x) { return n[x] + len(at(loc[x])) }",
    "fn score(x) { if flag[x] { return busy(loc[x]) }\n  return n[x] }",
  ]);
  const busy = t.one([
    "fn busy(p) { return len(at(p)) }",
    "fn busy(p) { let k = 0\n  for o in at(p) { k = k + 1 }\n  return k }",
  ]);
  const ok = t.one([
    "fn ok(x) { return flag[x] == true }",
    "fn ok(x) { return loc[x] != 'r' and x not in seen }",
  ]);
  const sumto = "fn sumto(k) { if k <= 0 { return 0 }\n  return k + sumto(k - 1) }";
  return [at, total, score, busy, ok, sumto].join('\n');
}
