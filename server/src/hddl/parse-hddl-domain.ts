/**
 * The HDDL domain parser (total-order fragment): requirements, types,
 * constants, predicates, abstract tasks, methods and actions. Names are
 * checked afterwards by check-hddl.ts, so sections may come in any order.
 */
import type { Pos } from '../planner/index.js';
import type { ActionDef, Formula, HddlDomain, MethodDef, Subtask, TypedVar } from './hddl-ast.js';
import {
  type Ctx, atomText, listOf, nameOf, parseEffect, parseFormula, parseOrdering, parseSubtasks, termOf, typedList,
} from './parse-formula.js';
import { type OrderedList, orderSubtasks } from './partial-order.js';
import { hddlError, isAtom, readSExprs, type SExpr } from './sexpr.js';

/** Requirements this parser understands; any other is reported as unsupported. */
export const KNOWN_REQUIREMENTS = new Set([
  ':strips', ':typing', ':hierarchy', ':negative-preconditions', ':disjunctive-preconditions', ':equality',
  ':existential-preconditions', ':universal-preconditions', ':quantified-preconditions', ':conditional-effects',
  ':method-preconditions', ':adl',
]);

/**
 * Reads `:key value` pairs of a method, action, task or task network.
 * Keys must be among `allowed`; a repeated key is an error.
 */
export function keyValues(ctx: Ctx, items: SExpr[], allowed: string[], what: string): Map<string, SExpr> {
  const out = new Map<string, SExpr>();
  for (let i = 0; i < items.length; i += 2) {
    const k = items[i];
    const key = atomText(ctx, k, `a keyword of ${what}`, k.pos);
    if (!key.startsWith(':')) hddlError(ctx.file, k.pos, `expected a keyword (:parameters, ...) in ${what}, found '${key}'`);
    if (!allowed.includes(key)) hddlError(ctx.file, k.pos, `unsupported: '${key}' in ${what}`);
    if (out.has(key)) hddlError(ctx.file, k.pos, `'${key}' given twice in ${what}`);
    if (i + 1 >= items.length) hddlError(ctx.file, k.pos, `'${key}' has no value`);
    out.set(key, items[i + 1]);
  }
  return out;
}

/** Parameters `(?x - t ...)` of a key map, or none. */
export function paramsOf(ctx: Ctx, kv: Map<string, SExpr>, at: Pos): TypedVar[] {
  const p = kv.get(':parameters');
  return p ? typedList(ctx, listOf(ctx, p, 'a parameter list', at), true) : [];
}

const SUBTASK_KEYS = [':subtasks', ':tasks', ':ordered-subtasks', ':ordered-tasks'];

/**
 * The subtasks of a method or task network (`what`, for errors): in their
 * total order, or with their partial order (`:subtasks` with `:ordering`
 * constraints, or none: unordered).
 */
export function orderedSubtasks(ctx: Ctx, kv: Map<string, SExpr>, at: Pos, what: string): OrderedList {
  const given = SUBTASK_KEYS.filter((k) => kv.has(k));
  if (given.length > 1) hddlError(ctx.file, kv.get(given[1])!.pos, `both '${given[0]}' and '${given[1]}' given`);
  if (given.length === 0) return { subtasks: [] };
  const subs: Subtask[] = parseSubtasks(ctx, kv.get(given[0])!);
  const ordering = kv.get(':ordering');
  if (given[0].startsWith(':ordered-')) {
    if (ordering && listOf(ctx, ordering, 'an ordering', at).length > 0) {
      hddlError(ctx.file, ordering.pos, `':ordering' with '${given[0]}', which is already ordered`);
    }
    return { subtasks: subs };
  }
  return orderSubtasks(ctx, subs, ordering ? parseOrdering(ctx, ordering) : [], at, what);
}

/** Conjoins a formula with `:constraints`, when there are any. */
export function withConstraints(ctx: Ctx, pre: Formula, kv: Map<string, SExpr>): Formula {
  const c = kv.get(':constraints');
  if (!c) return pre;
  const f = parseFormula(ctx, c);
  if (f.kind === 'true') return pre;
  if (pre.kind === 'true') return f;
  return { kind: 'and', args: [pre, f], pos: pre.pos };
}

function parseMethod(ctx: Ctx, items: SExpr[], pos: Pos): MethodDef {
  const name = nameOf(ctx, items[1], 'a method name', pos);
  const kv = keyValues(ctx, items.slice(2), [':parameters', ':task', ':precondition', ':constraints', ':ordering', ...SUBTASK_KEYS], `method '${name}'`);
  const t = kv.get(':task');
  if (!t) hddlError(ctx.file, pos, `method '${name}' has no :task`);
  const tl = listOf(ctx, t, 'the task (name args...)', pos);
  const task = nameOf(ctx, tl[0], 'a task name', t.pos);
  const pre = kv.get(':precondition');
  return {
    name,
    params: paramsOf(ctx, kv, pos),
    task,
    taskArgs: tl.slice(1).map((x) => termOf(ctx, x, t.pos)),
    pre: withConstraints(ctx, pre ? parseFormula(ctx, pre) : { kind: 'true', pos }, kv),
    ...orderedSubtasks(ctx, kv, pos, `method '${name}'`),
    pos,
  };
}

function parseAction(ctx: Ctx, items: SExpr[], pos: Pos): ActionDef {
  const name = nameOf(ctx, items[1], 'an action name', pos);
  const kv = keyValues(ctx, items.slice(2), [':parameters', ':precondition', ':effect'], `action '${name}'`);
  const pre = kv.get(':precondition');
  const eff = kv.get(':effect');
  return {
    name,
    params: paramsOf(ctx, kv, pos),
    pre: pre ? parseFormula(ctx, pre) : { kind: 'true', pos },
    effect: eff ? parseEffect(ctx, eff) : { kind: 'and', args: [], pos },
    pos,
  };
}

/** Parses the text of an HDDL domain file. Throws DomainError (`file:line:col: ...`). */
export function parseHddlDomain(text: string, file = '<domain.hddl>'): HddlDomain {
  const ctx: Ctx = { file };
  const spelling = new Map<string, string>();
  const top = readSExprs(text, file, spelling);
  if (top.length !== 1) hddlError(file, top[1]?.pos ?? { line: 1, col: 1 }, top.length === 0 ? 'empty file: expected (define (domain ...) ...)' : 'text after the end of the domain definition');
  const all = listOf(ctx, top[0], '(define (domain name) ...)', top[0].pos);
  if (!isAtom(all[0], 'define')) hddlError(file, top[0].pos, 'expected (define (domain name) ...)');
  const head = listOf(ctx, all[1], '(domain name)', top[0].pos);
  if (!isAtom(head[0], 'domain')) hddlError(file, all[1]?.pos ?? top[0].pos, 'expected (domain name); is this a problem file?');
  const d: HddlDomain = {
    name: nameOf(ctx, head[1], 'a domain name', all[1].pos),
    file, requirements: [], typeParent: new Map(), typePos: new Map(), constants: [], predicates: new Map(), tasks: new Map(), methods: [], actions: new Map(), spelling,
  };
  const seen = new Set<string>();
  for (const sec of all.slice(2)) {
    const items = listOf(ctx, sec, 'a section such as (:action ...)', sec.pos);
    const key = atomText(ctx, items[0], 'a section keyword', sec.pos);
    const once = [':requirements', ':types', ':constants', ':predicates'];
    if (once.includes(key)) {
      if (seen.has(key)) hddlError(file, sec.pos, `section '${key}' given twice`);
      seen.add(key);
    }
    switch (key) {
      case ':requirements':
        for (const r of items.slice(1)) {
          const req = atomText(ctx, r, 'a requirement', sec.pos);
          if (!KNOWN_REQUIREMENTS.has(req)) hddlError(file, r.pos, `unsupported requirement '${req}'`);
          d.requirements.push(req);
        }
        break;
      case ':types':
        for (const t of typedList(ctx, items.slice(1), false)) {
          const had = d.typeParent.get(t.name) ?? [];
          if (t.name === 'object') hddlError(file, t.pos, "'object' is the root type and cannot be declared");
          // A type may be declared under several parents (multiple inheritance); `object` adds nothing to a real parent.
          if (t.type === 'object') { if (had.length === 0) d.typeParent.set(t.name, ['object']); }
          else d.typeParent.set(t.name, [...had.filter((x) => x !== 'object' && x !== t.type), t.type]);
          if (!d.typePos.has(t.name)) d.typePos.set(t.name, t.pos);
        }
        break;
      case ':constants':
        for (const c of typedList(ctx, items.slice(1), false)) d.constants.push({ name: c.name, type: c.type, pos: c.pos });
        break;
      case ':predicates':
        for (const p of items.slice(1)) {
          const pl = listOf(ctx, p, 'a predicate (name ?args...)', sec.pos);
          const name = nameOf(ctx, pl[0], 'a predicate name', p.pos);
          if (d.predicates.has(name)) hddlError(file, p.pos, `predicate '${name}' declared twice`);
          d.predicates.set(name, { name, params: typedList(ctx, pl.slice(1), true), pos: p.pos });
        }
        break;
      case ':task': {
        const name = nameOf(ctx, items[1], 'a task name', sec.pos);
        const kv = keyValues(ctx, items.slice(2), [':parameters'], `task '${name}'`);
        if (d.tasks.has(name)) hddlError(file, sec.pos, `task '${name}' declared twice`);
        d.tasks.set(name, { name, params: paramsOf(ctx, kv, sec.pos), pos: sec.pos });
        break;
      }
      case ':method':
        d.methods.push(parseMethod(ctx, items, sec.pos));
        break;
      case ':action': {
        const a = parseAction(ctx, items, sec.pos);
        if (d.actions.has(a.name)) hddlError(file, sec.pos, `action '${a.name}' declared twice`);
        d.actions.set(a.name, a);
        break;
      }
      default:
        hddlError(file, items[0].pos, `unsupported section '${key}'`);
    }
  }
  return d;
}
