/**
 * The S-expression layer of HDDL: tokens and nested lists, each with the
 * place where it starts. HDDL, like PDDL, is case-insensitive, so atoms are
 * lower-cased here once and every later stage compares plain strings.
 */
import { DomainError } from '../planner/index.js';
import type { Pos } from '../planner/index.js';

/** An atom (name, `?variable`, `:keyword`, number, `-`, `<`, `=`) or a parenthesised list. */
export type SExpr =
  | { atom: string; pos: Pos }
  | { list: SExpr[]; pos: Pos };

/** Throws the error every HDDL stage uses: `file:line:col: message`. */
export function hddlError(file: string, pos: Pos | undefined, message: string): never {
  throw new DomainError(pos ? `${file}:${pos.line}:${pos.col}` : file, message);
}

/** Characters that end an atom besides whitespace. */
const DELIMS = new Set(['(', ')', ';']);

/**
 * Reads one HDDL text into its top-level expressions. Unbalanced
 * parentheses and stray characters are errors with their place; `;`
 * starts a comment that runs to the end of the line. `spelling`, when
 * given, receives each lower-cased atom's first spelling in the text, since
 * plans must name things as the input does (the IPC verifier is
 * case-sensitive).
 */
export function readSExprs(text: string, file: string, spelling?: Map<string, string>): SExpr[] {
  const stack: { list: SExpr[]; pos: Pos }[] = [{ list: [], pos: { line: 1, col: 1 } }];
  let line = 1;
  let col = 1;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i];
    if (c === '\n') { line++; col = 1; i++; continue; }
    if (c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\v') { col++; i++; continue; }
    if (c === ';') {
      while (i < n && text[i] !== '\n') i++;
      continue;
    }
    const pos = { line, col };
    if (c === '(') {
      stack.push({ list: [], pos });
      i++; col++;
      continue;
    }
    if (c === ')') {
      if (stack.length === 1) hddlError(file, pos, "unexpected ')' with no '(' open");
      const done = stack.pop()!;
      stack[stack.length - 1].list.push({ list: done.list, pos: done.pos });
      i++; col++;
      continue;
    }
    let j = i;
    while (j < n && !DELIMS.has(text[j]) && !/\s/.test(text[j])) j++;
    const raw = text.slice(i, j);
    if (!/^[\x21-\x7e]+$/.test(raw)) hddlError(file, pos, `unexpected character in '${raw}'`);
    const atom = raw.toLowerCase();
    if (spelling && atom !== raw && !spelling.has(atom)) spelling.set(atom, raw);
    stack[stack.length - 1].list.push({ atom, pos });
    col += j - i;
    i = j;
  }
  if (stack.length > 1) {
    const open = stack[stack.length - 1];
    hddlError(file, open.pos, "this '(' is never closed");
  }
  return stack[0].list;
}

/** Whether e is an atom, optionally a given one. */
export function isAtom(e: SExpr | undefined, text?: string): e is { atom: string; pos: Pos } {
  return e !== undefined && 'atom' in e && (text === undefined || e.atom === text);
}

/** Whether e is a list. */
export function isList(e: SExpr | undefined): e is { list: SExpr[]; pos: Pos } {
  return e !== undefined && 'list' in e;
}

/** A short rendering of an expression for error messages. */
export function show(e: SExpr): string {
  const s = 'atom' in e ? e.atom : `(${e.list.map(show).join(' ')})`;
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}
