/**
 * A verifier for plans in the IPC 2020 format, independent of the engine
 * and of the mapping: it reads only the parsed HDDL model. A plan is valid
 * when every action is applicable in order from the initial state, the goal
 * (if any) holds at the end, and the decomposition is a valid, complete
 * tree: the roots are the initial task network, every task node is refined
 * by a method of its task whose subtasks are its children (with one
 * consistent binding of the method's parameters, of the right types), each
 * method's precondition holds where its subtree starts, every action and
 * task node is used exactly once, and the leaves in depth-first order are
 * the actions in plan order. With partially ordered methods, a node's
 * children may be listed in any order (they are matched to the method's
 * subtasks), and instead of the depth-first order every ordering
 * constraint `(< a b)` must hold between the subtrees: each action under a
 * before each action under b (so interleaved plans of other planners
 * verify too).
 */
import { checkHddlProblem } from './check-hddl.js';
import type { HddlPlan } from './decompose.js';
import type { HddlDomain, HddlProblem, MethodDef, Ordering, Subtask } from './hddl-ast.js';
import { applyEffect, atomKey, bindings, holds, type GroundState } from './ground-eval.js';
import { PlanFormatError, readIpcPlan } from './ipc-plan.js';
import { topMethod } from './map-hddl.js';
import { closure } from './partial-order.js';
import { freeVars } from './map-formula.js';
import type { TypeTable } from './type-table.js';

/** The verdict, with every problem found (the first failing action ends the simulation). */
export interface VerifyResult {
  ok: boolean;
  errors: string[];
}

/** A method application whose precondition must hold before action number `at`. */
interface PreCheck { at: number; m: MethodDef; b: Map<string, string>; what: string }

/**
 * A method application whose children are being checked: `subs` is the
 * subtask each child stands for, `order` the pairs of children (indices)
 * whose subtrees must come one before the other, `at` where an empty
 * subtree is (for its precondition).
 */
interface Frame {
  m: MethodDef; b: Map<string, string>; children: number[]; subs: Subtask[]; order: Ordering; i: number; what: string; id: number; at: number;
}

/** Verifies a plan given in the IPC 2020 text format. */
export function verifyIpcPlan(d: HddlDomain, p: HddlProblem, text: string): VerifyResult {
  try {
    return verifyPlan(d, p, readIpcPlan(text));
  } catch (e) {
    if (e instanceof PlanFormatError) return { ok: false, errors: [e.message] };
    throw e;
  }
}

/** Binds the terms to the objects in a copy of b; undefined on a clash. */
function unifyCopy(terms: string[], objs: string[], b: Map<string, string>): Map<string, string> | undefined {
  if (terms.length !== objs.length) return undefined;
  const out = new Map(b);
  for (let i = 0; i < terms.length; i++) {
    const have = terms[i].startsWith('?') ? out.get(terms[i]) : terms[i];
    if (have === undefined) out.set(terms[i], objs[i]);
    else if (have !== objs[i]) return undefined;
  }
  return out;
}

/**
 * Which subtask each child stands for (child i is subtask perm[i]), found
 * by backtracking: the children of a partially ordered method may come in
 * any order. Undefined when no assignment unifies.
 */
function matchChildren(subs: Subtask[], kids: ({ name: string; args: string[] } | undefined)[], b: Map<string, string>): number[] | undefined {
  const perm: number[] = [];
  const used = subs.map(() => false);
  const rec = (i: number, bb: Map<string, string>): boolean => {
    if (i === kids.length) return true;
    const k = kids[i];
    if (!k) return false;
    for (let j = 0; j < subs.length; j++) {
      if (used[j] || subs[j].task !== k.name) continue;
      const nb = unifyCopy(subs[j].args, k.args, bb);
      if (!nb) continue;
      used[j] = true; perm.push(j);
      if (rec(i + 1, nb)) return true;
      used[j] = false; perm.pop();
    }
    return false;
  };
  return rec(0, b) ? perm : undefined;
}

/** Verifies a plan with its decomposition against a domain and problem. */
export function verifyPlan(d: HddlDomain, p: HddlProblem, plan: HddlPlan): VerifyResult {
  const types = checkHddlProblem(d, p);
  const errors: string[] = [];
  const methods = new Map(d.methods.map((m) => [m.name, m]));
  const actionAt = new Map(plan.actions.map((a, i) => [a.id, i]));
  const taskById = new Map(plan.tasks.map((t) => [t.id, t]));
  const used = new Set<number>();
  const checks: PreCheck[] = [];
  // With total order everywhere, the leaves in depth-first order must be the plan; with
  // partial order, every method's ordering must hold between its children's subtrees.
  const total = !p.htn.ordering && !d.methods.some((m) => m.ordering);
  /** Each visited node's first and last action position (none for an empty subtree). */
  const span = new Map<number, [number, number]>();
  let cursor = 0;
  let frontier = 0;

  const show = (name: string, args: string[]): string => `(${[name, ...args].join(' ')})`;
  /** Binds the method's terms to the given objects; false (with an error) on a clash. */
  const unify = (terms: string[], objs: string[], b: Map<string, string>, what: string): boolean => {
    if (terms.length !== objs.length) { errors.push(`${what}: ${terms.length} argument(s) expected, ${objs.length} given`); return false; }
    for (let i = 0; i < terms.length; i++) {
      const t = terms[i];
      const have = t.startsWith('?') ? b.get(t) : t;
      if (have === undefined) b.set(t, objs[i]);
      else if (have !== objs[i]) { errors.push(`${what}: argument ${i + 1} is ${objs[i]}, but the method needs ${have}`); return false; }
    }
    return true;
  };
  const nodeOf = (id: number): { name: string; args: string[] } | undefined => {
    const ai = actionAt.get(id);
    if (ai !== undefined) return { name: plan.actions[ai].name, args: plan.actions[ai].args };
    const node = taskById.get(id);
    return node ? { name: node.task, args: node.args } : undefined;
  };
  /** Visits a child of a method application: the node must be what the subtask, bound by b, names. */
  const visitChild = (id: number, s: Subtask, b: Map<string, string>, what: string): void => {
    const n = nodeOf(id);
    if (!n) { errors.push(`${what}: unknown id ${id}`); return; }
    if (n.name !== s.task) { errors.push(`${what}: id ${id} is ${show(n.name, n.args)}, but the subtask is '${s.task}'`); return; }
    if (!unify(s.args, n.args, b, `${what}, subtask ${show(s.task, s.args)}`)) return;
    visit(id);
  };
  // An explicit stack, not recursion: decompositions can be thousands of levels deep.
  const stack: Frame[] = [];
  const applyMethod = (m: MethodDef, args: string[], children: number[], what: string, id: number): void => {
    const b = new Map<string, string>();
    if (!unify(m.taskArgs, args, b, what)) return;
    if (children.length !== m.subtasks.length) { errors.push(`${what}: method ${m.name} has ${m.subtasks.length} subtask(s), ${children.length} given`); return; }
    let subs = m.subtasks;
    let order: Ordering = [];
    if (m.ordering) {
      const perm = matchChildren(m.subtasks, children.map(nodeOf), b);
      if (!perm) { errors.push(`${what}: its children ${children.join(' ')} are not the subtasks of method ${m.name} in any order`); return; }
      subs = perm.map((j) => m.subtasks[j]);
      const childOf = new Map(perm.map((j, i) => [j, i]));
      order = closure(m.subtasks.length, m.ordering).map(([x, y]) => [childOf.get(x)!, childOf.get(y)!]);
    } else if (!total) {
      for (let x = 0; x < subs.length; x++) for (let y = x + 1; y < subs.length; y++) order.push([x, y]);
    }
    stack.push({ m, b, children, subs, order, i: 0, what, id, at: total ? cursor : frontier });
  };
  const visit = (id: number): void => {
    if (used.has(id)) { errors.push(`id ${id} is used more than once in the decomposition`); return; }
    used.add(id);
    const ai = actionAt.get(id);
    if (ai !== undefined) {
      if (total && ai !== cursor) errors.push(`action ${id} ${show(plan.actions[ai].name, plan.actions[ai].args)} is at position ${ai + 1} of the plan, but the decomposition puts it at ${cursor + 1}`);
      span.set(id, [ai, ai]);
      frontier = Math.max(frontier, ai + 1);
      cursor++;
      return;
    }
    const node = taskById.get(id)!;
    const what = `task ${id} ${show(node.task, node.args)}`;
    const t = d.tasks.get(node.task);
    if (!t) { errors.push(`${what}: '${node.task}' is not an abstract task`); return; }
    const m = methods.get(node.method);
    if (!m) { errors.push(`${what}: unknown method '${node.method}'`); return; }
    if (m.task !== node.task) { errors.push(`${what}: method ${m.name} refines '${m.task}', not '${node.task}'`); return; }
    node.args.forEach((o, i) => { if (!types.objectIs(o, t.params[i]?.type ?? 'object')) errors.push(`${what}: argument ${o} is not a ${t.params[i]?.type}`); });
    applyMethod(m, node.args, node.children, what, id);
  };

  const top = topMethod(p);
  if (plan.roots.length !== top.subtasks.length) errors.push(`root: the initial task network has ${top.subtasks.length} task(s), ${plan.roots.length} given`);
  else applyMethod(top, [], plan.roots, 'root', -1);
  while (stack.length > 0) {
    const f = stack[stack.length - 1];
    if (f.i < f.children.length) {
      const i = f.i++;
      visitChild(f.children[i], f.subs[i], f.b, f.what);
      continue;
    }
    stack.pop();
    // Types once every subtask has bound what it binds.
    for (const prm of f.m.params) {
      const o = f.b.get(prm.name);
      if (o !== undefined && !types.objectIs(o, prm.type)) errors.push(`${f.what}: ${prm.name} = ${o} is not a ${prm.type}`);
    }
    for (const [x, y] of f.order) {
      const sx = span.get(f.children[x]);
      const sy = span.get(f.children[y]);
      if (sx && sy && sx[1] >= sy[0]) errors.push(`${f.what}: the actions of subtask ${show(f.subs[x].task, f.subs[x].args)} (id ${f.children[x]}) must all come before those of ${show(f.subs[y].task, f.subs[y].args)} (id ${f.children[y]})`);
    }
    let lo = Infinity;
    let hi = -1;
    for (const c of f.children) { const sc = span.get(c); if (sc) { lo = Math.min(lo, sc[0]); hi = Math.max(hi, sc[1]); } }
    if (hi >= 0) span.set(f.id, [lo, hi]);
    // The precondition holds where the subtree starts: before its first action.
    checks.push({ at: hi >= 0 ? lo : f.at, m: f.m, b: f.b, what: f.what });
  }
  for (const a of plan.actions) if (!used.has(a.id)) errors.push(`action ${a.id} ${show(a.name, a.args)} is not in the decomposition`);
  for (const t of plan.tasks) if (!used.has(t.id)) errors.push(`task ${t.id} ${show(t.task, t.args)} is not in the decomposition`);
  simulate(d, p, types, plan, checks, errors);
  return { ok: errors.length === 0, errors };
}

/** Runs the actions from the initial state, checking method preconditions where their subtrees start. */
function simulate(d: HddlDomain, p: HddlProblem, types: TypeTable, plan: HddlPlan, checks: PreCheck[], errors: string[]): void {
  let s: GroundState = new Set(p.init.map((a) => atomKey(a.pred, a.args)));
  const byPos = new Map<number, PreCheck[]>();
  for (const c of checks) {
    const l = byPos.get(c.at);
    if (l) l.push(c); else byPos.set(c.at, [c]);
  }
  for (let i = 0; i <= plan.actions.length; i++) {
    for (const c of byPos.get(i) ?? []) {
      // Parameters no subtask binds are existential: some objects of their types must satisfy the precondition.
      const open = [...freeVars(c.m.pre)].filter((v) => !c.b.has(v)).map((v) => c.m.params.find((x) => x.name === v)!);
      if (!bindings(open, types, c.b, (bb) => holds(c.m.pre, s, bb, types))) errors.push(`${c.what}: the precondition of ${c.m.name === '__top' ? 'the initial task network' : `method ${c.m.name}`} does not hold`);
    }
    if (i === plan.actions.length) break;
    const step = plan.actions[i];
    const a = d.actions.get(step.name);
    const what = `action ${step.id} (${[step.name, ...step.args].join(' ')})`;
    if (!a) { errors.push(`${what}: unknown action '${step.name}'`); return; }
    if (a.params.length !== step.args.length) { errors.push(`${what}: '${a.name}' takes ${a.params.length} argument(s)`); return; }
    const b = new Map<string, string>();
    let typed = true;
    a.params.forEach((prm, j) => {
      b.set(prm.name, step.args[j]);
      if (!types.objectIs(step.args[j], prm.type)) { errors.push(`${what}: ${step.args[j]} is not a ${prm.type}`); typed = false; }
    });
    if (!typed) return;
    if (!holds(a.pre, s, b, types)) { errors.push(`${what}: not applicable at step ${i + 1}`); return; }
    s = applyEffect(a.effect, s, b, types);
  }
  if (p.goal && !holds(p.goal, s, new Map(), types)) errors.push('the goal does not hold at the end of the plan');
}
