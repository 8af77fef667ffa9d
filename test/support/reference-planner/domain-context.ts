/**
 * What a body being run can see of its domain: constants, state
 * variables, helpers, item names; and the error a domain bug raises.
 */
import type { ConstDecl, Domain, Expr, FunctionDecl } from '../../../server/src/planner/language/ast.js';
import { list, makeSet, tuple, type Value } from './values.js';

/**
 * A domain bug found while planning: the call ends with status `error` and
 * this message. `class` names the kind of bug, for comparisons that can
 * only compare the status for some kinds (see index.ts).
 */
export class DomainBug extends Error {
  constructor(message: string, readonly kind: 'exact' | 'runaway' = 'exact') { super(message); }
}

/** The domain as the interpreter needs it, with constants evaluated once. */
export interface DomainContext {
  domain: Domain;
  consts: Map<string, Value>;
  /** Declared variables and variables with unigoal methods: the names `v[k]` reads the state of. */
  vars: Set<string>;
  helpers: Map<string, FunctionDecl>;
  /** Names that make a todo item when called: actions, commands, tasks, unigoal variables. */
  itemNames: Set<string>;
  /**
   * Loop turns and helper calls left to the planning call under way: the
   * engine stops a runaway loop with its deadline, the reference with this
   * (a 'steps' limit, which comparisons skip).
   */
  steps: { left: number };
}

/** The reference ran out of its step budget (DomainContext.steps). */
export class StepLimit extends Error {}

/** Counts one loop turn or helper call. */
export function step(ctx: DomainContext): void {
  if (--ctx.steps.left < 0) throw new StepLimit();
}

/** Builds the context of a parsed and validated domain. */
export function domainContext(domain: Domain): DomainContext {
  const vars = new Set(domain.vars.map((v) => v.name));
  for (const g of domain.unigoals) vars.add(g.var);
  const itemNames = new Set<string>([
    ...domain.actions.map((a) => a.name), ...domain.commands.map((a) => a.name),
    ...domain.tasks.map((t) => t.name), ...domain.unigoals.map((g) => g.var),
  ]);
  const decls = new Map(domain.consts.map((c) => [c.name, c]));
  const consts = new Map<string, Value>();
  const constOf = (c: ConstDecl): Value => {
    if (!consts.has(c.name)) consts.set(c.name, constValue(c.value, (n) => constOf(decls.get(n)!)));
    return consts.get(c.name)!;
  };
  for (const c of domain.consts) constOf(c);
  return { domain, consts, vars, helpers: new Map(domain.functions.map((f) => [f.name, f])), itemNames, steps: { left: 0 } };
}

/** A constant's value: literals, other constants, and lists, tuples, sets and maps of them. */
function constValue(e: Expr, named: (n: string) => Value): Value {
  const of = (x: Expr): Value => constValue(x, named);
  if ('lit' in e) {
    const l = e.lit;
    return 'sym' in l ? l.sym : 'num' in l ? l.num : 'bool' in l ? l.bool : null;
  }
  if ('name' in e) return named(e.name);
  if ('unary' in e && 'lit' in e.unary.arg && 'num' in e.unary.arg.lit) return -e.unary.arg.lit.num;
  if ('list' in e) return list(e.list.map(of));
  if ('tuple' in e) return tuple(e.tuple.map(of));
  if ('set' in e) return makeSet(e.set.map(of));
  if ('map' in e) return { t: 'map', entries: e.map.map((kv) => [of(kv.key), of(kv.value)] as [Value, Value]) };
  throw new Error('the validator lets no other constant through');
}
