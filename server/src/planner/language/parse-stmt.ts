/**
 * Statement parsing for the `.aria` text form (docs/domain-language.md,
 * "Statements"). A statement ends at `;`, at a line break, or before `}`.
 */
import type { Expr, Pos, Stmt } from './ast.js';
import { describe } from './lexer.js';
import { RESERVED, at } from './parse-cursor.js';
import { ExprParser } from './parse-expr.js';

/** Words that start a declaration; seen where a statement should be, they mean a `}` is missing. */
export const DECLARATION_WORDS = new Set(['domain', 'var', 'const', 'fn', 'action', 'command', 'task', 'unigoal', 'multigoal', 'method', 'builtin']);

/** What a `{ ... }` block belongs to, for "expected '}' to close ..." messages. */
export interface BlockOwner {
  /** e.g. `task 'travel'`, `'if' block`. */
  what: string;
  /** Where the owner starts (its keyword). */
  pos: Pos;
}

/** Statements and blocks on top of the expression grammar. */
export class StmtParser extends ExprParser {
  /** Throws the "missing `}`" error for `owner` at the current token. */
  protected unclosed(owner: BlockOwner): never {
    return this.expected(`'}' to close ${owner.what} opened at ${at(owner.pos)}`);
  }

  /** A declaration keyword followed by a name: the start of the next declaration. */
  protected atDeclaration(): boolean {
    const t = this.tok;
    if (t.kind !== 'ident' || !DECLARATION_WORDS.has(t.text)) return false;
    const n = this.peek();
    if (t.text === 'multigoal') return this.isPunct('{', n);
    return n.kind === 'ident' && !n.nl;
  }

  /** `{ stmt* }`. */
  block(owner: BlockOwner): Stmt[] {
    this.expectPunct('{', ` to open ${owner.what}`);
    return this.nested(() => {
      const body: Stmt[] = [];
      for (;;) {
        while (this.isPunct(';')) this.next();
        if (this.isPunct('}')) break;
        if (this.tok.kind === 'eof' || this.atDeclaration()) this.unclosed(owner);
        body.push(this.statement(owner));
      }
      this.next();
      return body;
    }, 0);
  }

  /** Requires the end of a statement: `;`, a line break, `}` or the end of the file. */
  protected endOfStatement(what: string): void {
    const t = this.tok;
    if (this.isPunct(';') || this.isPunct('}') || t.nl) return;
    this.error(t.pos, `expected end of statement after ${what}, found ${describe(t)}`);
  }

  /** One statement. */
  statement(owner: BlockOwner): Stmt {
    const t = this.tok;
    const pos = t.pos;
    const word = t.kind === 'ident' ? t.text : '';
    let s: Stmt;
    let what = `'${word}'`;
    switch (word) {
      case 'let': {
        this.next();
        const name = this.ident("a local name after 'let'");
        this.expectPunct('=', ` after 'let ${name}'`);
        s = { let: { name, value: this.expr() }, pos };
        what = `'let ${name} = ...'`;
        break;
      }
      case 'if':
        s = this.ifStatement();
        what = "the 'if' statement";
        break;
      case 'for': {
        this.next();
        const vars = [this.ident("a loop variable after 'for'")];
        while (this.isPunct(',')) {
          this.next();
          vars.push(this.ident('a loop variable'));
        }
        if (!this.isWord('in')) this.expected(`'in' after the loop variables`);
        this.next();
        const iter = this.expr();
        const body = this.block({ what: "'for' block", pos });
        s = { for: { vars, iter, body }, pos };
        what = "the 'for' block";
        break;
      }
      case 'break':
      case 'continue':
        this.next();
        s = word === 'break' ? { break: true, pos } : { continue: true, pos };
        break;
      case 'fail':
        this.next();
        s = { fail: true, pos };
        break;
      case 'return': {
        this.next();
        const n = this.tok;
        const bare = n.nl || n.kind === 'eof' || this.isPunct(';') || this.isPunct('}');
        s = bare ? { return: {}, pos } : { return: { value: this.expr() }, pos };
        what = bare ? "'return'" : "'return ...'";
        break;
      }
      case 'require':
        this.next();
        s = { require: this.expr(), pos };
        what = "'require ...'";
        break;
      case 'choose': {
        this.next();
        const name = this.ident("a name after 'choose'");
        if (!this.isWord('in')) this.expected(`'in' after 'choose ${name}'`);
        this.next();
        s = { choose: { name, iter: this.expr() }, pos };
        what = `'choose ${name} in ...'`;
        break;
      }
      default:
        s = this.assignment(owner);
        what = 'the assignment';
    }
    this.endOfStatement(what);
    return s;
  }

  private ifStatement(): Stmt {
    const kw = this.next();
    const test = this.expr();
    const then = this.block({ what: "'if' block", pos: kw.pos });
    let otherwise: Stmt[] = [];
    if (this.isWord('else')) {
      const e = this.next();
      otherwise = this.isWord('if') ? [this.ifStatement()] : this.block({ what: "'else' block", pos: e.pos });
    }
    return { if: { test, then, else: otherwise }, pos: kw.pos };
  }

  /** `name = e` or `v[k] = e`. */
  private assignment(owner: BlockOwner): Stmt {
    const t = this.tok;
    if (t.kind !== 'ident' || RESERVED.has(t.text)) {
      if (this.isWord('else')) this.error(t.pos, "'else' without 'if' (it must follow the '}' of an 'if' block)");
      this.expected(`a statement or '}' to close ${owner.what} opened at ${at(owner.pos)}`);
    }
    const target: Expr = this.expr();
    if (!this.isPunct('=')) {
      if ('name' in target || 'index' in target) this.expected(`'=' after the assignment target`);
      this.error(t.pos, `expected a statement, found an expression (only 'name = ...' and 'var[key] = ...' assign)`);
    }
    if (!('name' in target) && !('index' in target)) {
      this.error(this.tok.pos, "cannot assign to this expression: only 'name = ...' and 'var[key] = ...' assign");
    }
    this.next();
    return { assign: { target, value: this.expr() }, pos: t.pos };
  }
}
