// A bump arena for objects made while planning: tuples, lists, sets, mg.var
// cells, todo cells and verification items. Backtracking resets its top to
// the mark of the choice point, which frees everything made after it, so the
// search loop never calls a general allocator.
import { ARENA, ARENA_END } from './layout';
import { fail, ST_SPACE_ARENA } from './status';

export let arenaTop: usize = 0;
export let arenaPeak: usize = 0;

export function arenaReset(top: usize): void { arenaTop = top; arenaPeak = top; }
@inline export function arenaSet(top: usize): void { arenaTop = top; }

/** Allocates n 8-byte words; 0 (and status ST_SPACE_ARENA) when full. */
export function alloc(words: i32): usize {
  const p = arenaTop;
  const end = p + (<usize>words << 3);
  if (end > ARENA_END) { fail(ST_SPACE_ARENA); return 0; }
  arenaTop = end;
  if (end > arenaPeak) arenaPeak = end;
  return p;
}

/** A todo cell [item, next]; next is a cell address or 0. */
export function cons(item: u64, next: usize): usize {
  const p = alloc(2);
  if (p == 0) return 0;
  store<u64>(p, item);
  store<u64>(p, <u64>next, 8);
  return p;
}
