/**
 * Random small templates for property tests: two to five attributes of
 * every kind (categories, ranges with negative and real steps, pick-k
 * lists) and one to four constraints of every kind, some contradictory.
 */
import fc from 'fast-check';
import type { Template } from '../../../server/src/services/shape/index.js';
// Internal parts, to build a template without its contradiction checks.
import { validateAttributes } from '../../../server/src/services/shape/validate-attributes.js';
import { validateConstraints } from '../../../server/src/services/shape/validate-constraints.js';

/** A template attribute as JSON. */
export type Attr = { name: string; values?: Record<string, number>; range?: { min: number; max: number; step: number }; pick?: { values: Record<string, number>; min: number; max: number } };

const attrArb = (i: number): fc.Arbitrary<Attr> =>
  fc.oneof(
    fc.integer({ min: 2, max: 3 }).map((n) => ({ name: `a${i}`, values: Object.fromEntries(Array.from({ length: n }, (_, v) => [`v${v}`, 1 + v])) })),
    fc.record({ min: fc.integer({ min: -2, max: 0 }), n: fc.integer({ min: 1, max: 3 }), step: fc.constantFrom(0.5, 1) })
      .map(({ min, n, step }) => ({ name: `a${i}`, range: { min, max: min + n * step, step } })),
    fc.record({ n: fc.integer({ min: 2, max: 3 }), lo: fc.integer({ min: 0, max: 1 }), extra: fc.integer({ min: 0, max: 2 }) })
      .map(({ n, lo, extra }) => ({ name: `a${i}`, pick: { values: Object.fromEntries(Array.from({ length: n }, (_, v) => [`e${v}`, 1])), min: lo, max: Math.min(n, lo + extra) } })),
  );

/** A condition on attribute `a`, picked by `r` (0..1) and `o` (another attribute). */
function cond(a: Attr, r: number, o: Attr | undefined): string {
  if (a.values) {
    const vs = Object.keys(a.values);
    const v = vs[Math.floor(r * vs.length) % vs.length];
    return r < 0.4 ? `${a.name} = ${v}` : r < 0.7 ? `${a.name} != ${v}` : r < 0.85 ? `${a.name} in ${vs.slice(0, 2).join('|')}` : `${a.name} not_in ${v}`;
  }
  if (a.pick) {
    const vs = Object.keys(a.pick.values);
    return `${a.name} ${r < 0.5 ? 'has' : 'lacks'} ${vs[Math.floor(r * 7) % vs.length]}`;
  }
  const op = ['<', '<=', '>', '>=', '=', '!='][Math.floor(r * 6) % 6];
  if (o?.range && r > 0.6) return `${a.name} ${op} ${o.name}`;
  return `${a.name} ${op} ${a.range!.min + a.range!.step * Math.floor(r * 3)}`;
}

/** A random template as JSON. */
export const templateArb = fc.integer({ min: 2, max: 5 }).chain((n) =>
  fc.record({
    attrs: fc.tuple(...Array.from({ length: n }, (_, i) => attrArb(i))),
    cons: fc.array(fc.record({ kind: fc.integer({ min: 0, max: 3 }), picks: fc.array(fc.tuple(fc.nat(), fc.double({ min: 0, max: 0.999, noNaN: true })), { minLength: 2, maxLength: 3 }), count: fc.nat(2), when: fc.boolean() }), { minLength: 1, maxLength: 4 }),
  }).map(({ attrs, cons }) => {
    const c = (p: [number, number]) => cond(attrs[p[0] % attrs.length], p[1], attrs[(p[0] + 1) % attrs.length]);
    const constraints = cons.map(({ kind, picks, count, when }) => {
      const extra = when ? { when: c(picks[picks.length - 1]) } : {};
      if (kind === 0) return { requires: c(picks[0]), ...extra };
      if (kind === 1) return { excludes: picks.slice(0, -1).map(c), ...extra };
      const of = picks.map(c);
      return kind === 2 ? { at_most: Math.min(count, of.length), of } : { at_least: Math.min(count, of.length), of };
    });
    return { name: 'rand', attributes: attrs, constraints };
  }),
);

/** The template without the contradiction checks made before sampling (built from the validator's parts). */
export function unchecked(raw: { name: string; attributes: Attr[]; constraints: object[] }): Template {
  const { attributes, slots } = validateAttributes(raw.attributes, undefined);
  const constraints = validateConstraints(raw.constraints, attributes);
  return { name: raw.name, description: '', attributes, slots, constraints, presets: [], prompt: { adjectives: [], details: [], suffix: '' }, key: '' };
}

