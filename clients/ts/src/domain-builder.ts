/**
 * Build a planning domain in TypeScript as a Domain message, instead of
 * writing the text form. Bare strings in expressions are names
 * (parameters, locals, constants, state variables); symbols are `e.sym('x')`.
 *
 * ```ts
 * const d = new DomainBuilder('hop')
 *   .vars('at')
 *   .action('hop', ['x', 'y'], [s.require(e.eq(e.at('at', e.sym('me')), 'x')), s.set(e.at('at', e.sym('me')), 'y')])
 *   .task('go', (t) => t.method('direct', ['x', 'y'], [s.ret(e.list(e.item('hop', 'x', 'y')))]))
 *   .build();
 * ```
 */
import { BinaryOp, BuiltinMethod, UnaryOp, type Domain, type Expr, type MethodDecl, type Stmt } from './gen/aria/planner/v1/domain.js';

/** An expression, or a name given as a bare string. */
export type ExprLike = Expr | string;

const x = (v: ExprLike): Expr => (typeof v === 'string' ? { kind: { $case: 'name', name: v } } : v);
const bin = (op: BinaryOp) => (l: ExprLike, r: ExprLike): Expr => ({ kind: { $case: 'binary', binary: { op, left: x(l), right: x(r) } } });

/** Expression constructors. */
export const e = {
  /** A symbol literal: 'table'. */
  sym: (s: string): Expr => ({ kind: { $case: 'lit', lit: { kind: { $case: 'sym', sym: s } } } }),
  num: (n: number): Expr => ({ kind: { $case: 'lit', lit: { kind: { $case: 'num', num: n } } } }),
  bool: (b: boolean): Expr => ({ kind: { $case: 'lit', lit: { kind: { $case: 'boolean', boolean: b } } } }),
  nil: (): Expr => ({ kind: { $case: 'lit', lit: { kind: { $case: 'nil', nil: true } } } }),
  /** A name: parameter, local, constant or state variable. */
  name: (n: string): Expr => x(n),
  /** base[key]: a state variable entry, a constant map entry, or a list element. */
  at: (base: ExprLike, key: ExprLike): Expr => ({ kind: { $case: 'index', index: { base: x(base), key: x(key) } } }),
  /** mg.var: the wanted values of a variable in a multigoal. */
  field: (base: ExprLike, name: string): Expr => ({ kind: { $case: 'field', field: { base: x(base), name } } }),
  /** A helper function or built-in call: len(x). */
  call: (fn: string, ...args: ExprLike[]): Expr => ({ kind: { $case: 'call', call: { fn, args: args.map(x) } } }),
  /** A todo item name(args): an action, task, command, or unigoal var(key, value). */
  item: (name: string, ...args: ExprLike[]): Expr => ({ kind: { $case: 'call', call: { fn: name, args: args.map(x) } } }),
  list: (...items: ExprLike[]): Expr => ({ kind: { $case: 'list', list: { items: items.map(x) } } }),
  tuple: (...items: ExprLike[]): Expr => ({ kind: { $case: 'tuple', tuple: { items: items.map(x) } } }),
  set: (...items: ExprLike[]): Expr => ({ kind: { $case: 'set', set: { items: items.map(x) } } }),
  map: (...entries: [ExprLike, ExprLike][]): Expr => ({ kind: { $case: 'map', map: { entries: entries.map(([k, v]) => ({ key: x(k), value: x(v) })) } } }),
  /** [elem for vars in iter if cond] */
  comp: (elem: ExprLike, vars: string[], iter: ExprLike, cond?: ExprLike): Expr => ({
    kind: { $case: 'comp', comp: { elem: x(elem), vars, iter: x(iter), cond: cond === undefined ? undefined : x(cond) } },
  }),
  /** multigoal name { var[key] = value ... } */
  multigoal: (name: string, goals: [string, ExprLike, ExprLike][]): Expr => ({
    kind: { $case: 'multigoal', multigoal: { name, goals: goals.map(([v, k, val]) => ({ var: v, key: x(k), value: x(val) })) } },
  }),
  add: bin(BinaryOp.BINARY_OP_ADD), sub: bin(BinaryOp.BINARY_OP_SUB), mul: bin(BinaryOp.BINARY_OP_MUL), div: bin(BinaryOp.BINARY_OP_DIV),
  floorDiv: bin(BinaryOp.BINARY_OP_FLOOR_DIV), mod: bin(BinaryOp.BINARY_OP_MOD),
  eq: bin(BinaryOp.BINARY_OP_EQ), ne: bin(BinaryOp.BINARY_OP_NE), lt: bin(BinaryOp.BINARY_OP_LT), le: bin(BinaryOp.BINARY_OP_LE),
  gt: bin(BinaryOp.BINARY_OP_GT), ge: bin(BinaryOp.BINARY_OP_GE), in: bin(BinaryOp.BINARY_OP_IN), notIn: bin(BinaryOp.BINARY_OP_NOT_IN),
  and: bin(BinaryOp.BINARY_OP_AND), or: bin(BinaryOp.BINARY_OP_OR),
  not: (a: ExprLike): Expr => ({ kind: { $case: 'unary', unary: { op: UnaryOp.UNARY_OP_NOT, arg: x(a) } } }),
  neg: (a: ExprLike): Expr => ({ kind: { $case: 'unary', unary: { op: UnaryOp.UNARY_OP_NEG, arg: x(a) } } }),
};

/** Statement constructors. */
export const s = {
  let: (name: string, value: ExprLike): Stmt => ({ kind: { $case: 'letStmt', letStmt: { name, value: x(value) } } }),
  /** target = value: a state entry (e.at(var, key)) in actions, or a local. */
  set: (target: ExprLike, value: ExprLike): Stmt => ({ kind: { $case: 'assignStmt', assignStmt: { target: x(target), value: x(value) } } }),
  if: (test: ExprLike, then: Stmt[], otherwise: Stmt[] = []): Stmt => ({ kind: { $case: 'ifStmt', ifStmt: { test: x(test), thenBody: then, elseBody: otherwise } } }),
  for: (vars: string[], iter: ExprLike, body: Stmt[]): Stmt => ({ kind: { $case: 'forStmt', forStmt: { vars, iter: x(iter), body } } }),
  break: (): Stmt => ({ kind: { $case: 'breakStmt', breakStmt: true } }),
  continue: (): Stmt => ({ kind: { $case: 'continueStmt', continueStmt: true } }),
  /** return [value]: a method's decomposition, a function's value, or an action's success. */
  ret: (value?: ExprLike): Stmt => ({ kind: { $case: 'returnStmt', returnStmt: { value: value === undefined ? undefined : x(value) } } }),
  fail: (): Stmt => ({ kind: { $case: 'failStmt', failStmt: true } }),
  require: (cond: ExprLike): Stmt => ({ kind: { $case: 'requireStmt', requireStmt: x(cond) } }),
  /** choose name in iter: a choice point (methods only). */
  choose: (name: string, iter: ExprLike): Stmt => ({ kind: { $case: 'chooseStmt', chooseStmt: { name, iter: x(iter) } } }),
};

/** Collects the methods of one task, unigoal variable or the multigoal block. */
export class MethodsBuilder {
  /** The methods so far, in order. */
  readonly methods: MethodDecl[] = [];
  /** Adds a method. */
  method(name: string, params: string[], body: Stmt[]): this {
    this.methods.push({ name, params, body, builtin: BuiltinMethod.BUILTIN_METHOD_UNSPECIFIED });
    return this;
  }
  /** Adds GTPyhop's m_split_multigoal (multigoal methods only). */
  splitMultigoal(): this {
    this.methods.push({ name: 'split_multigoal', params: [], body: [], builtin: BuiltinMethod.BUILTIN_METHOD_SPLIT_MULTIGOAL });
    return this;
  }
}

/** Builds a Domain message step by step. */
export class DomainBuilder {
  private readonly d: Domain;

  constructor(name: string) {
    this.d = { name, vars: [], consts: [], functions: [], actions: [], commands: [], tasks: [], unigoals: [], multigoals: [] };
  }
  /** Declares state variables. */
  vars(...names: string[]): this {
    this.d.vars.push(...names.map((name) => ({ name })));
    return this;
  }
  /** A named constant. */
  const(name: string, value: ExprLike): this {
    this.d.consts.push({ name, value: x(value) });
    return this;
  }
  /** A helper function. */
  fn(name: string, params: string[], body: Stmt[]): this {
    this.d.functions.push({ name, params, body });
    return this;
  }
  /** An action. */
  action(name: string, params: string[], body: Stmt[]): this {
    this.d.actions.push({ name, params, body });
    return this;
  }
  /** A command: the acting version of the action of the same name. */
  command(name: string, params: string[], body: Stmt[]): this {
    this.d.commands.push({ name, params, body });
    return this;
  }
  /** The methods of a task. */
  task(name: string, methods: (m: MethodsBuilder) => MethodsBuilder): this {
    this.d.tasks.push({ name, methods: methods(new MethodsBuilder()).methods });
    return this;
  }
  /** The unigoal methods of a state variable (each gets the key and the wanted value). */
  unigoal(variable: string, methods: (m: MethodsBuilder) => MethodsBuilder): this {
    this.d.unigoals.push({ var: variable, methods: methods(new MethodsBuilder()).methods });
    return this;
  }
  /** Multigoal methods (each gets the multigoal). */
  multigoal(methods: (m: MethodsBuilder) => MethodsBuilder): this {
    this.d.multigoals.push(...methods(new MethodsBuilder()).methods);
    return this;
  }
  /** The Domain message. */
  build(): Domain {
    return structuredClone(this.d);
  }
}
