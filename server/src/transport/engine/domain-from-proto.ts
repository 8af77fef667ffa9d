/**
 * The protobuf Domain message as the library's domain model (ast.ts).
 * Structural faults (an expression with no kind, an unknown operator) raise
 * DomainError naming the path, such as `tasks[2].methods[0].body[1].if_stmt.test`;
 * everything else is left to the library's validator, which names paths the
 * same way.
 */
import * as pb from '../../../../gen/ts/aria/planner/v1/domain.js';
import type { ast } from '../../planner/index.js';
import { DomainError } from '../../planner/index.js';

/** Binary operators by protobuf enum value. */
export const BINARY_OPS: ReadonlyMap<pb.BinaryOp, ast.BinaryOp> = new Map<pb.BinaryOp, ast.BinaryOp>([
  [pb.BinaryOp.BINARY_OP_ADD, '+'], [pb.BinaryOp.BINARY_OP_SUB, '-'], [pb.BinaryOp.BINARY_OP_MUL, '*'],
  [pb.BinaryOp.BINARY_OP_DIV, '/'], [pb.BinaryOp.BINARY_OP_FLOOR_DIV, '//'], [pb.BinaryOp.BINARY_OP_MOD, '%'],
  [pb.BinaryOp.BINARY_OP_EQ, '=='], [pb.BinaryOp.BINARY_OP_NE, '!='], [pb.BinaryOp.BINARY_OP_LT, '<'],
  [pb.BinaryOp.BINARY_OP_LE, '<='], [pb.BinaryOp.BINARY_OP_GT, '>'], [pb.BinaryOp.BINARY_OP_GE, '>='],
  [pb.BinaryOp.BINARY_OP_IN, 'in'], [pb.BinaryOp.BINARY_OP_NOT_IN, 'not in'],
  [pb.BinaryOp.BINARY_OP_AND, 'and'], [pb.BinaryOp.BINARY_OP_OR, 'or'],
]);

/** Unary operators by protobuf enum value. */
export const UNARY_OPS: ReadonlyMap<pb.UnaryOp, ast.UnaryOp> = new Map<pb.UnaryOp, ast.UnaryOp>([
  [pb.UnaryOp.UNARY_OP_NOT, 'not'], [pb.UnaryOp.UNARY_OP_NEG, '-'],
]);

/** Nesting deeper than this is refused before it can exhaust the stack. */
const MAX_DEPTH = 200;

/** Converts a protobuf Domain to the domain model; raises DomainError on structural faults. */
export function domainFromProto(d: pb.Domain): ast.Domain {
  if (!d.name) throw new DomainError('name', 'the domain needs a name');
  return {
    name: d.name,
    vars: d.vars.map((v) => withPos({ name: v.name }, v.pos)),
    consts: d.consts.map((c, i) => withPos({ name: c.name, value: expr(c.value, `consts[${i}].value`, 0) }, c.pos)),
    functions: d.functions.map((f, i) => withPos({ name: f.name, params: f.params, body: body(f.body, `functions[${i}].body`, 0) }, f.pos)),
    actions: d.actions.map((a, i) => withPos({
      name: a.name, params: a.params, body: body(a.body, `actions[${i}].body`, 0),
      ...(a.cost ? { cost: expr(a.cost, `actions[${i}].cost`, 0) } : {}),
    }, a.pos)),
    commands: d.commands.map((a, i) => withPos({ name: a.name, params: a.params, body: body(a.body, `commands[${i}].body`, 0) }, a.pos)),
    tasks: d.tasks.map((t, i) => withPos({ name: t.name, methods: methods(t.methods, `tasks[${i}].methods`) }, t.pos)),
    unigoals: d.unigoals.map((u, i) => withPos({ var: u.var, methods: methods(u.methods, `unigoals[${i}].methods`) }, u.pos)),
    multigoals: methods(d.multigoals, 'multigoals'),
  };
}

function withPos<T extends object>(node: T, pos: pb.Pos | undefined): T & { pos?: ast.Pos } {
  return pos ? { ...node, pos: { line: pos.line, col: pos.col } } : node;
}

function methods(ms: pb.MethodDecl[], path: string): ast.MethodDecl[] {
  return ms.map((m, i) => {
    const out: ast.MethodDecl = { name: m.name, params: m.params, body: body(m.body, `${path}[${i}].body`, 0) };
    if (m.builtin === pb.BuiltinMethod.BUILTIN_METHOD_SPLIT_MULTIGOAL) out.builtin = 'split_multigoal';
    else if (m.builtin !== pb.BuiltinMethod.BUILTIN_METHOD_UNSPECIFIED) throw new DomainError(`${path}[${i}].builtin`, `unknown built-in method ${m.builtin}`);
    return withPos(out, m.pos);
  });
}

function body(stmts: pb.Stmt[], path: string, depth: number): ast.Stmt[] {
  return stmts.map((s, i) => stmt(s, `${path}[${i}]`, depth + 1));
}

function stmt(s: pb.Stmt, path: string, depth: number): ast.Stmt {
  if (depth > MAX_DEPTH) throw new DomainError(path, `statements nest deeper than ${MAX_DEPTH} levels`);
  const k = s.kind;
  if (k === undefined) throw new DomainError(path, 'statement has no kind');
  let out: ast.Stmt;
  switch (k.$case) {
    case 'letStmt':
      out = { let: { name: k.letStmt.name, value: expr(k.letStmt.value, `${path}.let_stmt.value`, depth) } };
      break;
    case 'assignStmt':
      out = { assign: { target: expr(k.assignStmt.target, `${path}.assign_stmt.target`, depth), value: expr(k.assignStmt.value, `${path}.assign_stmt.value`, depth) } };
      break;
    case 'ifStmt':
      out = {
        if: {
          test: expr(k.ifStmt.test, `${path}.if_stmt.test`, depth),
          then: body(k.ifStmt.thenBody, `${path}.if_stmt.then_body`, depth),
          else: body(k.ifStmt.elseBody, `${path}.if_stmt.else_body`, depth),
        },
      };
      break;
    case 'forStmt':
      out = { for: { vars: k.forStmt.vars, iter: expr(k.forStmt.iter, `${path}.for_stmt.iter`, depth), body: body(k.forStmt.body, `${path}.for_stmt.body`, depth) } };
      break;
    case 'breakStmt':
      out = { break: true };
      break;
    case 'continueStmt':
      out = { continue: true };
      break;
    case 'returnStmt':
      out = { return: k.returnStmt.value ? { value: expr(k.returnStmt.value, `${path}.return_stmt.value`, depth) } : {} };
      break;
    case 'failStmt':
      out = { fail: true };
      break;
    case 'requireStmt':
      out = { require: expr(k.requireStmt, `${path}.require_stmt`, depth) };
      break;
    case 'chooseStmt':
      out = { choose: { name: k.chooseStmt.name, iter: expr(k.chooseStmt.iter, `${path}.choose_stmt.iter`, depth) } };
      break;
  }
  return withPos(out, s.pos);
}

function exprs(items: pb.Expr[], path: string, depth: number): ast.Expr[] {
  return items.map((e, i) => expr(e, `${path}[${i}]`, depth));
}

function expr(e: pb.Expr | undefined, path: string, depth: number): ast.Expr {
  if (depth > MAX_DEPTH) throw new DomainError(path, `expressions nest deeper than ${MAX_DEPTH} levels`);
  const k = e?.kind;
  if (e === undefined || k === undefined) throw new DomainError(path, 'expression missing or without a kind');
  const d = depth + 1;
  let out: ast.Expr;
  switch (k.$case) {
    case 'lit':
      out = { lit: literal(k.lit, `${path}.lit`) };
      break;
    case 'name':
      out = { name: k.name };
      break;
    case 'index':
      out = { index: { base: expr(k.index.base, `${path}.index.base`, d), key: expr(k.index.key, `${path}.index.key`, d) } };
      break;
    case 'field':
      out = { field: { base: expr(k.field.base, `${path}.field.base`, d), name: k.field.name } };
      break;
    case 'call':
      out = { call: { fn: k.call.fn, args: exprs(k.call.args, `${path}.call.args`, d) } };
      break;
    case 'binary': {
      const op = BINARY_OPS.get(k.binary.op);
      if (op === undefined) throw new DomainError(`${path}.binary.op`, `unknown binary operator ${k.binary.op}`);
      out = { binary: { op, left: expr(k.binary.left, `${path}.binary.left`, d), right: expr(k.binary.right, `${path}.binary.right`, d) } };
      break;
    }
    case 'unary': {
      const op = UNARY_OPS.get(k.unary.op);
      if (op === undefined) throw new DomainError(`${path}.unary.op`, `unknown unary operator ${k.unary.op}`);
      out = { unary: { op, arg: expr(k.unary.arg, `${path}.unary.arg`, d) } };
      break;
    }
    case 'list':
      out = { list: exprs(k.list.items, `${path}.list.items`, d) };
      break;
    case 'tuple':
      out = { tuple: exprs(k.tuple.items, `${path}.tuple.items`, d) };
      break;
    case 'set':
      out = { set: exprs(k.set.items, `${path}.set.items`, d) };
      break;
    case 'map':
      out = { map: k.map.entries.map((en, i) => ({ key: expr(en.key, `${path}.map.entries[${i}].key`, d), value: expr(en.value, `${path}.map.entries[${i}].value`, d) })) };
      break;
    case 'comp': {
      const c = k.comp;
      const comp: { elem: ast.Expr; vars: string[]; iter: ast.Expr; cond?: ast.Expr } = {
        elem: expr(c.elem, `${path}.comp.elem`, d), vars: c.vars, iter: expr(c.iter, `${path}.comp.iter`, d),
      };
      if (c.cond) comp.cond = expr(c.cond, `${path}.comp.cond`, d);
      out = { comp };
      break;
    }
    case 'multigoal':
      out = {
        multigoal: {
          name: k.multigoal.name,
          goals: k.multigoal.goals.map((g, i) => ({ var: g.var, key: expr(g.key, `${path}.multigoal.goals[${i}].key`, d), value: expr(g.value, `${path}.multigoal.goals[${i}].value`, d) })),
        },
      };
      break;
  }
  return withPos(out, e.pos);
}

function literal(l: pb.Literal, path: string): ast.Literal {
  const k = l.kind;
  if (k === undefined) throw new DomainError(path, 'literal has no kind (sym, num, boolean or nil)');
  switch (k.$case) {
    case 'sym':
      return { sym: k.sym };
    case 'num':
      if (!Number.isFinite(k.num)) throw new DomainError(`${path}.num`, 'must be a finite number');
      return { num: k.num };
    case 'boolean':
      return { bool: k.boolean };
    case 'nil':
      return { nil: true };
  }
}
