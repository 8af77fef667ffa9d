/**
 * What the validator knows about a domain's declarations, and how it names
 * places and literals in messages.
 */
import type { Literal, Pos } from '../language/ast.js';

/** What the declarations of a domain define, as bodies see it. */
export interface Env {
  file: string;
  vars: Set<string>;
  consts: Set<string>;
  /** Helper functions and their parameter counts. */
  fns: Map<string, number>;
  actions: Map<string, number>;
  /** Tasks and the parameter count of their methods (undefined: no methods, any count). */
  tasks: Map<string, number | undefined>;
  /** State variables with unigoal methods. */
  unigoalVars: Set<string>;
}

/** Which kind of body is checked: it decides where state writes, `fail` and `choose` may appear. */
export type BodyKind = 'function' | 'action' | 'command' | 'method';

/** `file:line:col` when the node has a position, else its data path. */
export function place(env: Env, node: { pos?: Pos | undefined }, path: string): string {
  return node.pos ? `${env.file}:${node.pos.line}:${node.pos.col}` : path;
}

/** `line:col`, or the data path: for "first declared at ..." inside messages. */
export function shortPlace(node: { pos?: Pos | undefined }, path: string): string {
  return node.pos ? `${node.pos.line}:${node.pos.col}` : path;
}

/** Built-in functions and their argument counts. */
export const BUILTINS = new Map([['len', 1], ['abs', 1], ['min', 2], ['max', 2]]);

/** How a non-number literal is named in type errors; undefined for numbers. */
export function nonNumber(l: Literal): string | undefined {
  if ('sym' in l) return `symbol '${l.sym}'`;
  if ('bool' in l) return `boolean ${l.bool}`;
  if ('nil' in l) return 'nil';
  return undefined;
}

/** How a literal is named in type errors. */
export function describeLit(l: Literal): string {
  return nonNumber(l) ?? `number ${(l as { num: number }).num}`;
}
