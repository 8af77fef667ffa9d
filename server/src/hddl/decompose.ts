/**
 * Rebuilds the decomposition tree from a plan of the mapped domain. The
 * plan lists, in depth-first order, every primitive action and, before the
 * subtasks of each method application, that method's marker action with
 * the method's parameters. Reading the plan left to right while walking the
 * task network therefore gives the tree back with no search.
 */
import type { JsonValue } from '../planner/index.js';
import type { HddlDomain, MethodDef, Term } from './hddl-ast.js';
import { CHECK_PREFIX } from './map-hddl.js';
import { markerName, needsMarker } from './map-method.js';

/** One primitive action of the plan. */
export interface PlanStep {
  id: number;
  name: string;
  args: string[];
}

/** One abstract task of the decomposition and the method that refined it. */
export interface TaskNode {
  id: number;
  task: string;
  args: string[];
  method: string;
  /** Ids of its subtasks' nodes (actions or tasks), in order. */
  children: number[];
}

/** A plan with its decomposition: what the IPC 2020 format prints. */
export interface HddlPlan {
  actions: PlanStep[];
  /** Ids of the initial task network's tasks, in order. */
  roots: number[];
  tasks: TaskNode[];
}

/** Bookkeeping actions that are not part of the HDDL plan (and the early goal checks, `__check_<n>`). */
const SKIP = new Set(['__init', '__goal', '__visit', '__unvisit']);
const skipped = (name: string): boolean => SKIP.has(name) || name.startsWith(CHECK_PREFIX);

/** Substitutes a method's parameters in a term list. */
export function instantiate(terms: Term[], params: { name: string }[], values: string[]): string[] {
  return terms.map((t) => {
    if (!t.startsWith('?')) return t;
    const i = params.findIndex((p) => p.name === t);
    return values[i];
  });
}

/** A method application being read: its subtasks are matched one by one. */
interface Frame { m: MethodDef; values: string[]; children: number[]; i: number }

/**
 * Reads the decomposition out of an engine plan of the linearised domain
 * `d` (children come in the linearisation's order, methods by their HDDL names); throws if the plan does not
 * have the expected shape. Iterative, since decompositions can be thousands
 * of levels deep (tail recursion in Towers, Blocksworld-HPDDL).
 */
export function decompose(d: HddlDomain, markers: Map<string, MethodDef>, plan: JsonValue[][]): HddlPlan {
  const items = plan.filter((it) => !skipped(String(it[0])));
  let at = 0;
  const actions: PlanStep[] = [];
  const pending: Omit<TaskNode, 'id'>[] = [];
  const next = (): string[] => {
    if (at >= items.length) throw new Error('plan ended early while rebuilding the decomposition');
    return items[at++].map((x) => String(x));
  };
  const markerless = new Map<string, MethodDef>();
  for (const m of d.methods) if (!needsMarker(d, m)) markerless.set(m.task, m);

  const first = next();
  const top = markers.get(first[0]);
  if (!top || (top.source ?? top.name) !== '__top') throw new Error(`expected the initial task network first, found (${first.join(' ')})`);
  const roots: number[] = [];
  // Abstract nodes get negative ids until every action is numbered.
  const stack: Frame[] = [{ m: top, values: first.slice(1), children: roots, i: 0 }];
  while (stack.length > 0) {
    const f = stack[stack.length - 1];
    if (f.i === f.m.subtasks.length) { stack.pop(); continue; }
    const s = f.m.subtasks[f.i++];
    const task = s.task;
    const args = instantiate(s.args, f.m.params, f.values);
    let m = markerless.get(task);
    let values: string[];
    if (m) {
      // The task's only method, bound by the task's arguments alone: it has no marker.
      values = m.params.map((p) => args[m!.taskArgs.indexOf(p.name)]);
    } else {
      const it = next();
      if (d.actions.has(task)) {
        if (it[0] !== task || it.slice(1).join(' ') !== args.join(' ')) throw new Error(`expected action (${task} ${args.join(' ')}), found (${it.join(' ')})`);
        actions.push({ id: actions.length, name: task, args });
        f.children.push(actions.length - 1);
        continue;
      }
      m = markers.get(it[0]);
      if (!m || m.task !== task) throw new Error(`expected a method of (${task} ${args.join(' ')}), found (${it.join(' ')})`);
      values = it.slice(1);
    }
    const own = instantiate(m.taskArgs, m.params, values);
    if (own.join(' ') !== args.join(' ')) throw new Error(`method ${m.name} refines (${task} ${own.join(' ')}), not (${task} ${args.join(' ')})`);
    const node: Omit<TaskNode, 'id'> = { task, args, method: m.source ?? m.name, children: [] };
    f.children.push(-1 - pending.length);
    pending.push(node);
    stack.push({ m, values, children: node.children, i: 0 });
  }
  if (at !== items.length) throw new Error(`plan has ${items.length - at} item(s) after the decomposition`);
  const n = actions.length;
  const fix = (id: number): number => (id >= 0 ? id : n + (-1 - id));
  return {
    actions,
    roots: roots.map(fix),
    tasks: pending.map((t, i) => ({ id: n + i, ...t, children: t.children.map(fix) })),
  };
}

/**
 * The plan in the IPC 2020 format: actions, then the root line and one line
 * per method application. `spell` gives each name its spelling in the input
 * (see `spellingOf`); names are lower-case without it.
 */
export function writeIpcPlan(p: HddlPlan, spell: (name: string) => string = (s) => s): string {
  const names = (xs: string[]): string[] => xs.map(spell);
  const lines = ['==>'];
  for (const a of p.actions) lines.push([a.id, spell(a.name), ...names(a.args)].join(' '));
  lines.push(['root', ...p.roots].join(' '));
  for (const t of p.tasks) lines.push([t.id, spell(t.task), ...names(t.args), '->', spell(t.method), ...t.children].join(' '));
  lines.push('<==');
  return `${lines.join('\n')}\n`;
}

/** Spells names as the problem, else the domain, first wrote them. */
export function spellingOf(d: { spelling: Map<string, string> }, p?: { spelling: Map<string, string> }): (name: string) => string {
  return (s) => p?.spelling.get(s) ?? d.spelling.get(s) ?? s;
}
