/**
 * Shape checks for a domain given as plain data (JSON, protobuf): every
 * field has the type ast.ts says, and every Expr and Stmt has exactly one
 * kind. Errors name the data path, such as `tasks[2].methods[0].body[1]`.
 * The later checks (validate-domain.ts) rely on this having passed.
 */
import type { Domain } from '../language/ast.js';
import { DomainError } from '../errors.js';

type Obj = Record<string, unknown>;

const BINARY_OPS = new Set(['+', '-', '*', '/', '//', '%', '==', '!=', '<', '<=', '>', '>=', 'in', 'not in', 'and', 'or']);
const STMT_KINDS = ['let', 'assign', 'if', 'for', 'break', 'continue', 'return', 'fail', 'require', 'choose'];
const EXPR_KINDS = ['lit', 'name', 'index', 'field', 'call', 'binary', 'unary', 'list', 'tuple', 'set', 'map', 'comp', 'multigoal'];
const LIT_KINDS = ['sym', 'num', 'bool', 'nil'];
const DECL_LISTS = ['vars', 'consts', 'functions', 'actions', 'commands', 'tasks', 'unigoals', 'multigoals'] as const;

function bad(path: string, message: string): never {
  throw new DomainError(path, message);
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return `string ${JSON.stringify(v)}`;
  return typeof v === 'object' || typeof v === 'function' ? `an ${typeof v}` : `${typeof v} ${String(v)}`;
}

/** `path.key`; the domain itself has the empty path, so its fields are named bare (`vars[0]`). */
function sub(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

function obj(v: unknown, path: string, what: string): Obj {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) bad(path || 'domain', `expected ${what} (an object), found ${typeName(v)}`);
  return v as Obj;
}

function arr(o: Obj, key: string, path: string): unknown[] {
  const v = o[key];
  if (v === undefined) bad(path || 'domain', `missing '${key}' (an array)`);
  if (!Array.isArray(v)) bad(sub(path, key), `expected an array, found ${typeName(v)}`);
  return v;
}

function str(o: Obj, key: string, path: string): void {
  const v = o[key];
  if (v === undefined) bad(path || 'domain', `missing '${key}' (a non-empty string)`);
  if (typeof v !== 'string' || v === '') bad(sub(path, key), `expected a non-empty string, found ${typeName(v)}`);
}

function strList(o: Obj, key: string, path: string, allowEmpty: boolean): void {
  const list = arr(o, key, path);
  if (!allowEmpty && list.length === 0) bad(`${path}.${key}`, 'expected at least one name');
  list.forEach((v, i) => {
    if (typeof v !== 'string' || v === '') bad(`${path}.${key}[${i}]`, `expected a non-empty string, found ${typeName(v)}`);
  });
}

function pos(o: Obj, path: string): void {
  const p = o['pos'];
  if (p === undefined) return;
  const ok = typeof p === 'object' && p !== null && Number.isInteger((p as Obj)['line']) && Number.isInteger((p as Obj)['col'])
    && ((p as Obj)['line'] as number) >= 1 && ((p as Obj)['col'] as number) >= 1;
  if (!ok) bad(`${path}.pos`, 'expected {line, col} with whole numbers from 1');
}

/** The one kind key of an Expr or Stmt; keys whose value is undefined do not count. */
function kindOf(o: Obj, path: string, kinds: string[], what: string, noun: string): string {
  const keys = Object.keys(o).filter((k) => k !== 'pos' && o[k] !== undefined);
  if (keys.length !== 1) {
    const found = keys.length === 0 ? 'none' : `${keys.length}: ${keys.join(', ')}`;
    bad(path, `${what} must have exactly one of ${kinds.join(', ')} (found ${found})`);
  }
  const k = keys[0]!;
  if (!kinds.includes(k)) bad(path, `unknown ${noun} kind '${k}'; expected one of ${kinds.join(', ')}`);
  return k;
}

function exprList(list: unknown[], path: string): void {
  list.forEach((e, i) => expr(e, `${path}[${i}]`));
}

function expr(v: unknown, path: string): void {
  const o = obj(v, path, 'an expression');
  pos(o, path);
  const k = kindOf(o, path, EXPR_KINDS, 'an expression', 'expression');
  const p = `${path}.${k}`;
  const x = o[k];
  switch (k) {
    case 'lit': {
      const l = obj(x, p, 'a literal');
      const lk = kindOf(l, p, LIT_KINDS, 'a literal', 'literal');
      const lv = l[lk];
      const ok = lk === 'sym' ? typeof lv === 'string'
        : lk === 'num' ? typeof lv === 'number' && Number.isFinite(lv)
          : lk === 'bool' ? typeof lv === 'boolean' : lv === true;
      const want = { sym: 'a string', num: 'a finite number', bool: 'a boolean', nil: 'true' }[lk];
      if (!ok) bad(`${p}.${lk}`, `expected ${want}, found ${typeName(lv)}`);
      return;
    }
    case 'name':
      if (typeof x !== 'string' || x === '') bad(p, `expected a non-empty string, found ${typeName(x)}`);
      return;
    case 'index': {
      const q = obj(x, p, 'an index');
      expr(q['base'], `${p}.base`);
      expr(q['key'], `${p}.key`);
      return;
    }
    case 'field': {
      const q = obj(x, p, 'a field access');
      expr(q['base'], `${p}.base`);
      str(q, 'name', p);
      return;
    }
    case 'call': {
      const q = obj(x, p, 'a call');
      str(q, 'fn', p);
      exprList(arr(q, 'args', p), `${p}.args`);
      return;
    }
    case 'binary': {
      const q = obj(x, p, 'a binary operation');
      if (typeof q['op'] !== 'string' || !BINARY_OPS.has(q['op'])) bad(`${p}.op`, `unknown binary operator ${typeName(q['op'])}`);
      expr(q['left'], `${p}.left`);
      expr(q['right'], `${p}.right`);
      return;
    }
    case 'unary': {
      const q = obj(x, p, 'a unary operation');
      if (q['op'] !== 'not' && q['op'] !== '-') bad(`${p}.op`, `unknown unary operator ${typeName(q['op'])}`);
      expr(q['arg'], `${p}.arg`);
      return;
    }
    case 'list':
    case 'tuple':
    case 'set':
      if (!Array.isArray(x)) bad(p, `expected an array, found ${typeName(x)}`);
      exprList(x, p);
      return;
    case 'map':
      if (!Array.isArray(x)) bad(p, `expected an array of {key, value}, found ${typeName(x)}`);
      x.forEach((entry, i) => {
        const q = obj(entry, `${p}[${i}]`, 'a map entry');
        expr(q['key'], `${p}[${i}].key`);
        expr(q['value'], `${p}[${i}].value`);
      });
      return;
    case 'comp': {
      const q = obj(x, p, 'a comprehension');
      expr(q['elem'], `${p}.elem`);
      strList(q, 'vars', p, false);
      expr(q['iter'], `${p}.iter`);
      if (q['cond'] !== undefined) expr(q['cond'], `${p}.cond`);
      return;
    }
    default: {
      const q = obj(x, p, 'a multigoal');
      str(q, 'name', p);
      arr(q, 'goals', p).forEach((g, i) => {
        const gp = `${p}.goals[${i}]`;
        const go = obj(g, gp, 'a goal');
        str(go, 'var', gp);
        expr(go['key'], `${gp}.key`);
        expr(go['value'], `${gp}.value`);
      });
    }
  }
}

function stmts(o: Obj, key: string, path: string): void {
  arr(o, key, path).forEach((s, i) => stmt(s, `${path}.${key}[${i}]`));
}

function stmt(v: unknown, path: string): void {
  const o = obj(v, path, 'a statement');
  pos(o, path);
  const k = kindOf(o, path, STMT_KINDS, 'a statement', 'statement');
  const p = `${path}.${k}`;
  const x = o[k];
  switch (k) {
    case 'let': {
      const q = obj(x, p, "a 'let'");
      str(q, 'name', p);
      expr(q['value'], `${p}.value`);
      return;
    }
    case 'assign': {
      const q = obj(x, p, 'an assignment');
      expr(q['target'], `${p}.target`);
      expr(q['value'], `${p}.value`);
      return;
    }
    case 'if': {
      const q = obj(x, p, "an 'if'");
      expr(q['test'], `${p}.test`);
      stmts(q, 'then', p);
      stmts(q, 'else', p);
      return;
    }
    case 'for': {
      const q = obj(x, p, "a 'for'");
      strList(q, 'vars', p, false);
      expr(q['iter'], `${p}.iter`);
      stmts(q, 'body', p);
      return;
    }
    case 'return': {
      const q = obj(x, p, "a 'return'");
      if (q['value'] !== undefined) expr(q['value'], `${p}.value`);
      return;
    }
    case 'require':
      expr(x, p);
      return;
    case 'choose': {
      const q = obj(x, p, "a 'choose'");
      str(q, 'name', p);
      expr(q['iter'], `${p}.iter`);
      return;
    }
    default:
      if (x !== true) bad(p, `expected true, found ${typeName(x)}`);
  }
}

function routine(v: unknown, path: string, what: string, isMethod: boolean): void {
  const o = obj(v, path, what);
  pos(o, path);
  str(o, 'name', path);
  strList(o, 'params', path, true);
  stmts(o, 'body', path);
  if (isMethod && o['builtin'] !== undefined && o['builtin'] !== 'split_multigoal') {
    bad(`${path}.builtin`, `unknown built-in method ${typeName(o['builtin'])}; the only one is 'split_multigoal'`);
  }
}

/** Throws DomainError at the data path of the first field whose shape is not the one of ast.ts. */
export function checkShape(d: unknown): asserts d is Domain {
  const o = obj(d, '', 'a domain');
  str(o, 'name', '');
  for (const key of DECL_LISTS) arr(o, key, '');
  (o['vars'] as unknown[]).forEach((v, i) => {
    const p = `vars[${i}]`;
    pos(obj(v, p, 'a state variable declaration'), p);
    str(v as Obj, 'name', p);
  });
  (o['consts'] as unknown[]).forEach((v, i) => {
    const p = `consts[${i}]`;
    const c = obj(v, p, 'a constant declaration');
    pos(c, p);
    str(c, 'name', p);
    expr(c['value'], `${p}.value`);
  });
  for (const key of ['functions', 'actions', 'commands'] as const) {
    (o[key] as unknown[]).forEach((v, i) => routine(v, `${key}[${i}]`, 'a declaration', false));
  }
  // Only an action may have a cost, and it is an expression.
  (o['actions'] as unknown[]).forEach((v, i) => { if ((v as Obj)['cost'] !== undefined) expr((v as Obj)['cost'], `actions[${i}].cost`); });
  (o['commands'] as unknown[]).forEach((v, i) => { if ((v as Obj)['cost'] !== undefined) bad(`commands[${i}].cost`, 'a command has no cost (its action has)'); });
  (o['functions'] as unknown[]).forEach((v, i) => { if ((v as Obj)['cost'] !== undefined) bad(`functions[${i}].cost`, 'a function has no cost'); });
  for (const key of ['tasks', 'unigoals'] as const) {
    (o[key] as unknown[]).forEach((v, i) => {
      const p = `${key}[${i}]`;
      const t = obj(v, p, key === 'tasks' ? 'a task' : 'a unigoal declaration');
      pos(t, p);
      str(t, key === 'tasks' ? 'name' : 'var', p);
      arr(t, 'methods', p).forEach((m, j) => routine(m, `${p}.methods[${j}]`, 'a method', true));
    });
  }
  (o['multigoals'] as unknown[]).forEach((m, i) => routine(m, `multigoals[${i}]`, 'a method', true));
}
