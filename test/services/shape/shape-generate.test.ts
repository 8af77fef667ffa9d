/**
 * Generation through the planner: every character satisfies every
 * constraint (over many seeds, on every built-in template and preset),
 * templates without a character answer so, the same seed gives the same
 * characters, and long requests leave the event loop free.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import {
  builtinTemplate,
  builtinTemplateNames,
  checkCharacter,
  generate,
  validateTemplate,
  type Character,
} from '../../../server/src/services/shape/index.js';
import { errorOf, smallTemplate } from './shape-fixtures.js';

async function characters(t: ReturnType<typeof validateTemplate>, opts: Parameters<typeof generate>[1]): Promise<Character[]> {
  const r = await generate(t, opts);
  if (r.status !== 'ok') throw new Error(r.message);
  return r.characters;
}

test('property: every character of every built-in template (and preset) satisfies every constraint', async () => {
  const templates = builtinTemplateNames().map(builtinTemplate);
  await fc.assert(
    fc.asyncProperty(fc.integer({ min: 0, max: 0xffffffff }), fc.nat(), fc.integer({ min: 1, max: 20 }), async (seed, which, count) => {
      const t = templates[which % templates.length];
      const presets = [undefined, ...t.presets.map((p) => p.name)];
      const preset = presets[Math.floor(which / templates.length) % presets.length];
      for (const c of await characters(t, { seed, count, preset })) {
        assert.equal(checkCharacter(t, c), [], `${t.name} seed ${seed} preset ${preset} #${c.index}`);
        if (preset) for (const [slot, values] of t.presets.find((p) => p.name === preset)!.pins) {
          const a = t.attributes[t.slots[slot].attr];
          const v = a.trait ? c.traits[a.name] : c.attributes[a.name];
          if (a.kind !== 'list') assert.ok(values.includes(v as string | number), `${a.name} pinned`);
        }
      }
    }),
    { numRuns: 60, seed: Number(process.env.ARIA_FUZZ_SEED ?? 16) },
  );
});

test('the small template: its constraints hold on 500 characters, and they vary', async () => {
  const t = validateTemplate(smallTemplate());
  const cs = await characters(t, { seed: 3, count: 500 });
  const species = new Set<unknown>();
  for (const c of cs) {
    assert.equal(checkCharacter(t, c), []);
    if (c.attributes.role === 'knight') assert.ok((c.attributes.age as number) >= 18 && c.traits.courage >= 0.5);
    if (c.attributes.role === 'mage') assert.ok((c.attributes.skills as string[]).includes('magic') && c.attributes.species !== 'orc');
    const n = (c.attributes.skills as string[]).length;
    assert.ok(n >= 1 && n <= 2);
    species.add(c.attributes.species);
  }
  assert.equal([...species].sort(), ['elf', 'human', 'orc']);
});

test('weights shape the draw; a preset pins and re-weights', async () => {
  const t = validateTemplate({ ...smallTemplate(), constraints: [] });
  const count = (cs: Character[], v: string) => cs.filter((c) => c.attributes.species === v).length;
  const plain = await characters(t, { seed: 9, count: 900 });
  // Weights elf 3, human 5, orc 1: about 300, 500 and 100.
  assert.ok(count(plain, 'human') > count(plain, 'elf') && count(plain, 'elf') > count(plain, 'orc'), JSON.stringify([count(plain, 'human'), count(plain, 'elf'), count(plain, 'orc')]));
  const noble = await characters(t, { seed: 9, count: 300, preset: 'noble' });
  assert.ok(noble.every((c) => c.attributes.role === 'knight'));
  // Elf re-weighted to 10 against human 5.
  assert.ok(count(noble, 'elf') > count(noble, 'human'));
});

test('no character exists: answered as such, never a wrong character', async () => {
  const binary = validateTemplate({
    name: 'none',
    attributes: [
      { name: 'a', values: { x: 1, y: 1 } },
      { name: 'b', values: { x: 1, y: 1 } },
    ],
    constraints: [
      { requires: 'b = x', when: 'a = x' },
      { requires: 'b = y', when: 'a = x' },
      { excludes: ['a = y', 'b = x'] },
      { excludes: ['a = y', 'b = y'] },
    ],
  });
  const r = await generate(binary, { seed: 1, count: 5 });
  assert.is(r.status, 'no_character');
  assert.is(r.status === 'no_character' && r.message, 'no character exists: template none has constraints no combination of values satisfies');
  // A list that must pick more than its own bound allows: found by search, not before.
  const t = smallTemplate();
  t.constraints.push({ at_least: 3, of: ['skills has sword', 'skills has bow', 'skills has stealth'] });
  assert.is((await generate(validateTemplate(t), { count: 3 })).status, 'no_character');
  // A conflict between the first and the last of 20 attributes, with 3^18 combinations between them.
  const wide = {
    name: 'wide',
    attributes: Array.from({ length: 20 }, (_, i) => ({ name: `a${i}`, values: { p: 1, q: 1, r: 1 } })),
    constraints: [
      { requires: 'a19 = p', when: 'a0 in p|q|r' },
      { excludes: ['a19 = p', 'a1 in p|q|r'] },
    ],
  };
  assert.is((await generate(validateTemplate(wide), { seed: 2 })).status, 'no_character');
});

test('deterministic: the same seed gives the same characters, another seed others, and character i does not depend on count', async () => {
  const t = builtinTemplate('fantasy');
  const a = await characters(t, { seed: 42, count: 10 });
  const b = await characters(t, { seed: 42, count: 10 });
  assert.equal(a, b);
  const c = await characters(t, { seed: 43, count: 10 });
  assert.not.equal(a.map((x) => x.attributes), c.map((x) => x.attributes));
  const longer = await characters(t, { seed: 42, count: 40 });
  assert.equal(longer.slice(0, 10), a);
  // Ten characters of one seed are not all alike.
  assert.ok(new Set(a.map((x) => JSON.stringify(x.attributes))).size === 10);
});

test('a character as JSON, prompt and planner state', async () => {
  const [c] = await characters(validateTemplate(smallTemplate()), { seed: 5 });
  assert.equal(Object.keys(c.attributes), ['species', 'role', 'age', 'skills']);
  assert.equal(Object.keys(c.traits), ['courage']);
  assert.match(c.prompt, /^full-body shot of an? (knight|mage|thief) (elf|human|orc), A-pose, plain background$/);
  assert.equal(c.state, {
    character: { species: c.attributes.species, role: c.attributes.role, age: c.attributes.age, skills: { __set__: c.attributes.skills } },
    trait: c.traits,
  });
});

test('options checked: count, seed, preset', async () => {
  const t = validateTemplate(smallTemplate());
  const msg = async (opts: Parameters<typeof generate>[1]) => {
    try {
      await generate(t, opts);
    } catch (err) {
      return (err as Error).message;
    }
    return 'no error';
  };
  assert.is(await msg({ count: 0 }), 'count: must be an integer from 1 to 1000, got 0');
  assert.is(await msg({ count: 1001 }), 'count: must be an integer from 1 to 1000, got 1001');
  assert.is(await msg({ seed: -1 }), 'seed: must be an integer from 0 to 4294967295, got -1');
  assert.is(await msg({ preset: 'king' }), "preset: unknown preset 'king' (template small has: noble)");
  assert.is(errorOf(() => builtinTemplate('nope')).name, 'NotFoundError');
});

test('1000 characters leave the event loop free between chunks, and a cancelled signal stops them', async () => {
  const t = builtinTemplate('fantasy');
  let ticks = 0;
  const timer = setInterval(() => ticks++, 0);
  try {
    const cs = await characters(t, { seed: 1, count: 1000 });
    assert.is(cs.length, 1000);
  } finally {
    clearInterval(timer);
  }
  assert.ok(ticks > 3, `${ticks} timer ticks`);
  const ac = new AbortController();
  const run = generate(t, { seed: 1, count: 1000, signal: ac.signal });
  ac.abort();
  try {
    await run;
    assert.unreachable('not cancelled');
  } catch (err) {
    assert.is((err as Error).name, 'CallAbortedError');
  }
});

test.run();
