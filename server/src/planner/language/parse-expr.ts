/**
 * Expression parsing for the `.aria` text form: the operator-precedence
 * grammar of docs/domain-language.md ("Expressions").
 */
import type { BinaryOp, Expr, Pos } from './ast.js';
import { Cursor, RESERVED, at } from './parse-cursor.js';

const COMPARISONS = new Set(['==', '!=', '<', '<=', '>', '>=']);

/** The expression grammar; statements and declarations build on it. */
export class ExprParser extends Cursor {
  /** A binary operator or `.` continues the expression unless, outside brackets, it starts a new line. */
  private continues(): boolean {
    return !this.tok.nl || this.depth > 0;
  }

  /** Parses one expression. */
  expr(): Expr {
    return this.leftAssoc(['or'], () => this.leftAssoc(['and'], () => this.notLevel()));
  }

  /** `operand (op operand)*` for the operators `ops`, grouped to the left. */
  private leftAssoc(ops: string[], operand: () => Expr): Expr {
    let left = operand();
    for (;;) {
      const t = this.tok;
      if (t.kind === 'str' || t.kind === 'num' || !ops.includes(t.text) || !this.continues()) return left;
      this.next();
      left = { binary: { op: t.text as BinaryOp, left, right: operand() }, pos: t.pos };
    }
  }

  /** `+ -` over `* / // %` over unary minus. */
  private sum(): Expr {
    return this.leftAssoc(['+', '-'], () => this.leftAssoc(['*', '/', '//', '%'], () => this.unary()));
  }

  private notLevel(): Expr {
    if (this.isWord('not')) {
      const t = this.next();
      return { unary: { op: 'not', arg: this.notLevel() }, pos: t.pos };
    }
    return this.comparison();
  }

  private comparisonOp(): string | undefined {
    if (!this.continues()) return undefined;
    const t = this.tok;
    if (t.kind === 'punct' && COMPARISONS.has(t.text)) return t.text;
    if (this.isWord('in')) return 'in';
    if (this.isWord('not') && this.isWord('in', this.peek())) return 'not in';
    return undefined;
  }

  private comparison(): Expr {
    const left = this.sum();
    const op = this.comparisonOp();
    if (op === undefined) return left;
    const opTok = this.next();
    if (op === 'not in') this.next();
    const right = this.sum();
    const e: Expr = { binary: { op: op as BinaryOp, left, right }, pos: opTok.pos };
    const again = this.comparisonOp();
    if (again !== undefined) {
      this.error(this.tok.pos, `comparisons cannot be chained: write 'a ${op} b and b ${again} c'`);
    }
    return e;
  }

  private unary(): Expr {
    if (this.isPunct('-')) {
      const t = this.next();
      const arg = this.unary();
      // `-3` is a number literal, as the spec lists it among the numbers.
      if ('lit' in arg && 'num' in arg.lit) return { lit: { num: -arg.lit.num }, pos: t.pos };
      return { unary: { op: '-', arg }, pos: t.pos };
    }
    return this.postfix();
  }

  private postfix(): Expr {
    let e = this.primary();
    for (;;) {
      const t = this.tok;
      // A `[` or `(` on a new line never continues the expression before it.
      if (this.isPunct('[') && !t.nl) {
        this.next();
        const key = this.nested(() => this.expr());
        this.closing(']', '[', t.pos);
        e = { index: { base: e, key }, pos: t.pos };
      } else if (this.isPunct('.') && this.continues()) {
        this.next();
        const name = this.ident("a state variable name after '.'");
        e = { field: { base: e, name }, pos: t.pos };
      } else if (this.isPunct('(') && !t.nl) {
        if (!('name' in e)) this.error(t.pos, 'only a name can be called');
        this.next();
        const args = this.nested(() => this.sequence(')', '(', t.pos, 'argument list'));
        e = { call: { fn: e.name, args }, pos: e.pos! };
      } else {
        return e;
      }
    }
  }

  /** Expects the closing bracket of a group opened at `open`. */
  private closing(close: string, open: string, openPos: Pos): void {
    if (!this.isPunct(close)) this.expected(`'${close}' to close '${open}' opened at ${at(openPos)}`);
    this.next();
  }

  /** Comma-separated expressions up to `close` (a trailing comma is allowed); the opening bracket is already consumed. */
  private sequence(close: string, open: string, openPos: Pos, what: string): Expr[] {
    const items: Expr[] = [];
    while (!this.isPunct(close)) {
      items.push(this.expr());
      if (this.isPunct(',')) {
        this.next();
      } else if (!this.isPunct(close)) {
        this.expected(`',' or '${close}' in ${what} opened at ${at(openPos)}`);
      }
    }
    this.closing(close, open, openPos);
    return items;
  }

  private primary(): Expr {
    const t = this.tok;
    const pos = t.pos;
    switch (t.kind) {
      case 'num':
        this.next();
        return { lit: { num: t.value }, pos };
      case 'str':
        this.next();
        return { lit: { sym: t.text }, pos };
      case 'ident':
        if (t.text === 'true' || t.text === 'false') {
          this.next();
          return { lit: { bool: t.text === 'true' }, pos };
        }
        if (t.text === 'nil') {
          this.next();
          return { lit: { nil: true }, pos };
        }
        if (t.text === 'multigoal' && this.peek().kind === 'str') return this.multigoalLiteral();
        if (RESERVED.has(t.text)) this.expected('an expression');
        this.next();
        return { name: t.text, pos };
      case 'punct':
        if (t.text === '(') return this.paren();
        if (t.text === '[') return this.listOrComp();
        if (t.text === '{') return this.setOrMap();
        break;
      default:
        break;
    }
    return this.expected('an expression');
  }

  /** `()`, `(e)` (grouping), `(e,)`, `(a, b)`. */
  private paren(): Expr {
    const open = this.next();
    return this.nested(() => {
      if (this.isPunct(')')) {
        this.next();
        return { tuple: [], pos: open.pos };
      }
      const first = this.expr();
      if (!this.isPunct(',')) {
        this.closing(')', '(', open.pos);
        return first;
      }
      this.next();
      const rest = this.sequence(')', '(', open.pos, 'tuple');
      return { tuple: [first, ...rest], pos: open.pos };
    });
  }

  /** `[a, b]` or `[e for x in it if c]`. */
  private listOrComp(): Expr {
    const open = this.next();
    return this.nested(() => {
      if (this.isPunct(']')) {
        this.next();
        return { list: [], pos: open.pos };
      }
      const first = this.expr();
      if (this.isWord('for')) {
        this.next();
        const vars = [this.ident('a loop variable')];
        while (this.isPunct(',')) {
          this.next();
          vars.push(this.ident('a loop variable'));
        }
        if (!this.isWord('in')) this.expected(`'in' after the loop variables`);
        this.next();
        const iter = this.expr();
        let cond: Expr | undefined;
        if (this.isWord('if')) {
          this.next();
          cond = this.expr();
        }
        this.closing(']', '[', open.pos);
        const comp: Expr = { comp: { elem: first, vars, iter }, pos: open.pos };
        if (cond !== undefined) comp.comp.cond = cond;
        return comp;
      }
      if (this.isPunct(',')) {
        this.next();
        return { list: [first, ...this.sequence(']', '[', open.pos, 'list')], pos: open.pos };
      }
      if (!this.isPunct(']')) this.expected(`',' or ']' in list opened at ${at(open.pos)}`);
      this.next();
      return { list: [first], pos: open.pos };
    });
  }

  /** `{}` (an empty set), `{a, b}` or `{k: v, ...}`. */
  private setOrMap(): Expr {
    const open = this.next();
    return this.nested(() => {
      if (this.isPunct('}')) {
        this.next();
        return { set: [], pos: open.pos };
      }
      const first = this.expr();
      if (!this.isPunct(':')) {
        if (this.isPunct(',')) {
          this.next();
          return { set: [first, ...this.sequence('}', '{', open.pos, 'set')], pos: open.pos };
        }
        if (!this.isPunct('}')) this.expected(`',', ':' or '}' in set opened at ${at(open.pos)}`);
        this.next();
        return { set: [first], pos: open.pos };
      }
      const entries: { key: Expr; value: Expr }[] = [];
      let key = first;
      for (;;) {
        this.expectPunct(':', ` after a map key in the map opened at ${at(open.pos)}`);
        entries.push({ key, value: this.expr() });
        if (this.isPunct(',')) this.next();
        else if (!this.isPunct('}')) this.expected(`',' or '}' in the map opened at ${at(open.pos)}`);
        if (this.isPunct('}')) break;
        key = this.expr();
      }
      this.closing('}', '{', open.pos);
      return { map: entries, pos: open.pos };
    });
  }

  /** `multigoal 'name' { v[k] = e; ... }`; goals are separated like statements. */
  private multigoalLiteral(): Expr {
    const kw = this.next();
    const name = this.next().text;
    this.expectPunct('{', ` after multigoal '${name}'`);
    const goals = this.nested(() => {
      const out: { var: string; key: Expr; value: Expr }[] = [];
      for (;;) {
        while (this.isPunct(';')) this.next();
        if (this.isPunct('}')) break;
        if (this.tok.kind === 'eof') this.expected(`'}' to close multigoal '${name}' opened at ${at(kw.pos)}`);
        const v = this.ident(`a goal 'var[key] = value' or '}' in multigoal '${name}' opened at ${at(kw.pos)}`);
        this.expectPunct('[', ` after '${v}' in multigoal '${name}'`);
        const key = this.nested(() => this.expr());
        this.expectPunct(']', ` after the key of '${v}[...]' in multigoal '${name}'`);
        this.expectPunct('=', ` after '${v}[...]' in multigoal '${name}'`);
        const value = this.expr();
        out.push({ var: v, key, value });
        if (!this.isPunct(';') && !this.isPunct('}') && !this.tok.nl) {
          this.expected(`';', a new line or '}' after a goal in multigoal '${name}'`);
        }
      }
      return out;
    }, 0);
    this.next();
    return { multigoal: { name, goals }, pos: kw.pos };
  }
}
