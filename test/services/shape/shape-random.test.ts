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
import { templateArb, unchecked } from './random-templates.js';

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
