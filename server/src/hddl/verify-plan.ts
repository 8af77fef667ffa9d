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
 * the actions in plan order.
 */
import { checkHddlProblem } from './check-hddl.js';
import type { HddlPlan } from './decompose.js';
import type { HddlDomain, HddlProblem, MethodDef, Subtask } from './hddl-ast.js';
import { applyEffect, atomKey, bindings, holds, type GroundState } from './ground-eval.js';
import { PlanFormatError, readIpcPlan } from './ipc-plan.js';
import { topMethod } from './map-hddl.js';
import { freeVars } from './map-formula.js';
import type { TypeTable } from './type-table.js';

/** The verdict, with every problem found (the first failing action ends the simulation). */
export interface VerifyResult {
  ok: boolean;
  errors: string[];
}

/** A method application whose precondition must hold before action number `at`. */
interface PreCheck { at: number; m: MethodDef; b: Map<string, string>; what: string }

/** A method application whose children are being checked. */
interface Frame { m: MethodDef; b: Map<string, string>; children: number[]; i: number; what: string }

/** Verifies a plan given in the IPC 2020 text format. */
export function verifyIpcPlan(d: HddlDomain, p: HddlProblem, text: string): VerifyResult {
  try {
    return verifyPlan(d, p, readIpcPlan(text));
  } catch (e) {
    if (e instanceof PlanFormatError) return { ok: false, errors: [e.message] };
    throw e;
  }
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
  let cursor = 0;

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
  /** Visits a child of a method application: the node must be what the subtask, bound by b, names. */
  const visitChild = (id: number, s: Subtask, b: Map<string, string>, what: string): void => {
    const ai = actionAt.get(id);
    const node = taskById.get(id);
    if (ai === undefined && !node) { errors.push(`${what}: unknown id ${id}`); return; }
    const name = ai !== undefined ? plan.actions[ai].name : node!.task;
    const args = ai !== undefined ? plan.actions[ai].args : node!.args;
    if (name !== s.task) { errors.push(`${what}: id ${id} is ${show(name, args)}, but the subtask is '${s.task}'`); return; }
    if (!unify(s.args, args, b, `${what}, subtask ${show(s.task, s.args)}`)) return;
    visit(id);
  };
  // An explicit stack, not recursion: decompositions can be thousands of levels deep.
  const stack: Frame[] = [];
  const applyMethod = (m: MethodDef, args: string[], children: number[], what: string): void => {
    const b = new Map<string, string>();
    if (!unify(m.taskArgs, args, b, what)) return;
    if (children.length !== m.subtasks.length) { errors.push(`${what}: method ${m.name} has ${m.subtasks.length} subtask(s), ${children.length} given`); return; }
    checks.push({ at: cursor, m, b, what });
    stack.push({ m, b, children, i: 0, what });
  };
  const visit = (id: number): void => {
    if (used.has(id)) { errors.push(`id ${id} is used more than once in the decomposition`); return; }
    used.add(id);
    const ai = actionAt.get(id);
    if (ai !== undefined) {
      if (ai !== cursor) errors.push(`action ${id} ${show(plan.actions[ai].name, plan.actions[ai].args)} is at position ${ai + 1} of the plan, but the decomposition puts it at ${cursor + 1}`);
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
    applyMethod(m, node.args, node.children, what);
  };

  const top = topMethod(p);
  if (plan.roots.length !== top.subtasks.length) errors.push(`root: the initial task network has ${top.subtasks.length} task(s), ${plan.roots.length} given`);
  else applyMethod(top, [], plan.roots, 'root');
  while (stack.length > 0) {
    const f = stack[stack.length - 1];
    if (f.i < f.children.length) {
      const i = f.i++;
      visitChild(f.children[i], f.m.subtasks[i], f.b, f.what);
      continue;
    }
    stack.pop();
    // Types once every subtask has bound what it binds.
    for (const prm of f.m.params) {
      const o = f.b.get(prm.name);
      if (o !== undefined && !types.objectIs(o, prm.type)) errors.push(`${f.what}: ${prm.name} = ${o} is not a ${prm.type}`);
    }
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
