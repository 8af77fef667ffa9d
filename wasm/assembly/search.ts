// GTPyhop's seek_plan as a loop: `search` takes the first todo item and
// hands it, by kind, to applyAction, refineTask, refineUnigoal,
// refineMultigoal or a verification, as seek_plan does. A refinement
// (refine.ts) with more than one way to go pushes a choice point, and
// `backtrack` resumes the newest one with an alternative left.
import { PLAN, PLAN_CAP } from './layout';
import { SYM_ACTION, SYM_COST, SYM_TASK_START, SYM_TASK_COUNT, SYM_GOAL_START, SYM_GOAL_COUNT, FUNC_PARAMS } from './abi';
import { KIND_TASK, KIND_GOAL, KIND_MG } from './choice';
import {
  trace, traceReset, EV_TODO, EV_ACTION_APPLIED, EV_ACTION_FAILED, EV_GOAL_ACHIEVED, EV_GOAL_VERIFIED,
} from './trace';
import { NIL, isNum, f, TAG_SYM, TAG_TUPLE, TAG_MG, TAG_VERIFY_G, TAG_VERIFY_MG, tagOf, payload, seqLen, seqAt, equals } from './values';
import { stateGet, undoTo, trailTop } from './state';
import { keepForPlan } from './arena';
import {
  mgAchieved, forgetVerified, verifyCount, verifyFn, verifyVar, verifyKey, verifyValue, verifyGoalDepth, verifyMg, verifyMgDepth,
} from './goals';
import {
  status, fail, failWith, resetStatus, ST_RUNNING, ST_PLAN, ST_NO_PLAN, ST_ERR_NOT_DISPATCHABLE, ST_ERR_VERIFY_G, ST_ERR_VERIFY_MG,
  ST_ERR_ARITY, ST_ERR_COST, ST_LIMIT_DEPTH, ST_LIMIT_PLAN_LENGTH, ST_SPACE_PLAN,
} from './status';
import { run, push, funcField, retVal, R_FAIL, R_ERROR, R_VALUE } from './vm';
import { arenaTop, arenaSet } from './arena';
import { refine, backtrack } from './refine';
import {
  NEXT, BACKTRACK, STOP, HALT, planLen, expansions, backtracks, maxDepthSeen, choicePeak, csp, verifyGoals, maxExpansions, maxDepth,
  maxPlan, resumeDepth, costOn, planCost, costBound, setPlanCost, sym, mgMethodCount, mgMethodList, methodList, expand,
} from './search-state';

export { planLen, expansions, backtracks, maxDepthSeen, choicePeak } from './search-state';

/** Starts a search: limits and switches for the call. */
export function setSearch(level: i32, verify: bool, maxExp: f64, maxD: i32, maxP: i32): void {
  traceReset(level); verifyGoals = verify; maxExpansions = maxExp >= 9.0e18 || isNaN(maxExp) ? I64.MAX_VALUE : maxExp < 0 ? 0 : <i64>maxExp; maxDepth = maxD; maxPlan = maxP;
  csp = 0; planLen = 0; setPlanCost(0); expansions = 0; backtracks = 0; maxDepthSeen = 0; choicePeak = 0; forgetVerified(0);
}

/**
 * GTPyhop's _apply_action_and_continue: runs action act on the state for
 * item (n elements); applied, the item joins the plan (NEXT); not
 * applicable, BACKTRACK.
 */
@inline function applyAction(name: u32, act: i32, item: u64, n: i32, depth: i32): i32 {
  if (!expand()) return HALT;
  if (funcField(act, FUNC_PARAMS) != n - 1) { failWith(ST_ERR_ARITY, <u64>act, item); return HALT; }
  const mark = trailTop;
  for (let i = 1; i < n; i++) push(load<u64>(seqAt(item, i)));
  const r = status == ST_RUNNING ? run(act) : R_ERROR;
  if (r == R_ERROR) return HALT;
  if (r == R_FAIL) {
    undoTo(mark);
    trace(3, EV_ACTION_FAILED, depth, act, item);
    return BACKTRACK;
  }
  if (costOn) {
    // The branch-and-bound's one comparison: a branch that reaches the best plan's cost cannot beat it (costs are >= 0).
    const total = planCost + actionCost(name, item, n);
    if (status != ST_RUNNING) return HALT;
    if (total >= costBound) {
      undoTo(mark);
      trace(3, EV_ACTION_FAILED, depth, act, item);
      return BACKTRACK;
    }
    setPlanCost(total);
  }
  if (planLen >= maxPlan) { fail(ST_LIMIT_PLAN_LENGTH); return HALT; }
  if (planLen >= PLAN_CAP) { fail(ST_SPACE_PLAN); return HALT; }
  // The plan keeps its own copy of the item, so that the arena it came from can be reused.
  const kept = keepForPlan(item);
  if (status != ST_RUNNING) return HALT;
  store<u64>(PLAN + (<usize>planLen << 3), kept);
  planLen++;
  trace(3, EV_ACTION_APPLIED, depth, act, item);
  return NEXT;
}

/**
 * The cost of the action just applied for item: its `cost` expression (a
 * helper with the action's parameters, on the state the action produced),
 * else 1. Not a non-negative finite number: ST_ERR_COST (status set).
 */
function actionCost(name: u32, item: u64, n: i32): f64 {
  const cf = sym(name, SYM_COST);
  if (cf < 0) return 1.0;
  const mark = arenaTop;
  for (let i = 1; i < n; i++) push(load<u64>(seqAt(item, i)));
  if (status != ST_RUNNING) return 0;
  const r = run(cf);
  if (r != R_VALUE) {
    if (status == ST_RUNNING) failWith(ST_ERR_COST, <u64>cf, NIL);
    return 0;
  }
  const v = retVal;
  const c = isNum(v) ? f(v) : -1.0;
  if (!(c >= 0 && c < Infinity)) { failWith(ST_ERR_COST, <u64>cf, v); return 0; }
  // A number holds no arena memory: what the expression built is garbage.
  arenaSet(mark);
  return c;
}

/** GTPyhop's _refine_task_and_continue: the task's methods in turn. */
@inline function refineTask(name: u32, item: u64, rest: usize, depth: i32): i32 {
  return refine(KIND_TASK, sym(name, SYM_TASK_COUNT), methodList(name, SYM_TASK_START), item, rest, depth);
}

/**
 * GTPyhop's _refine_unigoal_and_continue: nothing to do when the state
 * already has the goal's value (NEXT), else the variable's goal methods.
 */
@inline function refineUnigoal(name: u32, item: u64, n: i32, rest: usize, depth: i32): i32 {
  if (n != 3) { failWith(ST_ERR_ARITY, <u64>-1, item); return HALT; }
  if (equals(stateGet(name, load<u64>(seqAt(item, 1))), load<u64>(seqAt(item, 2)))) {
    trace(3, EV_GOAL_ACHIEVED, depth, -1, item);
    return NEXT;
  }
  return refine(KIND_GOAL, sym(name, SYM_GOAL_COUNT), methodList(name, SYM_GOAL_START), item, rest, depth);
}

/** GTPyhop's _refine_multigoal_and_continue: the multigoal methods in turn. */
@inline function refineMultigoal(item: u64, rest: usize, depth: i32): i32 {
  return refine(KIND_MG, mgMethodCount(), mgMethodList(), item, rest, depth);
}

/**
 * The check verify_goals puts after a unigoal's method: the state must now
 * have the goal's value (payload [fn, var, key, value, depth]).
 */
@inline function verifyUnigoal(item: u64): i32 {
  const v = verifyVar(item), k = verifyKey(item), val = verifyValue(item);
  if (!equals(stateGet(payload(v), k), val)) {
    failWith(ST_ERR_VERIFY_G, verifyFn(item), v, k, val, verifyGoalDepth(item));
    return HALT;
  }
  trace(3, EV_GOAL_VERIFIED, <i32>verifyGoalDepth(item), <i32>verifyFn(item), NIL);
  return NEXT;
}

/** The check after a multigoal's method: every goal of it holds now (payload [fn, mg, depth]). */
@inline function verifyMultigoal(item: u64): i32 {
  const mg = verifyMg(item);
  if (!mgAchieved(mg)) {
    failWith(ST_ERR_VERIFY_MG, verifyFn(item), mg, verifyMgDepth(item));
    return HALT;
  }
  trace(3, EV_GOAL_VERIFIED, <i32>verifyMgDepth(item), <i32>verifyFn(item), mg);
  return NEXT;
}

/**
 * A tuple item, by what its head names: an action, a task or a state
 * variable with goal methods (a unigoal), in GTPyhop's order.
 */
@inline function seekTuple(item: u64, t: u32, rest: usize, depth: i32): i32 {
  const n = t == TAG_TUPLE ? seqLen(item) : 0;
  const head = n > 0 ? load<u64>(seqAt(item, 0)) : NIL;
  if (tagOf(head) != TAG_SYM) { failWith(ST_ERR_NOT_DISPATCHABLE, item, <u64>depth); return HALT; }
  const name = payload(head);
  const act = sym(name, SYM_ACTION);
  if (act >= 0) return applyAction(name, act, item, n, depth);
  if (sym(name, SYM_TASK_COUNT) > 0) return refineTask(name, item, rest, depth);
  if (sym(name, SYM_GOAL_COUNT) > 0) return refineUnigoal(name, item, n, rest, depth);
  failWith(ST_ERR_NOT_DISPATCHABLE, item, <u64>depth);
  return HALT;
}

/** Runs the search from todo (a todo cell address or 0); returns the final status. */
export function search(todo0: usize): i32 { return searchFrom(todo0, 0); }

/**
 * After a plan (status ST_PLAN): backtracks from it to the newest choice
 * point with an alternative left and searches on, under the bound set by
 * setBound, for the next plan (cheaper: costs on). ST_NO_PLAN when no choice
 * point is left: the search space is exhausted.
 */
export function resumeSearch(): i32 {
  resetStatus();
  const next = backtrack();
  if (status != ST_RUNNING) return status;
  if (next < 0) { fail(ST_NO_PLAN); return status; }
  return searchFrom(<usize>next, resumeDepth);
}

function searchFrom(todo0: usize, depth0: i32): i32 {
  let todo = todo0;
  let depth = depth0;
  while (true) {
    if (status != ST_RUNNING) return status;
    if (depth > maxDepthSeen) maxDepthSeen = depth;
    if (depth > maxDepth) { fail(ST_LIMIT_DEPTH); return status; }
    trace(2, EV_TODO, depth, -1, todo == 0 ? NIL : load<u64>(todo));
    if (todo == 0) { fail(ST_PLAN); return status; }
    const item = load<u64>(todo);
    const rest = <usize>load<u64>(todo, 8);
    const t = tagOf(item);
    let next: i32;
    if (t == TAG_MG) next = refineMultigoal(item, rest, depth);
    else if (t == TAG_VERIFY_G) next = verifyUnigoal(item);
    else if (t == TAG_VERIFY_MG) next = verifyMultigoal(item);
    else next = seekTuple(item, t, rest, depth);
    if (next == HALT) return status;
    if (next == NEXT) {
      todo = rest;
      depth += t == TAG_VERIFY_MG ? verifyCount(item) : 1;
      // Merged verifications stand for one item per depth: the depth limit stops at the first past it, as GTPyhop's would.
      if (depth - 1 > maxDepth) depth = maxDepth + 1;
      continue;
    }
    if (next == BACKTRACK && status == ST_RUNNING) next = backtrack();
    if (next == STOP || status != ST_RUNNING) return status == ST_RUNNING ? ST_NO_PLAN : status;
    if (next == BACKTRACK) { fail(ST_NO_PLAN); return status; }
    todo = <usize>next;
    depth = resumeDepth;
  }
  return status;
}
