/**
 * Constraints between attributes. A condition is three words, `attr op
 * value`: `species = elf`, `species in elf|orc`, `age >= 18`,
 * `strength > agility`, `skills has magic`. A constraint is `requires`
 * (with `when`: an implication), `excludes` (not all at once), or
 * `at_most`/`at_least` n of some conditions.
 */
import type { Attribute, Cond, CondOp, Constraint, SlotValue } from './template-types.js';
import { array, count, fail, object, shown, text } from './json-checks.js';
import { describeValues } from './validate-attributes.js';

/** Most constraints in a template. */
export const MAX_CONSTRAINTS = 1024;
/** Most conditions in one constraint. */
export const MAX_CONDS = 64;

const OPS = ['=', '==', '!=', '<', '<=', '>', '>=', 'in', 'not_in', 'has', 'lacks'];

/** Validates `constraints`, and adds the pick-count bounds of list attributes. */
export function validateConstraints(raw: unknown, attributes: readonly Attribute[]): Constraint[] {
  const byName = new Map(attributes.map((a, i) => [a.name, i]));
  const list = raw === undefined ? [] : array(raw, 'template.constraints', MAX_CONSTRAINTS);
  const out = list.map((c, i) => constraint(c, `template.constraints[${i}]`, attributes, byName));
  for (const a of attributes) {
    if (a.kind !== 'list') continue;
    const conds = a.values.map((v, m): Cond => ({ slot: a.firstSlot + m, op: '==', rhs: true, text: `${a.name} has ${String(v)}` }));
    if (a.pickMin > 0) out.push({ kind: 'at_least', conds, count: a.pickMin, path: `${a.path}.pick.min` });
    if (a.pickMax < a.values.length) out.push({ kind: 'at_most', conds, count: a.pickMax, path: `${a.path}.pick.max` });
  }
  return out;
}

function constraint(raw: unknown, path: string, attrs: readonly Attribute[], byName: Map<string, number>): Constraint {
  const o = object(raw, path, ['requires', 'excludes', 'at_most', 'at_least', 'of', 'when', 'note']);
  const kinds = (['requires', 'excludes', 'at_most', 'at_least'] as const).filter((k) => o[k] !== undefined);
  if (kinds.length !== 1) fail(path, "needs exactly one of 'requires', 'excludes', 'at_most' or 'at_least'");
  if (o.note !== undefined) text(o.note, `${path}.note`, 1000);
  const kind = kinds[0];
  const when = o.when === undefined ? undefined : parseCond(o.when, `${path}.when`, attrs, byName);
  const conds = (raw: unknown, p: string) => array(raw, p, MAX_CONDS, 1).map((c, i) => parseCond(c, `${p}[${i}]`, attrs, byName));
  if (kind !== 'at_most' && kind !== 'at_least' && o.of !== undefined) fail(`${path}.of`, `only at_most and at_least take 'of'`);
  if (kind === 'requires') return { kind, conds: [parseCond(o.requires, `${path}.requires`, attrs, byName)], when, count: 0, path };
  if (kind === 'excludes') return { kind, conds: conds(o.excludes, `${path}.excludes`), when, count: 0, path };
  if (o.of === undefined) fail(path, `${kind} needs 'of': the conditions counted`);
  const cs = conds(o.of, `${path}.of`);
  return { kind, conds: cs, when, count: count(o[kind], `${path}.${kind}`, cs.length), path };
}

/** Parses `attr op value` against the template's attributes. */
export function parseCond(raw: unknown, path: string, attrs: readonly Attribute[], byName: Map<string, number>): Cond {
  const t = text(raw, path, 2000).trim();
  const words = t.split(/\s+/);
  if (words.length !== 3 || !OPS.includes(words[1])) {
    fail(path, `must be 'attribute op value' with spaces between (op: ${OPS.join(' ')}), got ${shown(raw)}`);
  }
  const [name, op, rhs] = words;
  const index = byName.get(name);
  if (index === undefined) fail(path, `unknown attribute '${name}'`);
  const a = attrs[index];
  if (a.kind === 'list') {
    if (op !== 'has' && op !== 'lacks') fail(path, `'${name}' is a list: use has or lacks`);
    const member = a.values.indexOf(rhs);
    if (member < 0) fail(path, `'${rhs}' is not a value of ${name} (${describeValues(a.values)})`);
    return { slot: a.firstSlot + member, op: '==', rhs: op === 'has', text: t };
  }
  if (op === 'has' || op === 'lacks') fail(path, `'${name}' is not a list: ${op} applies to lists`);
  const norm: CondOp = op === '=' ? '==' : (op as CondOp);
  const value = (v: string): SlotValue => {
    if (a.kind === 'category') {
      if (!a.values.includes(v)) fail(path, `'${v}' is not a value of ${name} (${describeValues(a.values)})`);
      return v;
    }
    const n = Number(v);
    if (v === '' || !Number.isFinite(n)) fail(path, `'${v}' is not a number (${name} is numeric)`);
    return n;
  };
  if (norm === 'in' || norm === 'not_in') return { slot: a.firstSlot, op: norm, set: rhs.split('|').map(value), text: t };
  if (a.kind === 'category') {
    if (norm !== '==' && norm !== '!=') fail(path, `'${name}' is a category: use = != in not_in`);
    return { slot: a.firstSlot, op: norm, rhs: value(rhs), text: t };
  }
  const other = byName.get(rhs);
  if (other !== undefined) {
    if (attrs[other].kind !== 'range') fail(path, `'${rhs}' is not numeric: only numbers compare with ${name}`);
    return { slot: a.firstSlot, op: norm, other: attrs[other].firstSlot, text: t };
  }
  return { slot: a.firstSlot, op: norm, rhs: value(rhs), text: t };
}

/** The slots a condition reads. */
export function condSlots(c: Cond): number[] {
  return c.other === undefined ? [c.slot] : [c.slot, c.other];
}

/** The slots a constraint reads, each once. */
export function constraintSlots(c: Constraint): number[] {
  const s = new Set<number>();
  for (const cond of c.when ? [c.when, ...c.conds] : c.conds) for (const x of condSlots(cond)) s.add(x);
  return [...s];
}
