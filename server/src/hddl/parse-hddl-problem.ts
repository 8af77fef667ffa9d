/**
 * The HDDL problem parser: objects, the initial task network, the initial
 * state (ground atoms) and an optional goal.
 */
import type { GroundAtom, HddlProblem, TaskNetwork } from './hddl-ast.js';
import { type Ctx, atomText, listOf, nameOf, parseFormula, typedList } from './parse-formula.js';
import { keyValues, orderedSubtasks, paramsOf, withConstraints } from './parse-hddl-domain.js';
import { hddlError, isAtom, readSExprs } from './sexpr.js';

/** Parses the text of an HDDL problem file. Throws DomainError (`file:line:col: ...`). */
export function parseHddlProblem(text: string, file = '<problem.hddl>'): HddlProblem {
  const ctx: Ctx = { file };
  const spelling = new Map<string, string>();
  const top = readSExprs(text, file, spelling);
  if (top.length !== 1) hddlError(file, top[1]?.pos ?? { line: 1, col: 1 }, top.length === 0 ? 'empty file: expected (define (problem ...) ...)' : 'text after the end of the problem definition');
  const all = listOf(ctx, top[0], '(define (problem name) ...)', top[0].pos);
  if (!isAtom(all[0], 'define')) hddlError(file, top[0].pos, 'expected (define (problem name) ...)');
  const head = listOf(ctx, all[1], '(problem name)', top[0].pos);
  if (!isAtom(head[0], 'problem')) hddlError(file, all[1]?.pos ?? top[0].pos, 'expected (problem name); is this a domain file?');
  const p: HddlProblem = {
    name: nameOf(ctx, head[1], 'a problem name', all[1].pos),
    file, domain: '', objects: [], htn: { params: [], constraints: { kind: 'true', pos: top[0].pos }, subtasks: [], pos: top[0].pos }, init: [], goal: null, spelling,
  };
  const seen = new Set<string>();
  for (const sec of all.slice(2)) {
    const items = listOf(ctx, sec, 'a section such as (:init ...)', sec.pos);
    const key = atomText(ctx, items[0], 'a section keyword', sec.pos);
    if (seen.has(key)) hddlError(file, sec.pos, `section '${key}' given twice`);
    seen.add(key);
    switch (key) {
      case ':domain':
        p.domain = nameOf(ctx, items[1], 'a domain name', sec.pos);
        break;
      case ':requirements':
        hddlError(file, sec.pos, 'unsupported: requirements in a problem file');
        break;
      case ':objects':
        for (const o of typedList(ctx, items.slice(1), false)) p.objects.push({ name: o.name, type: o.type, pos: o.pos });
        break;
      case ':htn': {
        const kv = keyValues(ctx, items.slice(1), [':parameters', ':subtasks', ':tasks', ':ordered-subtasks', ':ordered-tasks', ':ordering', ':constraints'], 'the initial task network');
        const htn: TaskNetwork = {
          params: paramsOf(ctx, kv, sec.pos),
          constraints: withConstraints(ctx, { kind: 'true', pos: sec.pos }, kv),
          ...orderedSubtasks(ctx, kv, sec.pos, 'the initial task network'),
          pos: sec.pos,
        };
        p.htn = htn;
        break;
      }
      case ':init':
        for (const a of items.slice(1)) p.init.push(groundAtom(ctx, a));
        break;
      case ':goal': {
        if (items.length !== 2) hddlError(file, sec.pos, ':goal takes one formula');
        const g = parseFormula(ctx, items[1]);
        p.goal = g.kind === 'true' ? null : g;
        break;
      }
      default:
        hddlError(file, items[0].pos, `unsupported section '${key}'`);
    }
  }
  if (!seen.has(':htn')) hddlError(file, top[0].pos, 'the problem has no initial task network (:htn ...)');
  return p;
}

function groundAtom(ctx: Ctx, e: Parameters<typeof parseFormula>[1]): GroundAtom {
  const f = parseFormula(ctx, e);
  if (f.kind === 'eq') hddlError(ctx.file, e.pos, 'unsupported: equality in the initial state');
  if (f.kind === 'not') hddlError(ctx.file, e.pos, 'unsupported: negative literal in the initial state (the state is closed-world)');
  if (f.kind !== 'atom') hddlError(ctx.file, e.pos, 'the initial state lists ground atoms only');
  for (const a of f.args) if (a.startsWith('?')) hddlError(ctx.file, e.pos, `a variable (${a}) in the initial state`);
  return { pred: f.pred, args: f.args, pos: f.pos };
}
