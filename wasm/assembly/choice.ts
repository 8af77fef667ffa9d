// The choice-point record, read and written only through these accessors
// (as std/assembly/rt/tlsf.ts does for its blocks): the offsets are the
// ABI's (abi.ts CP_*), so the host sizes the region from the same CP_BYTES.
// A record remembers the todo item it refines, the rest of the todo list,
// which method (and which choose binding) it is on, and the marks of the
// trail, arena and plan to restore when it is resumed.
import { CHOICES } from './layout';
import {
  CP_BYTES, CP_KIND, CP_METHOD, CP_ITEM, CP_REST, CP_TRAIL, CP_ARENA, CP_PLAN_LEN, CP_DEPTH, CP_REACHED, CP_RESUME,
  CP_PLAN_HEAP, CP_CHOOSE_IDX, CP_CHOOSE_N, CP_COST,
} from './abi';

/** What a choice point refines. */
export const KIND_TASK: i32 = 1;
export const KIND_GOAL: i32 = 2;
export const KIND_MG: i32 = 3;

/** Address of choice point i. */
@inline export function cpAt(i: i32): usize { return CHOICES + <usize>i * CP_BYTES; }

/** Fills a new choice point: at its first method, with no choose binding reached. */
@inline export function cpInit(
  c: usize, kind: i32, item: u64, rest: usize, depth: i32, trail: i32, arena: usize, planLen: i32, planHeap: usize, cost: f64,
): void {
  store<f64>(c, cost, CP_COST);
  store<i32>(c, kind, CP_KIND); store<i32>(c, 0, CP_METHOD); store<u64>(c, item, CP_ITEM); store<i32>(c, <i32>rest, CP_REST);
  store<i32>(c, trail, CP_TRAIL); store<i32>(c, <i32>arena, CP_ARENA); store<i32>(c, planLen, CP_PLAN_LEN);
  store<i32>(c, depth, CP_DEPTH); store<i32>(c, 0, CP_REACHED); store<i32>(c, 0, CP_RESUME); store<i32>(c, <i32>planHeap, CP_PLAN_HEAP);
}

/** KIND_TASK, KIND_GOAL or KIND_MG. */
@inline export function cpKind(c: usize): i32 { return load<i32>(c, CP_KIND); }
/** Index of the method being tried, in the item's method list. */
@inline export function cpMethod(c: usize): i32 { return load<i32>(c, CP_METHOD); }
@inline export function cpSetMethod(c: usize, m: i32): void { store<i32>(c, m, CP_METHOD); }
/** The todo item refined. */
@inline export function cpItem(c: usize): u64 { return load<u64>(c, CP_ITEM); }
/** The rest of the todo list when the choice point was made. */
@inline export function cpRest(c: usize): usize { return <usize>load<i32>(c, CP_REST); }
/** Marks to restore on resuming: trail top, arena top, plan length and plan-heap bottom. */
@inline export function cpTrail(c: usize): i32 { return load<i32>(c, CP_TRAIL); }
@inline export function cpArena(c: usize): usize { return <usize>load<i32>(c, CP_ARENA); }
@inline export function cpPlanLen(c: usize): i32 { return load<i32>(c, CP_PLAN_LEN); }
@inline export function cpPlanHeap(c: usize): usize { return <usize>load<i32>(c, CP_PLAN_HEAP); }
/** The plan's cost so far when the choice point was made. */
@inline export function cpCost(c: usize): f64 { return load<f64>(c, CP_COST); }
/** Depth of the item in the search. */
@inline export function cpDepth(c: usize): i32 { return load<i32>(c, CP_DEPTH); }
/** How many choose bindings the current method reached. */
@inline export function cpReached(c: usize): i32 { return load<i32>(c, CP_REACHED); }
@inline export function cpSetReached(c: usize, n: i32): void { store<i32>(c, n, CP_REACHED); }
/** The binding the method's replay resumes from (bindings before it are replayed as recorded). */
@inline export function cpResume(c: usize): i32 { return load<i32>(c, CP_RESUME); }
@inline export function cpSetResume(c: usize, j: i32): void { store<i32>(c, j, CP_RESUME); }
/** The vectors of binding indices and binding counts, as the VM's choose replay takes them. */
@inline export function cpChooseIdx(c: usize): usize { return c + CP_CHOOSE_IDX; }
@inline export function cpChooseN(c: usize): usize { return c + CP_CHOOSE_N; }
/** Binding j: the index chosen, and how many there were to choose from. */
@inline export function cpBinding(c: usize, j: i32): i32 { return load<i32>(c + CP_CHOOSE_IDX + (<usize>j << 2)); }
@inline export function cpSetBinding(c: usize, j: i32, v: i32): void { store<i32>(c + CP_CHOOSE_IDX + (<usize>j << 2), v); }
@inline export function cpBindingCount(c: usize, j: i32): i32 { return load<i32>(c + CP_CHOOSE_N + (<usize>j << 2)); }
