/**
 * Early goal checks between the tasks of the initial task network.
 *
 * Depth-first search meets the goal only after the last task, so a choice
 * made early that spoils a goal literal for good is undone only after every
 * combination of the later tasks' choices has failed the goal (Blocksworld-
 * GTOHP: exponential). This module finds, per goal literal, the last task of
 * the network that may still make it true; from there on the literal must
 * hold. The mapping checks it right after that task and marks it final
 * (`g__p` for atoms that must stay true, `u__p` for those that must stay
 * false); an action that would spoil a final atom is then not applicable
 * (map-action.ts). Checks only cut branches whose end state misses the goal,
 * so the first plan found is the same, sooner.
 *
 * "May make true" is an argument-aware version of analysis.ts's effect
 * signatures: what a task may add or delete, with each argument a task
 * parameter (by position), a constant, or anything.
 */
import { topLits, type Lit } from './analysis.js';
import type { Effect, HddlDomain, HddlProblem, Term } from './hddl-ast.js';

/** An argument of an effect signature: a task parameter's position, a constant, or `*` (anything). */
type Arg = number | string;
interface Sig { pred: string; add: boolean; args: Arg[] }

const ANY = '*';
const sigKey = (s: Sig): string => `${s.add ? '+' : '-'}${s.pred}(${s.args.map((a) => (typeof a === 'number' ? `#${a}` : `'${a}`)).join(',')})`;

/** Per action and task: the effects it may have, argument-aware (a least fixpoint over the methods). */
export function effectSignatures(d: HddlDomain): Map<string, Sig[]> {
  const out = new Map<string, Sig[]>();
  for (const a of d.actions.values()) {
    const sigs: Sig[] = [];
    const walk = (e: Effect, bound: Set<string>): void => {
      if (e.kind === 'add' || e.kind === 'del') {
        sigs.push({
          pred: e.pred, add: e.kind === 'add',
          args: e.args.map((t) => (bound.has(t) ? ANY : t.startsWith('?') ? a.params.findIndex((p) => p.name === t) : t)),
        });
      } else if (e.kind === 'and') for (const x of e.args) walk(x, bound);
      else if (e.kind === 'forall') walk(e.body, new Set([...bound, ...e.vars.map((v) => v.name)]));
      else if (e.kind === 'when') walk(e.body, bound);
    };
    walk(a.effect, new Set());
    out.set(a.name, dedupe(sigs));
  }
  for (const t of d.tasks.keys()) out.set(t, []);
  for (let changed = true; changed;) {
    changed = false;
    for (const m of d.methods) {
      const mine = out.get(m.task)!;
      const keys = new Set(mine.map(sigKey));
      // A method parameter stands for the task's argument it is bound to; any other is anything.
      const pos = (t: Term): Arg => (!t.startsWith('?') ? t : m.taskArgs.includes(t) ? m.taskArgs.indexOf(t) : ANY);
      for (const s of m.subtasks) {
        for (const sig of out.get(s.task) ?? []) {
          const g: Sig = { ...sig, args: sig.args.map((x) => (typeof x === 'number' ? pos(s.args[x]) : x)) };
          const k = sigKey(g);
          if (!keys.has(k)) { keys.add(k); mine.push(g); changed = true; }
        }
      }
    }
  }
  return out;
}

function dedupe(sigs: Sig[]): Sig[] {
  const seen = new Set<string>();
  return sigs.filter((s) => !seen.has(sigKey(s)) && seen.add(sigKey(s)));
}

/** Whether a subtask with these (ground or `*`) arguments may add (or delete) a ground literal's atom. */
function mayChange(sigs: Sig[], args: Term[], l: Lit, add: boolean): boolean {
  return sigs.some((s) => s.add === add && s.pred === l.pred && s.args.every((a, i) => {
    const v = typeof a === 'number' ? args[a] : a;
    return v === ANY || v === l.args[i];
  }));
}

/**
 * For the problem's initial task network: after which of its tasks (index;
 * -1 before the first) each ground goal literal becomes final, that is, no
 * later task may make it true. Literals only the last task may make true
 * are left to `__goal`.
 */
export function goalChecks(d: HddlDomain, p: HddlProblem): Map<number, Lit[]> {
  const checks = new Map<number, Lit[]>();
  if (!p.goal) return checks;
  const sigs = effectSignatures(d);
  const tasks = p.htn.subtasks.map((s) => ({ sigs: sigs.get(s.task) ?? [], args: s.args.map((t) => (t.startsWith('?') ? ANY : t)) }));
  const last = tasks.length - 1;
  for (const l of topLits(p.goal)) {
    if (l.args.some((t) => t.startsWith('?'))) continue;
    // Positive literals are made true by adds, negative ones by deletes.
    let from = last;
    while (from >= 0 && !mayChange(tasks[from].sigs, tasks[from].args, l, !l.neg)) from--;
    if (from === last) continue;
    const list = checks.get(from) ?? [];
    list.push(l);
    checks.set(from, list);
  }
  return checks;
}

/** The state variable marking the final atoms of pred that must stay true (pos) or false. */
export const finalVar = (pred: string, pos: boolean): string => `${pos ? 'g' : 'u'}__${pred}`;
