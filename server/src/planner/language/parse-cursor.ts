/**
 * The token cursor shared by the parser layers (expressions, statements,
 * declarations): lookahead, expectations and error messages.
 */
import { DomainError } from '../errors.js';
import type { Pos } from './ast.js';
import { describe, type Token } from './lexer.js';

/** Words that are never names. Statement and declaration keywords are only keywords where a statement or declaration starts. */
export const RESERVED = new Set(['and', 'or', 'not', 'in', 'if', 'else', 'for', 'true', 'false', 'nil']);

/** `L:C` of a position, as used inside messages. */
export function at(p: Pos): string {
  return `${p.line}:${p.col}`;
}

/** Token access and error helpers; the grammar layers extend it. */
export class Cursor {
  protected i = 0;
  /**
   * Open `(`, `[` and `{` (set/map) around the current point. Inside them a
   * line break does not end an expression; outside, an operator on a new line
   * starts a new statement instead of continuing the last one.
   */
  protected depth = 0;

  constructor(protected readonly toks: Token[], protected readonly file: string) {}

  protected get tok(): Token {
    return this.toks[this.i]!;
  }

  protected peek(n = 1): Token {
    return this.toks[Math.min(this.i + n, this.toks.length - 1)]!;
  }

  protected next(): Token {
    const t = this.tok;
    if (t.kind !== 'eof') this.i++;
    return t;
  }

  protected isPunct(p: string, t: Token = this.tok): boolean {
    return t.kind === 'punct' && t.text === p;
  }

  protected isWord(w: string, t: Token = this.tok): boolean {
    return t.kind === 'ident' && t.text === w;
  }

  protected error(p: Pos, message: string): never {
    throw new DomainError(`${this.file}:${at(p)}`, message);
  }

  /** Throws "expected WHAT, found <current token>" at the current token. */
  protected expected(what: string): never {
    return this.error(this.tok.pos, `expected ${what}, found ${describe(this.tok)}`);
  }

  protected expectPunct(p: string, context = ''): Token {
    if (!this.isPunct(p)) this.expected(`'${p}'${context}`);
    return this.next();
  }

  /** A name: an identifier that is not a reserved word. */
  protected ident(what: string): string {
    const t = this.tok;
    if (t.kind !== 'ident') this.expected(what);
    if (RESERVED.has(t.text)) this.error(t.pos, `expected ${what}, found reserved word '${t.text}'`);
    this.next();
    return t.text;
  }

  /** Runs `f` inside a bracket, where line breaks do not end the expression. */
  protected nested<T>(f: () => T, depth = this.depth + 1): T {
    const saved = this.depth;
    this.depth = depth;
    try {
      return f();
    } finally {
      this.depth = saved;
    }
  }
}
