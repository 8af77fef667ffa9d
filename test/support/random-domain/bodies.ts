/**
 * Random action and method bodies, as Aria text. Actions write the state
 * through every form the language has (entries, scalar variables, new
 * keys, writes that read other keys: the in-place write path), under
 * preconditions, conditionals and loops. Methods return todo lists of
 * actions, tasks, unigoals and multigoals, fail, return [] or fall off
 * their end, sometimes through `choose` or a loop over a helper's list.
 */
import { boolExpr, collExpr, intExpr, objExpr, placeExpr, type Scope } from './expressions.js';
import type { Tape } from './tape.js';

/** Which fast path a domain leans towards (see domain-builder.ts). */
export type Mode = 'plain' | 'memo' | 'fusion' | 'sole' | 'merge' | 'list_end' | 'state_set';

/** One state write of an action. */
export function writeStmt(t: Tape, s: Scope, mode: Mode): string {
  const w = mode === 'state_set' ? [1, 4, 1, 1, 1, 1] : [2, 2, 1, 1, 1, 1];
  switch (t.weighted(w)) {
    case 0: return `loc[${objExpr(t, s)}] = ${placeExpr(t, s, 1)}`;
    case 1: return `n[${objExpr(t, s)}] = ${intExpr(t, s, 2)}`;
    case 2: return `flag[${objExpr(t, s)}] = ${t.chance(50) ? `not flag[${objExpr(t, s)}]` : boolExpr(t, s, 1)}`;
    case 3: return `seen[${t.chance(70) ? objExpr(t, s) : intExpr(t, s, 0)}] = ${t.chance(50) ? 'true' : placeExpr(t, s, 0)}`;
    case 4: return `cnt = ${intExpr(t, s, 1)}`;
    default: return `mode = ${placeExpr(t, s, 1)}`;
  }
}

/** A copy of a scope for a nested block: its locals stay inside it. */
const inBlock = (s: Scope): Scope => ({ ...s, int: [...s.int], obj: [...s.obj], place: [...s.place] });

/** Statements around an action's main write: preconditions, conditionals, loops, locals, failure. */
function actionStmts(t: Tape, s: Scope, mode: Mode, depth: number): string[] {
  return t.many(0, depth > 0 ? 3 : 1, () => {
    switch (t.weighted([4, 2, depth > 0 ? 2 : 0, depth > 0 ? 1 : 0, 1, 2])) {
      case 0: return `require ${boolExpr(t, s, 2)}`;
      case 1: return writeStmt(t, s, mode);
      case 2: return `if ${boolExpr(t, s, 1)} { ${actionStmts(t, inBlock(s), mode, depth - 1).join('; ')} } else { ${actionStmts(t, inBlock(s), mode, depth - 1).join('; ')} }`;
      case 3: {
        const inner = { ...s, obj: [...s.obj, 'o'] };
        return `for o in ${t.chance(50) ? 'objs' : collExpr(t, s, 1)} { ${t.chance(30) ? `if ${boolExpr(t, inner, 1)} { break }; ` : ''}${writeStmt(t, inner, mode)} }`;
      }
      case 4: return t.chance(50) ? 'fail' : 'return';
      default: {
        const v = `v${s.int.length}`;
        const line = `let ${v} = ${intExpr(t, s, 2)}`;
        s.int.push(v);
        return line;
      }
    }
  });
}

/** The actions every domain declares, with random bodies around their main write. */
export function actions(t: Tape, mode: Mode): string {
  const base = (): Scope => ({ obj: [], place: [], int: [], bool: [], helpers: true });
  const body = (s: Scope, main: string): string => {
    const pre = actionStmts(t, s, mode, 1);
    const post = t.chance(30) ? actionStmts(t, s, mode, 1) : [];
    return [...pre, main, ...post].join('\n  ');
  };
  const mvS = { ...base(), obj: ['x'], place: ['y'] };
  const incS = { ...base(), obj: ['x'], int: ['k'] };
  const togS = { ...base(), obj: ['x'] };
  const tickS = { ...base(), int: ['k'] };
  const incMain = mode === 'state_set' || t.chance(30)
    ? `n[x] = n[${t.one(["'a'", "'b'", 'objs[0]', 'x'])}] + k` : 'n[x] = n[x] + k';
  return [
    `action mv(x, y) {\n  ${body(mvS, t.chance(85) ? 'loc[x] = y' : writeStmt(t, mvS, mode))}\n}`,
    `action inc(x, k) {\n  ${body(incS, incMain)}\n}`,
    `action tog(x) {\n  ${body(togS, 'flag[x] = not flag[x]')}\n}`,
    `action note(x) {\n  ${body({ ...base(), obj: ['x'] }, t.chance(70) ? 'seen[x] = true' : 'seen[cnt] = x')}\n}`,
    `action tick(k) {\n  ${body(tickS, t.chance(50) ? 'cnt = cnt + k' : `mode = ${placeExpr(t, tickS, 1)}`)}\n}`,
  ].join('\n');
}

/** Which items a method may put in its todo list. */
export interface ItemScope {
  /** Tasks it may call (higher-numbered ones only: no unbounded recursion). */
  tasks: string[];
  /** Whether unigoals and multigoals may appear (not in goal methods: no goal-task cycles). */
  goals: boolean;
}

/** One todo item. */
export function itemExpr(t: Tape, s: Scope, is: ItemScope): string {
  const w = [4, 2, is.tasks.length ? 3 : 1, 1, is.goals ? 3 : 0, is.goals ? 1 : 0, is.goals ? 1 : 0, 1];
  switch (t.weighted(w)) {
    case 0: return `mv(${objExpr(t, s)}, ${placeExpr(t, s, 1)})`;
    case 1: return t.one([`inc(${objExpr(t, s)}, ${intExpr(t, s, 1)})`, `tog(${objExpr(t, s)})`, `note(${objExpr(t, s)})`, `tick(${intExpr(t, s, 0)})`]);
    case 2: return `${t.one([...is.tasks, 'first', 'grow'])}(${objExpr(t, s)})`;
    case 3: return `loop(${t.int(0, 3)})`;
    case 4: return `loc(${objExpr(t, s)}, ${placeExpr(t, s, 1)})`;
    case 5: return `n(${objExpr(t, s)}, ${t.int(0, 4)})`;
    case 6: return multigoalExpr(t, s);
    default:
      // Checked only when planning: not an item name, or the wrong number of arguments.
      return t.one([`('mv', ${objExpr(t, s)})`, `('zz', 1)`, `('loc', ${objExpr(t, s)})`, `('tog', ${objExpr(t, s)})`]);
  }
}

/** A multigoal literal over loc and n. */
export function multigoalExpr(t: Tape, s: Scope): string {
  const goals = t.many(1, 3, () => (t.chance(75) ? [`loc[${objExpr(t, s)}]`, placeExpr(t, s, 0)] : [`n[${objExpr(t, s)}]`, String(t.int(0, 3))]));
  // The same goal written twice is a validation error; one computed twice (loc[x], loc['a']) is left to run.
  const seen = new Set<string>();
  const unique = goals.filter(([g]) => !seen.has(g) && seen.add(g));
  return `multigoal 'g' { ${unique.map(([g, v]) => `${g} = ${v}`).join('; ')} }`;
}

/** A list of todo items; in list_end mode it ends with a goal, the shape of issue 22's first wrong answer. */
function itemList(t: Tape, s: Scope, is: ItemScope, mode: Mode): string {
  const items = t.many(0, 3, () => itemExpr(t, s, is));
  if (is.goals && (mode === 'list_end' || t.chance(15))) {
    // A goal made by this method, last: its goal method's result is compacted down to just above the
    // rest of the list, over memory the goal (or a multigoal object) lies in (search.ts reclaimMark).
    items.push(t.chance(60) ? `loc(${objExpr(t, s)}, ${placeExpr(t, s, 1)})` : multigoalExpr(t, s));
  }
  return `[${items.join(', ')}]`;
}

/** A method body: locals, preconditions, a choose or a loop over a helper's list, then its answer. */
export function methodBody(t: Tape, s: Scope, is: ItemScope, mode: Mode, allowChoose: boolean): string {
  const lines: string[] = [];
  for (let i = t.int(0, 2) + (mode === 'fusion' || mode === 'memo' ? 1 : 0); i > 0; i--) {
    switch (t.weighted([3, 2, allowChoose ? 2 : 0, mode === 'fusion' ? 8 : 1, mode === 'memo' ? 6 : 0])) {
      case 0: lines.push(`require ${boolExpr(t, s, 2)}`); break;
      case 1: { const v = `v${s.int.length}`; lines.push(`let ${v} = ${intExpr(t, s, 2)}`); s.int.push(v); break; }
      case 2: {
        const c = t.weighted([2, 2, 1, 1, 1]);
        const v = `c${s.obj.length + s.place.length}`;
        lines.push(`choose ${v} in ${['places', 'objs', `at(${placeExpr(t, s, 0)})`, 'loc', 'seen'][c]}`);
        (c === 0 ? s.place : s.obj).push(v);
        allowChoose = false;
        break;
      }
      case 3: {
        // A loop over a filtering helper: the JIT fuses it into a loop over the variable.
        const inner = { ...s, obj: [...s.obj, 'o'] };
        lines.push(`for o in at(${placeExpr(t, s, 0)}) { if ${boolExpr(t, inner, 1)} { return ${itemList(t, inner, is, mode)} } }`);
        break;
      }
      default: lines.push(`require ${t.one(['total()', 'score(x)', 'busy(loc[x])'].filter((e) => s.obj.includes('x') || !e.includes('x')))} ${t.one(['>=', '<', '!='])} ${t.int(0, 4)}`);
    }
  }
  switch (t.weighted([8, 2, 1, 1, 2])) {
    case 0: lines.push(`return ${itemList(t, s, is, mode)}`); break;
    case 1: lines.push('return []'); break;
    case 2: lines.push('fail'); break;
    case 3: break; // falls off its end: not applicable
    default: lines.push(`if ${boolExpr(t, s, 2)} { return ${itemList(t, s, is, mode)} }`, `return ${itemList(t, s, is, mode)}`);
  }
  return lines.join('\n    ');
}
