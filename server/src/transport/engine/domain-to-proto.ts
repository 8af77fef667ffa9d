/** The library's domain model (ast.ts) as the protobuf Domain message. */
import * as pb from '../../../../gen/ts/aria/planner/v1/domain.js';
import type { ast } from '../../planner/index.js';
import { BINARY_OPS, UNARY_OPS } from './domain-from-proto.js';

const BINARY_BY_OP = new Map([...BINARY_OPS].map(([k, v]) => [v, k]));
const UNARY_BY_OP = new Map([...UNARY_OPS].map(([k, v]) => [v, k]));

/** Converts a domain model to its protobuf message (positions included). */
export function domainToProto(d: ast.Domain): pb.Domain {
  return {
    name: d.name,
    vars: d.vars.map((v) => ({ name: v.name, pos: v.pos })),
    consts: d.consts.map((c) => ({ name: c.name, value: expr(c.value), pos: c.pos })),
    functions: d.functions.map(action),
    actions: d.actions.map((a) => (a.cost ? { ...action(a), cost: expr(a.cost) } : action(a))),
    commands: d.commands.map(action),
    tasks: d.tasks.map((t) => ({ name: t.name, methods: t.methods.map(method), pos: t.pos })),
    unigoals: d.unigoals.map((u) => ({ var: u.var, methods: u.methods.map(method), pos: u.pos })),
    multigoals: d.multigoals.map(method),
  };
}

function action(a: ast.ActionDecl | ast.FunctionDecl): pb.ActionDecl {
  return { name: a.name, params: a.params, body: a.body.map(stmt), pos: a.pos };
}

function method(m: ast.MethodDecl): pb.MethodDecl {
  return {
    name: m.name,
    params: m.params,
    body: m.body.map(stmt),
    builtin: m.builtin === 'split_multigoal' ? pb.BuiltinMethod.BUILTIN_METHOD_SPLIT_MULTIGOAL : pb.BuiltinMethod.BUILTIN_METHOD_UNSPECIFIED,
    pos: m.pos,
  };
}

function stmt(s: ast.Stmt): pb.Stmt {
  return { kind: stmtKind(s), pos: s.pos };
}

function stmtKind(s: ast.Stmt): pb.Stmt['kind'] {
  if ('let' in s) return { $case: 'letStmt', letStmt: { name: s.let.name, value: expr(s.let.value) } };
  if ('assign' in s) return { $case: 'assignStmt', assignStmt: { target: expr(s.assign.target), value: expr(s.assign.value) } };
  if ('if' in s) return { $case: 'ifStmt', ifStmt: { test: expr(s.if.test), thenBody: s.if.then.map(stmt), elseBody: s.if.else.map(stmt) } };
  if ('for' in s) return { $case: 'forStmt', forStmt: { vars: s.for.vars, iter: expr(s.for.iter), body: s.for.body.map(stmt) } };
  if ('break' in s) return { $case: 'breakStmt', breakStmt: true };
  if ('continue' in s) return { $case: 'continueStmt', continueStmt: true };
  if ('return' in s) return { $case: 'returnStmt', returnStmt: { value: s.return.value ? expr(s.return.value) : undefined } };
  if ('fail' in s) return { $case: 'failStmt', failStmt: true };
  if ('require' in s) return { $case: 'requireStmt', requireStmt: expr(s.require) };
  return { $case: 'chooseStmt', chooseStmt: { name: s.choose.name, iter: expr(s.choose.iter) } };
}

function expr(e: ast.Expr): pb.Expr {
  return { kind: exprKind(e), pos: e.pos };
}

function exprKind(e: ast.Expr): pb.Expr['kind'] {
  if ('lit' in e) return { $case: 'lit', lit: literal(e.lit) };
  if ('name' in e) return { $case: 'name', name: e.name };
  if ('index' in e) return { $case: 'index', index: { base: expr(e.index.base), key: expr(e.index.key) } };
  if ('field' in e) return { $case: 'field', field: { base: expr(e.field.base), name: e.field.name } };
  if ('call' in e) return { $case: 'call', call: { fn: e.call.fn, args: e.call.args.map(expr) } };
  if ('binary' in e) {
    const op = BINARY_BY_OP.get(e.binary.op) ?? pb.BinaryOp.BINARY_OP_UNSPECIFIED;
    return { $case: 'binary', binary: { op, left: expr(e.binary.left), right: expr(e.binary.right) } };
  }
  if ('unary' in e) {
    const op = UNARY_BY_OP.get(e.unary.op) ?? pb.UnaryOp.UNARY_OP_UNSPECIFIED;
    return { $case: 'unary', unary: { op, arg: expr(e.unary.arg) } };
  }
  if ('list' in e) return { $case: 'list', list: { items: e.list.map(expr) } };
  if ('tuple' in e) return { $case: 'tuple', tuple: { items: e.tuple.map(expr) } };
  if ('set' in e) return { $case: 'set', set: { items: e.set.map(expr) } };
  if ('map' in e) return { $case: 'map', map: { entries: e.map.map((en) => ({ key: expr(en.key), value: expr(en.value) })) } };
  if ('comp' in e) {
    const c = e.comp;
    return { $case: 'comp', comp: { elem: expr(c.elem), vars: c.vars, iter: expr(c.iter), cond: c.cond ? expr(c.cond) : undefined } };
  }
  const mg = e.multigoal;
  return { $case: 'multigoal', multigoal: { name: mg.name, goals: mg.goals.map((g) => ({ var: g.var, key: expr(g.key), value: expr(g.value) })) } };
}

function literal(l: ast.Literal): pb.Literal {
  if ('sym' in l) return { kind: { $case: 'sym', sym: l.sym } };
  if ('num' in l) return { kind: { $case: 'num', num: l.num } };
  if ('bool' in l) return { kind: { $case: 'boolean', boolean: l.bool } };
  return { kind: { $case: 'nil', nil: true } };
}
