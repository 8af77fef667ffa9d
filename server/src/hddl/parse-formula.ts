/**
 * Parsing of the pieces shared by domains and problems: typed lists,
 * formulas (preconditions, goals, constraints), effects and subtask lists
 * with their ordering. Anything outside the supported fragment is an error
 * at its place, never skipped.
 */
import type { Pos } from '../planner/index.js';
import type { Effect, Formula, Subtask, Term, TypedVar } from './hddl-ast.js';
import { hddlError, isAtom, isList, show, type SExpr } from './sexpr.js';

/** A valid name or variable atom: letters, digits, `-`, `_`, and a leading `?` for variables. */
const NAME = /^\??[a-z_][a-z0-9_\-.]*$/;

/** The file a parse is about, for errors. */
export interface Ctx {
  file: string;
}

/** The atom's text, or an error saying what was expected. */
export function atomText(ctx: Ctx, e: SExpr | undefined, what: string, at: Pos): string {
  if (!isAtom(e)) hddlError(ctx.file, e?.pos ?? at, `expected ${what}${e ? `, found ${show(e)}` : ''}`);
  return e.atom;
}

/** A name (not a variable, not a keyword). */
export function nameOf(ctx: Ctx, e: SExpr | undefined, what: string, at: Pos): string {
  const t = atomText(ctx, e, what, at);
  if (t.startsWith('?') || !NAME.test(t)) hddlError(ctx.file, e!.pos, `expected ${what}, found '${t}'`);
  return t;
}

/** A term: a variable or a constant name. */
export function termOf(ctx: Ctx, e: SExpr | undefined, at: Pos): Term {
  const t = atomText(ctx, e, 'a variable or constant', at);
  if (!NAME.test(t)) hddlError(ctx.file, e!.pos, `expected a variable or constant, found '${t}'`);
  return t;
}

/** The elements of a list, or an error. */
export function listOf(ctx: Ctx, e: SExpr | undefined, what: string, at: Pos): SExpr[] {
  if (!isList(e)) hddlError(ctx.file, e?.pos ?? at, `expected ${what}${e ? `, found ${show(e)}` : ''}`);
  return e.list;
}

/**
 * A typed list `a b - t c - u d`: names with their types (untyped ones are
 * `object`). `vars` says whether the names must be variables.
 */
export function typedList(ctx: Ctx, items: SExpr[], vars: boolean): TypedVar[] {
  const out: TypedVar[] = [];
  let pending: { name: string; pos: Pos }[] = [];
  for (let i = 0; i < items.length; i++) {
    const e = items[i];
    if (isAtom(e, '-')) {
      if (pending.length === 0) hddlError(ctx.file, e.pos, "'-' must follow at least one name");
      const t = items[i + 1];
      if (isList(t) && isAtom(t.list[0], 'either')) hddlError(ctx.file, t.pos, "unsupported: 'either' types");
      const type = nameOf(ctx, t, 'a type name after -', e.pos);
      for (const p of pending) out.push({ name: p.name, type, pos: p.pos });
      pending = [];
      i++;
      continue;
    }
    const name = atomText(ctx, e, vars ? 'a variable' : 'a name', e.pos);
    if (vars !== name.startsWith('?') || !NAME.test(name)) hddlError(ctx.file, e.pos, `expected ${vars ? 'a variable (?name)' : 'a name'}, found '${name}'`);
    pending.push({ name, pos: e.pos });
  }
  for (const p of pending) out.push({ name: p.name, type: 'object', pos: p.pos });
  return out;
}

/** A goal description: precondition, goal or constraint. */
export function parseFormula(ctx: Ctx, e: SExpr): Formula {
  const items = listOf(ctx, e, 'a formula in parentheses', e.pos);
  const pos = e.pos;
  if (items.length === 0) return { kind: 'true', pos };
  const head = atomText(ctx, items[0], 'a connective or predicate name', pos);
  const rest = items.slice(1);
  const arity = (n: number): void => {
    if (rest.length !== n) hddlError(ctx.file, pos, `'${head}' takes ${n} argument(s), found ${rest.length}`);
  };
  switch (head) {
    case 'and': case 'or':
      return { kind: head, args: rest.map((x) => parseFormula(ctx, x)), pos };
    case 'not':
      arity(1);
      return { kind: 'not', arg: parseFormula(ctx, rest[0]), pos };
    case 'imply':
      arity(2);
      return { kind: 'imply', left: parseFormula(ctx, rest[0]), right: parseFormula(ctx, rest[1]), pos };
    case 'forall': case 'exists': {
      arity(2);
      const vars = typedList(ctx, listOf(ctx, rest[0], 'a list of quantified variables', pos), true);
      return { kind: head, vars, body: parseFormula(ctx, rest[1]), pos };
    }
    case '=':
      arity(2);
      return { kind: 'eq', left: termOf(ctx, rest[0], pos), right: termOf(ctx, rest[1], pos), pos };
    case '<': case '>': case '<=': case '>=':
      return hddlError(ctx.file, pos, `unsupported: numeric comparison '${head}'`);
    default:
      if (head.startsWith(':') || head.startsWith('?')) hddlError(ctx.file, items[0].pos, `expected a connective or predicate name, found '${head}'`);
      return { kind: 'atom', pred: nameOf(ctx, items[0], 'a predicate name', pos), args: rest.map((x) => termOf(ctx, x, pos)), pos };
  }
}

const NUMERIC_EFFECTS = new Set(['increase', 'decrease', 'assign', 'scale-up', 'scale-down']);

/** An action effect. */
export function parseEffect(ctx: Ctx, e: SExpr): Effect {
  const items = listOf(ctx, e, 'an effect in parentheses', e.pos);
  const pos = e.pos;
  if (items.length === 0) return { kind: 'and', args: [], pos };
  const head = atomText(ctx, items[0], 'an effect', pos);
  const rest = items.slice(1);
  switch (head) {
    case 'and':
      return { kind: 'and', args: rest.map((x) => parseEffect(ctx, x)), pos };
    case 'not': {
      if (rest.length !== 1) hddlError(ctx.file, pos, `'not' takes 1 argument, found ${rest.length}`);
      const f = parseFormula(ctx, rest[0]);
      if (f.kind !== 'atom') hddlError(ctx.file, rest[0].pos, 'a delete effect must be a single atom');
      return { kind: 'del', pred: f.pred, args: f.args, pos };
    }
    case 'forall': {
      if (rest.length !== 2) hddlError(ctx.file, pos, `'forall' takes 2 arguments, found ${rest.length}`);
      const vars = typedList(ctx, listOf(ctx, rest[0], 'a list of quantified variables', pos), true);
      return { kind: 'forall', vars, body: parseEffect(ctx, rest[1]), pos };
    }
    case 'when':
      if (rest.length !== 2) hddlError(ctx.file, pos, `'when' takes 2 arguments, found ${rest.length}`);
      return { kind: 'when', cond: parseFormula(ctx, rest[0]), body: parseEffect(ctx, rest[1]), pos };
    default: {
      if (NUMERIC_EFFECTS.has(head)) hddlError(ctx.file, pos, `unsupported: numeric effect '${head}'`);
      const f = parseFormula(ctx, e);
      if (f.kind !== 'atom') hddlError(ctx.file, pos, `unsupported effect '${head}'`);
      return { kind: 'add', pred: f.pred, args: f.args, pos };
    }
  }
}

/** One subtask: `(label (task args))` or `(task args)`. */
function parseSubtask(ctx: Ctx, e: SExpr): Subtask {
  const items = listOf(ctx, e, 'a subtask', e.pos);
  if (items.length === 2 && isAtom(items[0]) && isList(items[1])) {
    const id = nameOf(ctx, items[0], 'a subtask label', e.pos);
    const inner = items[1].list;
    const task = nameOf(ctx, inner[0], 'a task name', items[1].pos);
    return { id, task, args: inner.slice(1).map((x) => termOf(ctx, x, e.pos)), pos: items[1].pos };
  }
  const task = nameOf(ctx, items[0], 'a task name', e.pos);
  return { task, args: items.slice(1).map((x) => termOf(ctx, x, e.pos)), pos: e.pos };
}

/** A subtask list: `()`, `(and s...)` or a single subtask. */
export function parseSubtasks(ctx: Ctx, e: SExpr): Subtask[] {
  const items = listOf(ctx, e, 'a subtask list', e.pos);
  if (items.length === 0) return [];
  if (isAtom(items[0], 'and')) return items.slice(1).map((x) => parseSubtask(ctx, x));
  return [parseSubtask(ctx, e)];
}

/** The `(< a b)` pairs of an ordering: `()`, `(and (< a b)...)` or one `(< a b)`. */
export function parseOrdering(ctx: Ctx, e: SExpr): { before: string; after: string; pos: Pos }[] {
  const items = listOf(ctx, e, 'an ordering', e.pos);
  if (items.length === 0) return [];
  const one = (x: SExpr): { before: string; after: string; pos: Pos } => {
    const p = listOf(ctx, x, 'an ordering constraint (< a b)', x.pos);
    if (!isAtom(p[0], '<') || p.length !== 3) hddlError(ctx.file, x.pos, `unsupported ordering constraint ${show(x)} (only (< a b))`);
    return { before: nameOf(ctx, p[1], 'a subtask label', x.pos), after: nameOf(ctx, p[2], 'a subtask label', x.pos), pos: x.pos };
  };
  if (isAtom(items[0], 'and')) return items.slice(1).map(one);
  return [one(e)];
}
