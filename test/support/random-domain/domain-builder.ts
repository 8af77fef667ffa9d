/**
 * Builds one random domain and problem from a tape: the prelude and
 * helpers (vocabulary.ts), the actions, 1-4 tasks of 1-4 methods (only
 * higher-numbered tasks called, so recursion is bounded), a counter
 * recursion `loop(k)`, unigoal methods for loc and n, multigoal methods
 * (split_multigoal and custom ones, recursive ones included), and a
 * problem with 1-3 todo items, verification on or off.
 *
 * Each domain leans towards one mode, a fast path of the engine to hit
 * (docs/engine.md): helper memo across actions, fused loops over a
 * helper, sole methods, merged multigoal verifications, goals at the end
 * of a method's list (compaction), in-place state writes.
 */
import type { JsonState, Problem, TodoItem } from '../../../server/src/planner/types.js';
import { actions, methodBody, type Mode } from './bodies.js';
import type { Scope } from './expressions.js';
import type { Tape } from './tape.js';
import { helpers, OBJECTS, PLACES, PRELUDE } from './vocabulary.js';

/** A generated case. */
export interface RandomCase {
  text: string;
  problem: Problem;
  mode: Mode;
}

const MODES: Mode[] = ['plain', 'memo', 'fusion', 'sole', 'merge', 'list_end', 'state_set'];
const methodScope = (params: Partial<Scope>): Scope => ({ obj: [], place: [], int: [], bool: [], helpers: true, ...params });

/** The whole case. */
export function buildCase(t: Tape): RandomCase {
  const mode = MODES[t.pick(MODES.length)];
  const nTasks = t.int(1, 4);
  const taskNames = Array.from({ length: nTasks }, (_, i) => `t${i}`);
  const parts = [`domain rnd`, PRELUDE, helpers(t), actions(t, mode)];
  for (let i = 0; i < nTasks; i++) {
    const count = mode === 'sole' ? 1 : t.weighted([4, 3, 2, 1]) + 1;
    const methods = Array.from({ length: count }, (_, j) =>
      `  method m${i}_${j}(x) {\n    ${methodBody(t, methodScope({ obj: ['x'] }), { tasks: taskNames.slice(i + 1), goals: true }, mode, mode !== 'sole')}\n  }`);
    parts.push(`task t${i} {\n${methods.join('\n')}\n}`);
  }
  parts.push(loopTask(t, mode));
  // A recursion that asks a memoised helper again after every action: a stale memo entry never stops it.
  parts.push(`task grow {\n  method grow_m(x) {\n    if ${t.one(['total()', 'score(x)', 'busy(loc[x]) + n[x]'])} >= ${t.int(3, 7)} { return [] }\n    return [inc(x, 1), grow(x)]\n  }\n}`);
  // What seen holds first: the order of keys added by actions, after backtracking too.
  parts.push(`task first {\n  method first_m(x) { for o in seen { return [tog(o)] }; return [note(x)] }\n}`);
  parts.push(unigoals(t, mode));
  const mg = multigoalMethods(t, mode);
  if (mg) parts.push(mg);
  return { text: parts.join('\n') + '\n', problem: problem(t, taskNames, mode), mode };
}

/** `loop(k)`: a recursion on a counter, bounded by k (at most 3 in problems, 4 in lists). */
function loopTask(t: Tape, mode: Mode): string {
  const step = (): string => {
    const s = methodScope({ int: ['k'] });
    const items = t.many(0, 2, () => t.one([`inc(objs[k % 3], 1)`, `tick(1)`, `mv(objs[k % 3], ${t.one(["'p'", "'q'", "'r'"])})`, `n(objs[k % 3], k)`]));
    void s;
    return `[${[...items, 'loop(k - 1)'].join(', ')}]`;
  };
  if (mode === 'sole' || t.chance(40)) {
    return `task loop {\n  method loop_m(k) {\n    if k <= 0 { return [] }\n    return ${step()}\n  }\n}`;
  }
  return `task loop {\n  method loop_done(k) { require k <= 0; return [] }\n  method loop_step(k) { require k > 0; return ${step()} }\n}`;
}

/** Unigoal methods for loc (1-3) and n (1-2); they call actions only, so goals cannot recurse through tasks. */
function unigoals(t: Tape, mode: Mode): string {
  const loc = ['  method g_mv(x, v) { return [mv(x, v)] }'];
  const extra = [
    `  method g_req(x, v) { require ${"v != 'r'"}; return [mv(x, v)] }`,
    "  method g_via(x, v) { return [mv(x, 'q'), mv(x, v)] }",
    "  method g_wrong(x, v) { return [mv(x, 'p')] }",
    "  method g_none(x, v) { return [] }",
    "  method g_tog(x, v) { return [tog(x), mv(x, v), tog(x)] }",
    "  method g_choose(x, v) { choose w in places; return [mv(x, w)] }",
  ];
  const count = mode === 'sole' ? 0 : t.int(0, 2);
  for (let i = 0; i < count; i++) {
    const m = t.one(extra);
    if (!loc.includes(m)) t.chance(50) ? loc.unshift(m) : loc.push(m);
  }
  const n = [t.one([
    '  method g_n(x, v) { require v >= n[x]; return [inc(x, v - n[x])] }',
    '  method g_n(x, v) { if n[x] < v { return [inc(x, 1), n(x, v)] }; return [] }',
    '  method g_n(x, v) { return [inc(x, v - n[x])] }',
  ])];
  if (mode !== 'sole' && t.chance(30)) n.push('  method g_n2(x, v) { return [tick(v), inc(x, v - n[x])] }');
  return `unigoal loc {\n${loc.join('\n')}\n}\nunigoal n {\n${n.join('\n')}\n}`;
}

/** Multigoal methods: split_multigoal and custom ones, in random order; in merge mode a recursive one first. */
function multigoalMethods(t: Tape, mode: Mode): string | undefined {
  const rec = '  method m_rec(mg) {\n    for x in mg.loc { if loc[x] != mg.loc[x] { return [mv(x, mg.loc[x]), mg] } }\n    return []\n  }';
  const options = [
    '  builtin split_multigoal',
    rec,
    '  method m_goals(mg) { return [loc(o, mg.loc[o]) for o in mg.loc] }',
    '  method m_n(mg) {\n    for x, v in mg.n { if n[x] != v { return [n(x, v), mg] } }\n    return []\n  }',
    '  method m_bad(mg) { require len(mg.loc) > 1; return [] }',
    '  method m_choose(mg) { choose x in mg.loc; return [mv(x, mg.loc[x]), mg] }',
    // Lookups by a key from elsewhere (not the walk over mg.loc, which hands the value over).
    '  method m_look(mg) {\n    for x in objs { if x in mg.loc and loc[x] != mg.loc[x] { return [mv(x, mg.loc[x]), mg] } }\n    return []\n  }',
    // A smaller multigoal last: its verification lands right before the outer one's (not to be merged).
    "  method m_sub(mg) {\n    for x in mg.loc { if loc[x] != mg.loc[x] {\n      if len(mg.loc) > 1 { return [multigoal 'h' { loc[x] = mg.loc[x] }] }\n      return [mv(x, mg.loc[x])] } }\n    return []\n  }",
  ];
  const count = mode === 'merge' ? t.int(1, 3) : t.int(0, 3);
  const chosen: string[] = mode === 'merge' ? [t.chance(50) ? rec : options[6]] : [];
  for (let i = 0; i < count; i++) {
    const m = t.one(options);
    if (!chosen.includes(m)) chosen.push(m);
  }
  if (mode === 'merge' && t.chance(60) && !chosen.includes(options[0])) chosen.push(options[0]);
  return chosen.length ? `multigoal {\n${chosen.join('\n')}\n}` : undefined;
}

/** The problem: a state over the three objects, 1-3 todo items, verification mostly on. */
function problem(t: Tape, tasks: string[], mode: Mode): Problem {
  const obj = (): string => t.one(OBJECTS);
  const place = (): string => t.one(PLACES);
  const loc: Record<string, string> = {};
  for (const o of OBJECTS) if (!t.chance(5)) loc[o] = place();
  const n: Record<string, number> = {};
  for (const o of OBJECTS) if (!t.chance(5)) n[o] = t.int(0, 3);
  const flag: Record<string, boolean> = {};
  for (const o of OBJECTS) flag[o] = t.chance(40);
  const state: JsonState = { loc, n, flag, seen: t.chance(70) ? {} : { [obj()]: true }, cnt: t.int(0, 2), mode: place() };
  const mgJson = (): TodoItem => {
    const goals: Record<string, string> = {};
    for (let i = t.int(1, 3); i > 0; i--) goals[obj()] = place();
    return { __multigoal__: 'goal', vars: t.chance(80) ? { loc: goals } : { loc: goals, n: { [obj()]: t.int(0, 3) } } };
  };
  // In merge mode a multigoal comes first, for the recursive multigoal method to work on.
  const todo: TodoItem[] = mode === 'merge' ? [mgJson()] : [];
  for (let i = t.int(mode === 'merge' ? 0 : 1, mode === 'merge' ? 2 : 3); i > 0; i--) {
    const w = [5, mode === 'memo' ? 5 : 1, 2, 1, mode === 'merge' ? 6 : 2, 1];
    switch (t.weighted(w)) {
      case 0: todo.push([t.one(tasks), obj()]); break;
      case 1: todo.push(t.chance(mode === 'memo' ? 80 : 40) ? ['grow', obj()] : ['loop', t.int(0, 3)]); break;
      case 2: todo.push(['loc', obj(), place()]); break;
      case 3: todo.push(['n', obj(), t.int(0, 3)]); break;
      case 4: todo.push(mgJson()); break;
      default: todo.push(t.one([['mv', obj(), place()], ['tog', obj()], ['note', obj()]])); break;
    }
  }
  return { state, todo, verify_goals: !t.chance(30) };
}
