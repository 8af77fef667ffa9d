/**
 * Random small templates against brute force: when enumeration finds a
 * valid character, generation finds valid ones; when it finds none,
 * generation answers "no character" (or validation already refused the
 * template as contradictory). Also covers negative and real ranges,
 * comparisons between attributes, not_in and lacks.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { checkCharacter, generateSync, validateTemplate, type Template } from '../../../server/src/services/shape/index.js';
// Internal parts, to build a template without its contradiction checks.
import { validateAttributes } from '../../../server/src/services/shape/validate-attributes.js';
import { validateConstraints } from '../../../server/src/services/shape/validate-constraints.js';

type Attr = { name: string; values?: Record<string, number>; range?: { min: number; max: number; step: number }; pick?: { values: Record<string, number>; min: number; max: number } };

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

const templateArb = fc.integer({ min: 2, max: 5 }).chain((n) =>
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

/** How many characters the template allows, by enumerating every slot assignment. */
function bruteCount(t: Template): number {
  const sizes = t.slots.map((s) => s.values.length);
  const idx = sizes.map(() => 0);
  let valid = 0;
  for (;;) {
    const attributes: Record<string, unknown> = {};
    for (const a of t.attributes) {
      attributes[a.name] = a.kind === 'list' ? a.values.filter((_, m) => t.slots[a.firstSlot + m].values[idx[a.firstSlot + m]] === true) : a.values[idx[a.firstSlot]];
    }
    if (checkCharacter(t, { attributes: attributes as never, traits: {} }).length === 0) valid++;
    let k = 0;
    while (k < idx.length && ++idx[k] === sizes[k]) idx[k++] = 0;
    if (k === idx.length) return valid;
  }
}

test('property: random templates agree with brute force (valid characters, or none)', () => {
  let found = 0;
  let none = 0;
  let refused = 0;
  fc.assert(
    fc.property(templateArb, fc.integer({ min: 0, max: 1000 }), (raw, seed) => {
      let t: Template;
      try {
        t = validateTemplate(raw);
      } catch (err) {
        // The only refusal these templates can earn is a contradiction found before sampling, and it must be real.
        assert.is((err as Error).name, 'InvalidArgumentError');
        assert.match((err as Error).message, /contradicts|satisfies|cannot hold|contradict/);
        assert.is(bruteCount(unchecked(raw)), 0, `${(err as Error).message}\n${JSON.stringify(raw)}`);
        refused++;
        return;
      }
      const valid = bruteCount(t);
      const r = generateSync(t, { seed, count: 3 });
      if (valid === 0) {
        assert.is(r.status, 'no_character', JSON.stringify(raw));
        none++;
      } else {
        assert.is(r.status, 'ok', JSON.stringify(raw));
        if (r.status === 'ok') for (const c of r.characters) assert.equal(checkCharacter(t, c), [], JSON.stringify(raw));
        found++;
      }
    }),
    { numRuns: 300, seed: Number(process.env.ARIA_FUZZ_SEED ?? 16) },
  );
  // The generator makes both kinds.
  assert.ok(found > 20 && none + refused > 5, JSON.stringify({ found, none, refused }));
});

/** The template without the contradiction checks made before sampling (built from the validator's parts). */
function unchecked(raw: { name: string; attributes: Attr[]; constraints: object[] }): Template {
  const { attributes, slots } = validateAttributes(raw.attributes, undefined);
  const constraints = validateConstraints(raw.constraints, attributes);
  return { name: raw.name, description: '', attributes, slots, constraints, presets: [], prompt: { adjectives: [], details: [], suffix: '' }, key: '' };
}

test('negative and real ranges, comparisons between attributes, not_in and lacks', () => {
  const t = validateTemplate({
    name: 'mixed',
    attributes: [
      { name: 'temp', range: { min: -1.5, max: 1.5, step: 0.5 } },
      { name: 'limit', range: { min: -1, max: 1, step: 0.5 } },
      { name: 'kind', values: { cold: 1, warm: 1, hot: 1 } },
      { name: 'gear', pick: { values: { coat: 1, hat: 1, fan: 1 }, min: 0, max: 3 } },
    ],
    constraints: [
      { requires: 'temp <= limit' },
      { requires: 'temp < 0', when: 'kind = cold' },
      { requires: 'gear lacks coat', when: 'kind not_in cold' },
      { requires: 'gear has fan', when: 'temp >= 1' },
    ],
  });
  assert.equal(t.attributes[0].values, [-1.5, -1, -0.5, 0, 0.5, 1, 1.5]);
  const r = generateSync(t, { seed: 4, count: 200 });
  assert.is(r.status, 'ok');
  if (r.status !== 'ok') return;
  for (const c of r.characters) {
    assert.equal(checkCharacter(t, c), []);
    assert.ok((c.attributes.temp as number) <= (c.attributes.limit as number));
  }
  assert.ok(r.characters.some((c) => c.attributes.kind === 'cold') && r.characters.some((c) => (c.attributes.gear as string[]).includes('fan')));
});

test.run();
