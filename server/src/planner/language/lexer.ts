/**
 * Tokenizer for the `.aria` text form (docs/domain-language.md, "Lexical").
 *
 * Newlines are not tokens: each token records whether a line break came
 * before it (`nl`), and the parser uses that to end statements and to stop
 * a `[` or `(` on a new line from continuing the previous expression.
 */
import { wellFormed } from '../../core/bounded-text.js';
import { DomainError } from '../errors.js';
import type { Pos } from './ast.js';

/** The kinds of token. `punct` covers operators and brackets. */
export type TokenKind = 'ident' | 'str' | 'num' | 'punct' | 'eof';

/** One token of the source text. */
export interface Token {
  kind: TokenKind;
  /** The identifier, the decoded string, the number's source text, or the operator. */
  text: string;
  /** The number's value (kind `num` only). */
  value: number;
  /** Where the token starts. */
  pos: Pos;
  /** Where the previous token ended: the place of an "end of line" in messages. */
  prevEnd: Pos;
  /** A line break separates this token from the previous one. */
  nl: boolean;
}

/** Operators and brackets, longest first so that `//` wins over `/`. */
const PUNCT = [
  '==', '!=', '<=', '>=', '//',
  '+', '-', '*', '/', '%', '<', '>', '=',
  '(', ')', '[', ']', '{', '}', ',', ';', ':', '.',
];

const IDENT_START = /[A-Za-z_]/;
const IDENT_PART = /[A-Za-z0-9_]/;
const NUMBER = /^[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?/;
const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"' };

/**
 * Splits `text` into tokens; the last one has kind `eof`.
 * Throws DomainError at the offending character for anything that is not a token.
 */
export function tokenize(text: string, file: string): Token[] {
  const tokens: Token[] = [];
  // Editors on some systems start UTF-8 files with a byte-order mark.
  let i = text.startsWith('\uFEFF') ? 1 : 0;
  let line = 1;
  let col = 1;
  let nl = true;
  let prevEnd: Pos = { line: 1, col: 1 };
  const fail = (l: number, c: number, msg: string): never => {
    throw new DomainError(`${file}:${l}:${c}`, msg);
  };
  const advance = (n: number): void => {
    for (let k = 0; k < n; k++) {
      if (text[i] === '\n') {
        line++;
        col = 1;
      } else {
        col++;
      }
      i++;
    }
  };
  const push = (kind: TokenKind, tokText: string, pos: Pos, value = 0): void => {
    tokens.push({ kind, text: tokText, value, pos, prevEnd, nl });
    nl = false;
    prevEnd = { line, col };
  };

  while (i < text.length) {
    const ch = text[i]!;
    if (ch === '\n') {
      nl = true;
      advance(1);
      continue;
    }
    if (ch === ' ' || ch === '\t' || ch === '\r') {
      advance(1);
      continue;
    }
    if (ch === '#') {
      while (i < text.length && text[i] !== '\n') advance(1);
      continue;
    }
    const pos: Pos = { line, col };
    if (IDENT_START.test(ch)) {
      let j = i + 1;
      // A `-` belongs to the name only between two name characters, so `x- 1` and `x -1` still subtract.
      while (j < text.length && (IDENT_PART.test(text[j]!) || (text[j] === '-' && j + 1 < text.length && IDENT_PART.test(text[j + 1]!)))) j++;
      const word = text.slice(i, j);
      advance(j - i);
      push('ident', word, pos);
      continue;
    }
    if (ch >= '0' && ch <= '9') {
      const m = NUMBER.exec(text.slice(i, i + 400))!;
      const after = text[i + m[0].length];
      if (after !== undefined && (IDENT_PART.test(after) || (after === '.' && /[0-9]/.test(text[i + m[0].length + 1] ?? '')))) {
        let j = i + m[0].length;
        while (j < text.length && (IDENT_PART.test(text[j]!) || text[j] === '.')) j++;
        fail(line, col, `malformed number '${text.slice(i, j)}'`);
      }
      advance(m[0].length);
      push('num', m[0], pos, Number(m[0]));
      continue;
    }
    if (ch === "'" || ch === '"') {
      let j = i + 1;
      let out = '';
      for (;;) {
        const c = text[j];
        if (c === undefined || c === '\n') fail(pos.line, pos.col, 'unterminated string');
        if (c === ch) break;
        if (c === '\\') {
          const e = text[j + 1];
          const decoded = e === undefined ? undefined : ESCAPES[e];
          if (decoded === undefined) {
            fail(pos.line, pos.col + (j - i), `unknown escape '\\${e === undefined || e === '\n' ? '' : e}' in string`);
          }
          out += decoded;
          j += 2;
          continue;
        }
        out += c;
        j++;
      }
      advance(j + 1 - i);
      push('str', out, pos);
      continue;
    }
    const op = PUNCT.find((p) => text.startsWith(p, i));
    if (op === undefined) {
      // The whole code point, not one UTF-16 unit: half a surrogate pair is not text a client can be sent.
      const cp = text.codePointAt(i)!;
      const shown = ch === '!' ? "'!' (write 'not' or '!=')" : cp >= 0x20 && cp < 0x7f ? `'${ch}'`
        : `'${wellFormed(String.fromCodePoint(cp))}' (U+${cp.toString(16).toUpperCase().padStart(4, '0')})`;
      fail(line, col, `unexpected character ${shown}`);
    }
    advance(op!.length);
    push('punct', op!, pos);
  }
  tokens.push({ kind: 'eof', text: '', value: 0, pos: { line, col }, prevEnd, nl: true });
  return tokens;
}

/** How a token is named in error messages. */
export function describe(t: Token): string {
  switch (t.kind) {
    case 'eof': return 'end of file';
    case 'str': return `string '${t.text}'`;
    case 'num': return `number ${t.text}`;
    default: return `'${t.text}'`;
  }
}
