/**
 * Name and arity checks of a parsed domain and problem: every type,
 * predicate, task, action, variable and constant that is used must be
 * declared, with the right number of arguments. Errors name the place.
 */
import type { Pos } from '../planner/index.js';
import type { Effect, Formula, HddlDomain, HddlProblem, Subtask, Term, TypedVar } from './hddl-ast.js';
import { hddlError } from './sexpr.js';
import { TypeTable } from './type-table.js';

/** Names starting with this are kept for the mapping's bookkeeping. */
export const RESERVED_PREFIX = '__';

class Checker {
  constructor(readonly d: HddlDomain, readonly types: TypeTable, readonly file: string) {}

  err(pos: Pos | undefined, msg: string): never { return hddlError(this.file, pos, msg); }

  typedVars(vs: TypedVar[], scope: Set<string>, what: string): Set<string> {
    const out = new Set(scope);
    const mine = new Set<string>();
    for (const v of vs) {
      if (!this.types.has(v.type)) this.err(v.pos, `unknown type '${v.type}'`);
      if (mine.has(v.name)) this.err(v.pos, `${what} '${v.name}' declared twice`);
      mine.add(v.name);
      out.add(v.name);
    }
    return out;
  }

  term(t: Term, scope: Set<string>, pos: Pos): void {
    if (t.startsWith('?')) { if (!scope.has(t)) this.err(pos, `undeclared variable '${t}'`); }
    else if (!this.types.objectType.has(t)) this.err(pos, `unknown constant or object '${t}'`);
  }

  atom(pred: string, args: Term[], scope: Set<string>, pos: Pos): void {
    const p = this.d.predicates.get(pred);
    if (!p) this.err(pos, `unknown predicate '${pred}'`);
    if (p.params.length !== args.length) this.err(pos, `predicate '${pred}' takes ${p.params.length} argument(s), given ${args.length}`);
    for (const a of args) this.term(a, scope, pos);
  }

  formula(f: Formula, scope: Set<string>): void {
    switch (f.kind) {
      case 'true': return;
      case 'atom': return this.atom(f.pred, f.args, scope, f.pos);
      case 'eq': this.term(f.left, scope, f.pos); this.term(f.right, scope, f.pos); return;
      case 'not': return this.formula(f.arg, scope);
      case 'and': case 'or': for (const a of f.args) this.formula(a, scope); return;
      case 'imply': this.formula(f.left, scope); this.formula(f.right, scope); return;
      case 'forall': case 'exists': return this.formula(f.body, this.typedVars(f.vars, scope, 'quantified variable'));
    }
  }

  effect(e: Effect, scope: Set<string>): void {
    switch (e.kind) {
      case 'add': case 'del': return this.atom(e.pred, e.args, scope, e.pos);
      case 'and': for (const a of e.args) this.effect(a, scope); return;
      case 'forall': return this.effect(e.body, this.typedVars(e.vars, scope, 'quantified variable'));
      case 'when': this.formula(e.cond, scope); this.effect(e.body, scope); return;
    }
  }

  subtask(s: Subtask, scope: Set<string>): void {
    const t = this.d.tasks.get(s.task);
    const a = this.d.actions.get(s.task);
    if (!t && !a) this.err(s.pos, `unknown task or action '${s.task}'`);
    const n = (t ?? a)!.params.length;
    if (n !== s.args.length) this.err(s.pos, `'${s.task}' takes ${n} argument(s), given ${s.args.length}`);
    for (const x of s.args) this.term(x, scope, s.pos);
  }

  reserved(name: string, pos: Pos): void {
    if (name.startsWith(RESERVED_PREFIX)) this.err(pos, `unsupported: names starting with '${RESERVED_PREFIX}' are reserved`);
  }

  domain(): void {
    const d = this.d;
    for (const p of d.predicates.values()) { this.reserved(p.name, p.pos); this.typedVars(p.params, new Set(), 'parameter'); }
    for (const t of d.tasks.values()) {
      this.reserved(t.name, t.pos);
      if (d.actions.has(t.name)) this.err(t.pos, `'${t.name}' is declared both as a task and as an action`);
      this.typedVars(t.params, new Set(), 'parameter');
    }
    for (const a of d.actions.values()) {
      this.reserved(a.name, a.pos);
      const scope = this.typedVars(a.params, new Set(), 'parameter');
      this.formula(a.pre, scope);
      this.effect(a.effect, scope);
    }
    const names = new Set<string>();
    for (const m of d.methods) {
      this.reserved(m.name, m.pos);
      if (names.has(m.name)) this.err(m.pos, `method '${m.name}' declared twice`);
      names.add(m.name);
      const scope = this.typedVars(m.params, new Set(), 'parameter');
      const t = d.tasks.get(m.task);
      if (!t) this.err(m.pos, d.actions.has(m.task) ? `method '${m.name}' refines '${m.task}', which is an action` : `method '${m.name}' refines unknown task '${m.task}'`);
      if (t.params.length !== m.taskArgs.length) this.err(m.pos, `task '${m.task}' takes ${t.params.length} argument(s), given ${m.taskArgs.length}`);
      for (const x of m.taskArgs) this.term(x, scope, m.pos);
      this.formula(m.pre, scope);
      for (const s of m.subtasks) this.subtask(s, scope);
    }
  }

  problem(p: HddlProblem): void {
    for (const o of p.objects) this.reserved(o.name, o.pos);
    const scope = this.typedVars(p.htn.params, new Set(), 'parameter');
    this.formula(p.htn.constraints, scope);
    for (const s of p.htn.subtasks) this.subtask(s, scope);
    for (const a of p.init) this.atom(a.pred, a.args, new Set(), a.pos);
    if (p.goal) this.formula(p.goal, new Set());
  }
}

/** Checks a domain on its own (its constants are its only objects). */
export function checkHddlDomain(d: HddlDomain): TypeTable {
  const types = new TypeTable(d);
  for (const c of d.constants) if (c.name.startsWith(RESERVED_PREFIX)) hddlError(d.file, c.pos, `unsupported: names starting with '${RESERVED_PREFIX}' are reserved`);
  new Checker(d, types, d.file).domain();
  return types;
}

/**
 * Checks a problem against its domain; returns the types and objects of both.
 * A problem naming another domain is not an error (several IPC 2020 problems
 * do, and the competition's planners ignore it): mapHddl notes it.
 */
export function checkHddlProblem(d: HddlDomain, p: HddlProblem): TypeTable {
  const types = new TypeTable(d, p);
  new Checker(d, types, p.file).problem(p);
  return types;
}
