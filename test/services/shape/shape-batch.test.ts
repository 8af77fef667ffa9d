/**
 * GenerateBatch in the service: k valid, distinct characters, the same for
 * the same seed; the lazy selection picks exactly what a plain greedy over
 * the TypeScript scorer picks; the bounds and options refused with exact
 * messages.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { builtinTemplate, checkCharacter, closeBatchPool, generateBatch, type BatchOptions, type Template } from '../../../server/src/services/shape/index.js';
import { makeCharacter } from '../../../server/src/services/shape/character.js';
import { kernelTables } from '../../../server/src/services/shape/kernel-tables.js';
import { ScoreKernel } from '../../../server/src/services/shape/score-kernel.js';
import { referenceScores } from '../../../server/src/services/shape/score-reference.js';
import { checkScoreOptions } from '../../../server/src/services/shape/score-options.js';
import { errorOf } from './shape-fixtures.js';

test('a batch: k valid, distinct characters, gains not rising, the same for the same seed', async () => {
  const t = builtinTemplate('fantasy');
  const opts: BatchOptions = { seed: 5, candidates: 5000, k: 12, preferences: { species: { elf: 4 }, jewelry: { ring: 1 } }, style: { art_style: { ink: 2 } }, diversity: 0.5 };
  const r = await generateBatch(t, opts);
  assert.is(r.characters.length, 12);
  assert.is(r.candidates, 5000);
  assert.ok(r.valid > 2500 && r.valid <= 5000, String(r.valid));
  assert.is(new Set(r.characters.map((c) => c.character.index)).size, 12);
  for (const c of r.characters) assert.equal(checkCharacter(t, c.character), []);
  // The first pick has no distance term; from the second on, each pick's gain can only fall.
  r.characters.slice(2).forEach((c, i) => assert.ok(c.score <= r.characters[i + 1].score, `pick ${i + 2} scores ${c.score} after ${r.characters[i + 1].score}`));
  assert.ok(r.characters.slice(1).every((c) => c.distance > 0));
  assert.is(r.characters[0].character.attributes.species, 'elf');
  const again = await generateBatch(t, opts);
  assert.equal(again.characters.map((c) => c.character), r.characters.map((c) => c.character));
  const other = await generateBatch(t, { ...opts, seed: 6 });
  assert.not.equal(other.characters.map((c) => c.character.index), r.characters.map((c) => c.character.index));
});

/** The plain greedy over the TypeScript scorer: each step rescores every valid candidate against the picks. */
function plainGreedy(t: Template, chars: ReturnType<typeof makeCharacter>[], k: number, o: ReturnType<typeof checkScoreOptions>): number[] {
  const valid = chars.filter((c) => checkCharacter(t, c).length === 0);
  const picked: typeof valid = [];
  while (picked.length < k && picked.length < valid.length) {
    const scores = referenceScores(t, valid, picked, o);
    let best = -1;
    scores.forEach((s, i) => {
      if (!picked.includes(valid[i]) && (best < 0 || s.score > scores[best].score)) best = i;
    });
    picked.push(valid[best]);
  }
  return picked.map((c) => c.index);
}

test('the lazy selection picks what the plain greedy picks (preset, preferences, diversity)', async () => {
  const t = builtinTemplate('cyber');
  for (const diversity of [0, 0.3, 2]) {
    const opts = { seed: 9, candidates: 400, k: 9, preset: 'street', preferences: { implants: { neural_jack: 1.5 }, street_cred: { '7': 1 } }, diversity };
    const r = await generateBatch(t, opts);
    const checked = checkScoreOptions(t, opts);
    const k = new ScoreKernel(kernelTables(t, checked, t.presets.find((p) => p.name === 'street')), 400, 1);
    k.sample(9, 0, 400);
    const chars = Array.from({ length: 400 }, (_, i) => makeCharacter(t, i, k.row(i).map((v, s) => t.slots[s].values[v])));
    assert.equal(r.characters.map((c) => c.character.index), plainGreedy(t, chars, 9, checked), `diversity ${diversity}`);
  }
});

test('bounds and options: exact INVALID_ARGUMENT messages', async () => {
  const t = builtinTemplate('casual');
  const bad = async (o: BatchOptions) => {
    try {
      await generateBatch(t, o);
    } catch (err) {
      return errorOf(() => { throw err; });
    }
    throw new Error('accepted');
  };
  assert.equal(await bad({ candidates: 1_000_001 }), { name: 'InvalidArgumentError', message: 'candidates: must be an integer from 1 to 1000000, got 1000001' });
  assert.equal(await bad({ candidates: 0 }), { name: 'InvalidArgumentError', message: 'candidates: must be an integer from 1 to 1000000, got 0' });
  assert.equal(await bad({ k: 1001, candidates: 5000 }), { name: 'InvalidArgumentError', message: 'k: must be an integer from 1 to 1000, got 1001' });
  assert.equal(await bad({ k: 20, candidates: 10 }), { name: 'InvalidArgumentError', message: 'k: must not exceed candidates (10), got 20' });
  assert.equal(await bad({ k: 101, candidates: 1_000_000 }), { name: 'InvalidArgumentError', message: 'k: k × candidates must be at most 100000000, got 101 × 1000000' });
  assert.equal(await bad({ diversity: -1 }), { name: 'InvalidArgumentError', message: 'diversity: must be 0 or more for a batch, got -1' });
  assert.equal(await bad({ preferences: { colour: { red: 1 } } }), { name: 'InvalidArgumentError', message: 'preferences.colour: template casual has no attribute "colour"' });
  assert.equal(await bad({ style: { [t.attributes[0].name]: { nope: 1 } } }), { name: 'InvalidArgumentError', message: `style.${t.attributes[0].name}.nope: "nope" is not a value of ${t.attributes[0].name}` });
  assert.equal(await bad({ preferences: { [t.attributes[0].name]: { [String(t.attributes[0].values[0])]: Infinity } } }), {
    name: 'InvalidArgumentError', message: `preferences.${t.attributes[0].name}.${String(t.attributes[0].values[0])}: must be a finite number from -1000000000 to 1000000000, got "Infinity"`,
  });
  assert.equal(await bad({ preset: 'pirate' }), { name: 'InvalidArgumentError', message: `preset: unknown preset 'pirate' (template casual has: ${t.presets.map((p) => p.name).join(', ')})` });
});

test.after(() => closeBatchPool());

test.run();
