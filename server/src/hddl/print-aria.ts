/**
 * Prints a domain model in the Aria text form (docs/domain-language.md), so
 * that what the HDDL mapping generates can be read (`aria hddl --emit-aria`).
 * Every compound subexpression is parenthesised: meant for people, not for
 * round trips.
 */
import type { Domain, Expr, MethodDecl, Stmt } from '../planner/index.js';

function lit(e: Extract<Expr, { lit: unknown }>['lit']): string {
  if ('sym' in e) return `'${e.sym}'`;
  if ('num' in e) return String(e.num);
  if ('bool' in e) return String(e.bool);
  return 'nil';
}

/** One expression. */
export function printExpr(e: Expr): string {
  if ('lit' in e) return lit(e.lit);
  if ('name' in e) return e.name;
  if ('index' in e) return `${printExpr(e.index.base)}[${printExpr(e.index.key)}]`;
  if ('field' in e) return `${printExpr(e.field.base)}.${e.field.name}`;
  if ('call' in e) return `${e.call.fn}(${e.call.args.map(printExpr).join(', ')})`;
  if ('binary' in e) return `(${printExpr(e.binary.left)} ${e.binary.op} ${printExpr(e.binary.right)})`;
  if ('unary' in e) return e.unary.op === 'not' ? `(not ${printExpr(e.unary.arg)})` : `(-${printExpr(e.unary.arg)})`;
  if ('list' in e) return `[${e.list.map(printExpr).join(', ')}]`;
  if ('tuple' in e) return `(${e.tuple.map(printExpr).join(', ')}${e.tuple.length === 1 ? ',' : ''})`;
  if ('set' in e) return `{${e.set.map(printExpr).join(', ')}}`;
  if ('map' in e) return `{${e.map.map((kv) => `${printExpr(kv.key)}: ${printExpr(kv.value)}`).join(', ')}}`;
  if ('comp' in e) {
    const c = e.comp;
    return `[${printExpr(c.elem)} for ${c.vars.join(', ')} in ${printExpr(c.iter)}${c.cond ? ` if ${printExpr(c.cond)}` : ''}]`;
  }
  const g = e.multigoal;
  return `multigoal '${g.name}' { ${g.goals.map((x) => `${x.var}[${printExpr(x.key)}] = ${printExpr(x.value)}`).join('; ')} }`;
}

function block(stmts: Stmt[], ind: string): string[] {
  return stmts.flatMap((s) => stmt(s, ind));
}

function stmt(s: Stmt, ind: string): string[] {
  if ('let' in s) return [`${ind}let ${s.let.name} = ${printExpr(s.let.value)}`];
  if ('assign' in s) return [`${ind}${printExpr(s.assign.target)} = ${printExpr(s.assign.value)}`];
  if ('if' in s) {
    const out = [`${ind}if ${printExpr(s.if.test)} {`, ...block(s.if.then, `${ind}  `)];
    if (s.if.else.length > 0) out.push(`${ind}} else {`, ...block(s.if.else, `${ind}  `));
    return [...out, `${ind}}`];
  }
  if ('for' in s) return [`${ind}for ${s.for.vars.join(', ')} in ${printExpr(s.for.iter)} {`, ...block(s.for.body, `${ind}  `), `${ind}}`];
  if ('break' in s) return [`${ind}break`];
  if ('continue' in s) return [`${ind}continue`];
  if ('return' in s) return [`${ind}return${s.return.value ? ` ${printExpr(s.return.value)}` : ''}`];
  if ('fail' in s) return [`${ind}fail`];
  if ('require' in s) return [`${ind}require ${printExpr(s.require)}`];
  return [`${ind}choose ${s.choose.name} in ${printExpr(s.choose.iter)}`];
}

function method(m: MethodDecl, ind: string): string[] {
  return [`${ind}method ${m.name}(${m.params.join(', ')}) {`, ...block(m.body, `${ind}  `), `${ind}}`];
}

/** The whole domain as text. */
export function printDomain(d: Domain): string {
  const out = [`domain ${d.name}`, ''];
  if (d.vars.length > 0) out.push(`var ${d.vars.map((v) => v.name).join(', ')}`, '');
  for (const c of d.consts) out.push(`const ${c.name} = ${printExpr(c.value)}`);
  for (const f of d.functions) out.push('', `fn ${f.name}(${f.params.join(', ')}) {`, ...block(f.body, '  '), '}');
  for (const a of d.actions) out.push('', `action ${a.name}(${a.params.join(', ')}) {`, ...block(a.body, '  '), '}');
  for (const t of d.tasks) out.push('', `task ${t.name} {`, ...t.methods.flatMap((m) => method(m, '  ')), '}');
  return `${out.join('\n')}\n`;
}
