/**
 * Conditions and constraints evaluated in TypeScript: for the checks made
 * before sampling (consistency.ts) and for checking a finished character
 * (checkCharacter). The planner evaluates the same rules as compiled domain
 * code (compile-template.ts); the tests hold the two against each other.
 */
import type { Cond, Constraint, SlotValue } from './template-types.js';

/** A slot's value, or undefined while it is not set. */
export type SlotReader = (slot: number) => SlotValue | undefined;

/** The condition's truth, or undefined when a slot it reads is not set. */
export function evalCond(c: Cond, get: SlotReader): boolean | undefined {
  const x = get(c.slot);
  if (x === undefined) return undefined;
  if (c.op === 'in') return c.set!.includes(x);
  if (c.op === 'not_in') return !c.set!.includes(x);
  const y = c.other === undefined ? c.rhs : get(c.other);
  if (y === undefined) return undefined;
  switch (c.op) {
    case '==': return x === y;
    case '!=': return x !== y;
    case '<': return (x as number) < (y as number);
    case '<=': return (x as number) <= (y as number);
    case '>': return (x as number) > (y as number);
    default: return (x as number) >= (y as number);
  }
}

/** Whether the constraint holds; undefined when the slots set so far do not decide it. */
export function evalConstraint(c: Constraint, get: SlotReader): boolean | undefined {
  if (c.when) {
    const w = evalCond(c.when, get);
    if (w === false) return true;
    if (w === undefined) return undefined;
  }
  const values = c.conds.map((cond) => evalCond(cond, get));
  const t = values.filter((v) => v === true).length;
  const open = values.filter((v) => v === undefined).length;
  switch (c.kind) {
    case 'requires': return values[0];
    case 'excludes': return values.includes(false) ? true : open > 0 ? undefined : false;
    case 'at_most': return t > c.count ? false : t + open <= c.count ? true : undefined;
    default: return t >= c.count ? true : t + open < c.count ? false : undefined;
  }
}
