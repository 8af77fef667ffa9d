// Refining a task, unigoal or multigoal with its methods: the sole method
// of a list directly, else through a choice point (choice.ts) that
// backtracking resumes at its next alternative. The rest of the todo list is
// always the one the choice point was made with, so a failed goal method
// never leaks its subgoals into the next method (GTPyhop 1.1's goal-method
// bug).
import { CHOICE_CAP } from './layout';
import { FUNC_PARAMS, FUNC_KIND, CHOOSE_FLAG, SPLIT_MULTIGOAL, SYM_TASK_START, SYM_TASK_COUNT, SYM_GOAL_START, SYM_GOAL_COUNT } from './abi';
import {
  KIND_TASK, KIND_GOAL, KIND_MG, cpAt, cpInit, cpKind, cpMethod, cpSetMethod, cpItem, cpRest, cpTrail, cpArena, cpPlanLen,
  cpPlanHeap, cpCost, cpDepth, cpReached, cpSetReached, cpResume, cpSetResume, cpChooseIdx, cpChooseN, cpBinding, cpSetBinding,
  cpBindingCount,
} from './choice';
import { trace, traceLevel, EV_METHOD_TRIED, EV_METHOD_FAILED, EV_BACKTRACK } from './trace';
import { NIL, TAG_TUPLE, TAG_LIST, tagOf, payload, seqLen, seqAt } from './values';
import { undoTo, trailTop, truncateTrail } from './state';
import { cons, arenaTop, arenaSet, compact, isNew, arenaFloor, planHeap, planHeapSet, pinTop, unpinTo } from './arena';
import { splitMultigoal, forgetVerified, mergeableCount, pushVerifyGoal, pushVerifyMg } from './goals';
import { status, fail, failWith, ST_RUNNING, ST_ERR_ARITY, ST_ERR_BAD_DECOMP, ST_SPACE_CHOICES } from './status';
import { run, push, retVal, funcField, R_VALUE, R_FAIL, R_ERROR } from './vm';
import * as V from './vm';
import {
  BACKTRACK, STOP, planLen, planCost, setPlanCost, backtracks, choicePeak, csp, verifyGoals, resumeDepth, sym, mgMethodCount, mgMethodList, methodList, expand,
} from './search-state';

/** Pushes the items of a decomposition list in front of todo. */
@inline function prepend(list: u64, todo: usize): usize {
  const n = seqLen(list);
  for (let i = n - 1; i >= 0; i--) {
    todo = cons(load<u64>(seqAt(list, i)), todo);
    if (todo == 0) return 0;
  }
  return todo;
}

/** Pushes a choice point for item; returns false when the stack is full. */
function pushChoice(kind: i32, item: u64, rest: usize, depth: i32): bool {
  if (csp >= CHOICE_CAP) { fail(ST_SPACE_CHOICES); return false; }
  const c = cpAt(csp++);
  if (csp > choicePeak) choicePeak = csp;
  cpInit(c, kind, item, rest, depth, trailTop, arenaTop, planLen, planHeap, planCost);
  return true;
}

/** Moves the top choice point to its next alternative: the next binding, else the next method. */
function advance(c: usize): void {
  let j = cpReached(c) - 1;
  while (j >= 0) {
    const b = cpBinding(c, j);
    if (b + 1 < cpBindingCount(c, j)) {
      cpSetBinding(c, j, b + 1);
      cpSetResume(c, j + 1);
      return;
    }
    j--;
  }
  cpSetMethod(c, cpMethod(c) + 1);
  cpSetResume(c, 0);
}

/** Whether the top choice point has an alternative left: a choose binding to advance, or another method. */
function hasAlternative(c: usize, count: i32): bool {
  if (cpMethod(c) + 1 < count) return true;
  const reached = cpReached(c);
  for (let j = 0; j < reached; j++) {
    if (cpBinding(c, j) + 1 < cpBindingCount(c, j)) return true;
  }
  return false;
}

/**
 * Whether the top choice point, whose method has just succeeded, has nothing
 * left to try: backtracking would only pop it, so it is dropped. With no
 * choice point left, no write can be undone any more, so the trail is
 * emptied too. Both keep memory proportional to the choices still open, not
 * to the plan. Level-3 traces keep it, since backtracking through it is a
 * traced event.
 */
@inline function isDone(c: usize, count: i32): bool { return traceLevel < 3 && !hasAlternative(c, count); }

function drop(): void {
  csp--;
  if (csp == 0) truncateTrail();
}

/**
 * Lowest arena address the result of a method may be compacted down to
 * when its choice point is about to be dropped: above the todo list's rest
 * (a cell reaches only older objects, which lie below it), the mark of the
 * choice point below (index `below`, -1 for none: its items) and what the state holds (pinTop). The
 * rest of the arena above it, the refined item's frame included, is
 * garbage once the result is moved. `mark` (no early reclaim) when the
 * goal's verification item would hold objects of that garbage.
 */
@inline function reclaimMark(rest: usize, kind: i32, item: u64, mark: usize, below: i32): usize {
  let low = below >= 0 ? cpArena(cpAt(below)) : arenaFloor;
  if (pinTop > low) low = pinTop;
  if (rest != 0 && rest + 16 > low) low = rest + 16;
  // Only the item's own todo cell to reclaim (a task right after its parent's method): it is left for
  // the next compaction below it, rather than the result moved down by 16 bytes.
  if (low + 16 >= mark) return mark;
  if (verifyGoals && kind == KIND_MG && isNew(item, low)) return mark;
  if (verifyGoals && kind == KIND_GOAL && (isNew(load<u64>(seqAt(item, 1)), low) || isNew(load<u64>(seqAt(item, 2)), low))) return mark;
  return low;
}

/** Method list of a choice point: address of the first fn index and the count. */
function methodsOf(c: usize): u64 {
  const kind = cpKind(c);
  if (kind == KIND_MG) return (<u64>mgMethodList() << 32) | <u64>mgMethodCount();
  const name = payload(load<u64>(seqAt(cpItem(c), 0)));
  const list = methodList(name, kind == KIND_TASK ? SYM_TASK_START : SYM_GOAL_START);
  const count = sym(name, kind == KIND_TASK ? SYM_TASK_COUNT : SYM_GOAL_COUNT);
  return (<u64>list << 32) | <u64>count;
}

/**
 * Tries the alternatives of the top choice point from its current one. On
 * success returns the new todo list (and sets *depth via the return of
 * `resumeDepth`); on exhaustion pops it and returns BACKTRACK; on error STOP.
 */
function tryChoice(): i32 {
  const c = cpAt(csp - 1);
  const cpMark = cpArena(c);
  forgetVerified(cpMark);
  undoTo(cpTrail(c)); arenaSet(cpMark); unpinTo(cpMark);
  planLen = cpPlanLen(c); planHeapSet(cpPlanHeap(c)); setPlanCost(cpCost(c));
  const kind = cpKind(c); const item = cpItem(c); const depth = cpDepth(c);
  const ml = methodsOf(c);
  const list = <usize>(ml >> 32); const count = <i32>ml;
  while (cpMethod(c) < count) {
    if (!expand()) return STOP;
    const fn = load<i32>(list + (<usize>cpMethod(c) << 2));
    trace(3, EV_METHOD_TRIED, depth, fn, item);
    const mark = arenaTop;
    let r: i32;
    if (fn == SPLIT_MULTIGOAL) {
      cpSetReached(c, 0); // no choose bindings: none of an earlier method's may linger
      V.setRet(splitMultigoal(item));
      r = status == ST_RUNNING ? R_VALUE : R_ERROR;
    } else {
      V.setChoose(cpChooseIdx(c), cpChooseN(c), cpResume(c));
      if (!pushArgs(kind, fn, item)) return STOP;
      r = run(fn);
      cpSetReached(c, V.chooseReached);
      if (r == R_FAIL) arenaSet(mark);
    }
    if (r == R_ERROR) return STOP;
    if (r == R_VALUE) {
      const td = tagOf(retVal);
      if (td == TAG_LIST || td == TAG_TUPLE) {
        const done = isDone(c, count);
        const todo = decomposition(kind, fn, item, depth, cpRest(c), mark, done ? csp - 2 : -2);
        if (todo < 0) return STOP;
        resumeDepth = depth + 1;
        if (done) drop();
        return todo;
      }
      if (!notApplicable(fn, mark)) return STOP;
    }
    trace(3, EV_METHOD_FAILED, depth, fn, item);
    advance(c);
  }
  csp--;
  return BACKTRACK;
}

/** Pushes method fn's arguments for item (a multigoal, or a task or unigoal tuple); false (status set) on a wrong arity. */
@inline function pushArgs(kind: i32, fn: i32, item: u64): bool {
  if (kind == KIND_MG) {
    if (funcField(fn, FUNC_PARAMS) != 1) { failWith(ST_ERR_ARITY, <u64>fn, item); return false; }
    push(item);
  } else {
    const n = seqLen(item);
    if (funcField(fn, FUNC_PARAMS) != n - 1) { failWith(ST_ERR_ARITY, <u64>fn, item); return false; }
    for (let i = 1; i < n; i++) push(load<u64>(seqAt(item, i)));
  }
  return status == ST_RUNNING;
}

/**
 * A method's answer that is not a list: GTPyhop treats False and None as
 * "not applicable" (true); anything else is a domain bug (false, status set).
 */
function notApplicable(fn: i32, mark: usize): bool {
  const d = compact(retVal, mark);
  if (d == V.FALSE_VALUE || d == NIL) return true;
  failWith(ST_ERR_BAD_DECOMP, <u64>fn, d);
  return false;
}

/**
 * Method fn's decomposition of item (retVal, a list or tuple, made from
 * arena mark on) in front of rest, after the goal's verification when
 * verify_goals is on: the new todo list, or STOP (status set). `below`: when
 * the item's choice point is done (or it had none), the index of the
 * choice point under it (-1: none), and the result moves down over what is
 * no longer live (reclaimMark); -2 when the choice point stays open.
 */
@inline function decomposition(kind: i32, fn: i32, item: u64, depth: i32, rest0: usize, mark: usize, below: i32): i32 {
  let rest = rest0;
  const verify = verifyGoals && kind != KIND_TASK;
  // Read before compaction, which may reuse the memory of the verification it replaces.
  const merged = verify && kind == KIND_MG && traceLevel < 2 ? mergeableCount(rest, fn, item) : 0;
  if (merged != 0) rest = <usize>load<u64>(rest, 8);
  const low = below >= -1 ? reclaimMark(rest, kind, item, mark, below) : mark;
  // A unigoal's tuple may lie in the memory the compaction reuses (a goal made by the
  // method that ended its parent's list): its fields are read before (reclaimMark keeps
  // the fields' own objects, and a multigoal, alive).
  const isGoal = verify && kind == KIND_GOAL;
  const gVar = isGoal ? load<u64>(seqAt(item, 0)) : 0;
  const gKey = isGoal ? load<u64>(seqAt(item, 1)) : 0;
  const gVal = isGoal ? load<u64>(seqAt(item, 2)) : 0;
  if (low < mark) forgetVerified(low);
  const d = fn == SPLIT_MULTIGOAL && low == mark ? retVal : compact(retVal, low);
  if (status != ST_RUNNING) return STOP;
  if (verify) {
    rest = isGoal ? pushVerifyGoal(fn, gVar, gKey, gVal, depth, rest) : pushVerifyMg(fn, item, depth, rest, merged);
    if (rest == 0) return STOP;
  }
  const todo = prepend(d, rest);
  return status != ST_RUNNING ? STOP : <i32>todo;
}

/**
 * The one method of a task, unigoal or multigoal when it has no `choose`:
 * a choice point would have nothing to try after it, so none is made
 * (tryChoice would drop it at once), and the rest is what tryChoice does.
 * Returns the new todo list, BACKTRACK when the method is not applicable,
 * STOP on an error or limit.
 */
function onlyMethod(kind: i32, fn: i32, item: u64, rest: usize, depth: i32): i32 {
  if (!expand()) return STOP;
  const mark = arenaTop;
  if (!pushArgs(kind, fn, item)) return STOP;
  const r = run(fn);
  if (r == R_ERROR) return STOP;
  if (r == R_VALUE) {
    const td = tagOf(retVal);
    if (td == TAG_LIST || td == TAG_TUPLE) {
      const todo = decomposition(kind, fn, item, depth, rest, mark, csp - 1);
      // As drop() does: with no choice point open, no write can be undone any more.
      if (csp == 0) truncateTrail();
      return todo;
    }
    if (!notApplicable(fn, mark)) return STOP;
  }
  arenaSet(mark);
  return BACKTRACK;
}

/** The only method of a method list (count, first index) when onlyMethod may run it, else -1. */
@inline function soleMethod(count: i32, first: usize): i32 {
  if (count != 1 || traceLevel >= 3) return BACKTRACK;
  const fn = load<i32>(first);
  return fn >= 0 && (funcField(fn, FUNC_KIND) & CHOOSE_FLAG) == 0 ? fn : -1;
}

/**
 * Refines item (a task, unigoal or multigoal) with its
 * methods, the count at `first`: the sole method directly, else through a
 * choice point. As tryChoice: the new todo list, BACKTRACK or STOP (error
 * or limit, status set).
 */
@inline export function refine(kind: i32, count: i32, first: usize, item: u64, rest: usize, depth: i32): i32 {
  const only = soleMethod(count, first);
  if (only >= 0) {
    resumeDepth = depth + 1;
    return onlyMethod(kind, only, item, rest, depth);
  }
  if (!pushChoice(kind, item, rest, depth)) return STOP;
  return tryChoice();
}

/** Backtracks to the newest choice point with an alternative left; BACKTRACK when none. */
export function backtrack(): i32 {
  while (csp > 0) {
    backtracks++;
    const c = cpAt(csp - 1);
    trace(3, EV_BACKTRACK, cpDepth(c), -1, cpItem(c));
    advance(c);
    const r = tryChoice();
    if (r != BACKTRACK) return r;
  }
  return BACKTRACK;
}
