/**
 * The WebAssembly scoring kernel against the idiomatic TypeScript scorer
 * (score-reference.ts): identical scores, violation counts and distances
 * on random templates, random candidates, random weights and random picks;
 * and the kernel's sampler: deterministic per seed and row, and every
 * candidate it calls valid passes checkCharacter.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { builtinTemplate, checkCharacter, validateTemplate, type Template } from '../../../server/src/services/shape/index.js';
import { makeCharacter } from '../../../server/src/services/shape/character.js';
import { kernelTables } from '../../../server/src/services/shape/kernel-tables.js';
import { ScoreKernel } from '../../../server/src/services/shape/score-kernel.js';
import { referenceScores } from '../../../server/src/services/shape/score-reference.js';
import { checkScoreOptions, type ValueWeights } from '../../../server/src/services/shape/score-options.js';
import { templateArb } from './random-templates.js';

/** A kernel row as a character. */
function characterOf(t: Template, k: ScoreKernel, i: number) {
  return makeCharacter(t, i, k.row(i).map((v, s) => t.slots[s].values[v]));
}

/** Weights for some values of some attributes, drawn from `r` (numbers in [0, 1)). */
function weightsFrom(t: Template, r: readonly number[]): ValueWeights {
  const out: Record<string, Record<string, number>> = {};
  let j = 0;
  for (const a of t.attributes) {
    for (const v of a.values) {
      const x = r[j++ % r.length];
      if (x < 0.5) (out[a.name] ??= {})[String(v)] = (x - 0.25) * 7.3;
    }
  }
  return out;
}

test('property: kernel scores equal the TypeScript scorer bit for bit', () => {
  let compared = 0;
  fc.assert(
    fc.property(
      templateArb,
      fc.array(fc.nat(1000), { minLength: 1, maxLength: 400 }),
      fc.array(fc.double({ min: 0, max: 0.999, noNaN: true }), { minLength: 1, maxLength: 12 }),
      fc.integer({ min: 0, max: 3 }),
      fc.double({ min: -3, max: 3, noNaN: true }),
      (raw, picks, r, nPicked, diversity) => {
        let t: Template;
        try {
          t = validateTemplate(raw);
        } catch {
          return; // A contradictory template has no tables; shape-random.test.ts covers those.
        }
        const opts = checkScoreOptions(t, { preferences: weightsFrom(t, r), style: weightsFrom(t, r.slice().reverse()), diversity, penalty: 10.5 });
        const rows = 12;
        // Both ways of compiling conditions: truth tables (the service's) and the kernel's own opcodes.
        for (const compile of ['masks', 'ops'] as const) {
          const k = new ScoreKernel(kernelTables(t, opts, undefined, compile), rows, 4);
          // Arbitrary value indices, not sampled: most rows break something, which is what the counts are tested on.
          for (let i = 0; i < rows * t.slots.length; i++) k.candidates[i] = picks[i % picks.length] % t.slots[i % t.slots.length].values.length;
          for (let j = 0; j < nPicked; j++) k.picks[j] = (j * 5) % rows;
          k.setPicked(nPicked);
          const valid = k.score(0, rows);
          const chars = Array.from({ length: rows }, (_, i) => characterOf(t, k, i));
          const ref = referenceScores(t, chars, Array.from({ length: nPicked }, (_, j) => chars[k.picks[j]]), opts);
          ref.forEach((x, i) => {
            const msg = `${compile}: ${JSON.stringify(raw)} row ${i}`;
            assert.ok(Object.is(k.scores[i], x.score), `${msg}: wasm ${k.scores[i]} ts ${x.score}`);
            assert.is(k.violations[i], x.violations, msg);
            assert.is(k.minDistance[i], x.minDistance, msg);
            assert.is(x.violations === 0, checkCharacter(t, chars[i]).length === 0, msg);
          });
          assert.is(valid, ref.filter((x) => x.violations === 0).length);
        }
        compared++;
      },
    ),
    { numRuns: 200, seed: Number(process.env.ARIA_FUZZ_SEED ?? 16) },
  );
  assert.ok(compared > 100, `only ${compared} templates compared`);
});

test('fantasy: sampled candidates score the same in both, and the ones called valid are valid', () => {
  const t = builtinTemplate('fantasy');
  const opts = checkScoreOptions(t, { preferences: { species: { elf: 2, dwarf: 1 }, jewelry: { ring: 0.5 }, level: { '10': 3 } }, style: { art_style: { ink: 1.5 } }, diversity: 0.25 });
  const rows = 300;
  const k = new ScoreKernel(kernelTables(t, opts), rows, 3);
  k.sample(7, 0, rows);
  k.picks.set([3, 100, 250]);
  k.setPicked(3);
  const valid = k.score(0, rows);
  const chars = Array.from({ length: rows }, (_, i) => characterOf(t, k, i));
  const ref = referenceScores(t, chars, [chars[3], chars[100], chars[250]], opts);
  ref.forEach((x, i) => {
    assert.ok(Object.is(k.scores[i], x.score), `row ${i}: wasm ${k.scores[i]} ts ${x.score}`);
    assert.is(k.violations[i], x.violations);
    assert.is(checkCharacter(t, chars[i]).length, x.violations, `row ${i}`);
  });
  // The sampler's redraws keep most candidates valid on the shipped template.
  assert.ok(valid > rows / 2, `${valid} of ${rows} valid`);
});

test('sampler: a row depends only on the seed and its number, not on how rows are split', () => {
  const t = builtinTemplate('cyber');
  const tables = kernelTables(t, checkScoreOptions(t, {}));
  const a = new ScoreKernel(tables, 64, 1);
  const b = new ScoreKernel(tables, 64, 1);
  a.sample(42, 0, 64);
  b.sample(42, 0, 10);
  b.sample(42, 10, 64);
  assert.equal(Array.from(a.candidates), Array.from(b.candidates));
  b.sample(43, 0, 64);
  assert.not.equal(Array.from(a.candidates), Array.from(b.candidates));
});

test('sampler: values come in proportion to their weights (alias tables), the pins of a preset hold', () => {
  const t = validateTemplate({
    name: 'weights',
    attributes: [{ name: 'a', values: { x: 1, y: 3, z: 6 } }, { name: 'b', values: { p: 1, q: 1, r: 2 } }],
    presets: [{ name: 'no_r', pin: { b: ['p', 'q'] } }],
  });
  const rows = 20000;
  const k = new ScoreKernel(kernelTables(t, checkScoreOptions(t, {})), rows, 1);
  assert.is(k.sample(3, 0, rows), 0);
  const counts = [0, 0, 0];
  for (let i = 0; i < rows; i++) counts[k.candidates[i * 2]]++;
  [0.1, 0.3, 0.6].forEach((p, v) => assert.ok(Math.abs(counts[v] / rows - p) < 0.02, `${t.slots[0].values[v]}: ${counts[v]} of ${rows}`));
  const pinned = new ScoreKernel(kernelTables(t, checkScoreOptions(t, {}), t.presets[0]), rows, 1);
  pinned.sample(3, 0, rows);
  const b = Array.from({ length: rows }, (_, i) => pinned.candidates[i * 2 + 1]);
  assert.not.ok(b.includes(2), 'a pinned-out value was drawn');
  assert.ok(Math.abs(b.filter((v) => v === 0).length / rows - 0.5) < 0.02);
});

test.run();
