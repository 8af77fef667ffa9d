/**
 * Template validation: a good template's normal form, and bad templates
 * refused with the exact path and message.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { validateTemplate } from '../../../server/src/services/shape/index.js';
import { errorOf, smallTemplate } from './shape-fixtures.js';

test('a good template: attributes, list slots, traits, constraints with list bounds, presets', () => {
  const t = validateTemplate(JSON.stringify(smallTemplate()));
  assert.is(t.name, 'small');
  assert.equal(t.attributes.map((a) => `${a.name}:${a.kind}${a.trait ? ':trait' : ''}`), ['species:category', 'role:category', 'age:range', 'skills:list', 'courage:range:trait']);
  assert.equal(t.attributes[2].values, [10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60]);
  assert.equal(t.attributes[4].values, [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1]);
  // species, role, age, four yes/no slots for skills, courage
  assert.is(t.slots.length, 8);
  // five written, plus the list's at_least 1 and at_most 2
  assert.equal(t.constraints.map((c) => c.path).slice(5), ['template.attributes[3].pick.min', 'template.attributes[3].pick.max']);
});

const cases: [string, (t: Record<string, any>) => void, string][] = [
  ['not an object', (t) => { for (const k of Object.keys(t)) delete t[k]; t.name = 5; }, 'template.name: must be a string, got 5'],
  ['bad name', (t) => { t.name = 'Big Name'; }, "template.name: must be lowercase letters, digits, '_' or '-', starting with a letter (at most 64), got 'Big Name'"],
  ['unknown key', (t) => { t.attributes[1].valuez = {}; }, "template.attributes[1]: unknown key 'valuez' (allowed: name, values, range, pick, phrase)"],
  ['negative weight', (t) => { t.attributes[0].values.elf = -1; }, 'template.attributes[0].values.elf: weight must be a positive finite number, got -1'],
  ['weight not a number', (t) => { t.attributes[0].values.orc = 'x'; }, 'template.attributes[0].values.orc: weight must be a positive finite number, got "x"'],
  ['zero weight', (t) => { t.attributes[3].pick.values.bow = 0; }, 'template.attributes[3].pick.values.bow: weight must be a positive finite number, got 0'],
  ['empty values', (t) => { t.attributes[1].values = {}; }, 'template.attributes[1].values: must not be empty'],
  ['two kinds', (t) => { t.attributes[1].range = { min: 0, max: 1 }; }, "template.attributes[1]: needs exactly one of 'values' (a category), 'range' (numbers) or 'pick' (a list)"],
  ['duplicate name', (t) => { t.traits[0].name = 'age'; }, "template.traits[0].name: duplicate name 'age' (first at template.attributes[2])"],
  ['range too fine', (t) => { t.attributes[2].range.step = 0.01; }, 'template.attributes[2].range: 5001 steps from min to max; at most 1000 (use a larger step)'],
  ['range upside down', (t) => { t.attributes[2].range = { min: 5, max: 1 }; }, 'template.attributes[2].range: max 1 is below min 5'],
  ['pick bounds', (t) => { t.attributes[3].pick.min = 3; }, 'template.attributes[3].pick: min 3 is above max 2'],
  ['trait not a range', (t) => { t.traits[0] = { name: 'mood', values: { a: 1 } }; }, "template.traits[0]: unknown key 'values' (allowed: name, range, phrase)"],
  ['unknown attribute in a constraint', (t) => { t.constraints[0].when = 'rol = knight'; }, "template.constraints[0].when: unknown attribute 'rol'"],
  ['unknown value in a constraint', (t) => { t.constraints[1].excludes[0] = 'species = dwarf'; }, "template.constraints[1].excludes[0]: 'dwarf' is not a value of species (elf, human, orc)"],
  ['malformed condition', (t) => { t.constraints[0].requires = 'age>=18'; }, 'template.constraints[0].requires: must be \'attribute op value\' with spaces between (op: = == != < <= > >= in not_in has lacks), got "age>=18"'],
  ['has on a category', (t) => { t.constraints[0].requires = 'species has elf'; }, "template.constraints[0].requires: 'species' is not a list: has applies to lists"],
  ['order on a category', (t) => { t.constraints[0].requires = 'species < elf'; }, "template.constraints[0].requires: 'species' is a category: use = != in not_in"],
  ['number expected', (t) => { t.constraints[0].requires = 'age >= old'; }, "template.constraints[0].requires: 'old' is not a number (age is numeric)"],
  ['two kinds of constraint', (t) => { t.constraints[0].excludes = ['role = mage']; }, "template.constraints[0]: needs exactly one of 'requires', 'excludes', 'at_most' or 'at_least'"],
  ['count above its conditions', (t) => { t.constraints[3].at_most = 3; }, 'template.constraints[3].at_most: must be an integer from 0 to 2, got 3'],
  ['at_least without of', (t) => { t.constraints.push({ at_least: 1 }); }, "template.constraints[5]: at_least needs 'of': the conditions counted"],
  ['duplicate preset', (t) => { t.presets.push({ name: 'noble' }); }, "template.presets[1].name: duplicate name 'noble' (first at template.presets[0])"],
  ['pin to a missing value', (t) => { t.presets[0].pin.role = 'king'; }, 'template.presets[0].pin.role: "king" is not a value of role (knight, mage, thief)'],
  ['pin of an unknown attribute', (t) => { t.presets[0].pin.rank = 'x'; }, "template.presets[0].pin: unknown key 'rank' (allowed: species, role, age, skills, courage)"],
  ['re-weight a range', (t) => { t.presets[0].weights = { age: { 10: 2 } }; }, "template.presets[0].weights.age: 'age' is a range: ranges are not weighted"],
  ['prompt names nothing', (t) => { t.prompt.subject = 'race'; }, 'template.prompt.subject: unknown attribute "race"'],
  // Contradictions found before sampling.
  ['a constraint no value satisfies', (t) => { t.constraints.push({ requires: 'age >= 70' }); }, 'template.constraints[5]: no value of age satisfies requires age >= 70'],
  ['a pin a constraint excludes', (t) => { t.constraints.push({ excludes: ['role = knight'] }); }, 'template.presets[0].pin.role: knight contradicts template.constraints[5] (excludes [role = knight])'],
  ['pins that contradict a constraint between them', (t) => { t.presets[0].pin.species = 'orc'; t.constraints.push({ excludes: ['species = orc', 'role = knight'] }); }, "template.presets[0]: the values pinned for species, role contradict template.constraints[5] (excludes [species = orc, role = knight])"],
  ['list bounds against pins', (t) => { t.presets[0].pin.skills = ['sword', 'bow', 'stealth']; }, 'template.presets[0]: the values pinned for skills has sword, skills has bow, skills has magic, skills has stealth contradict template.attributes[3].pick.max (at_most 2 of [skills has sword, skills has bow, skills has magic, skills has stealth])'],
];

for (const [name, mutate, message] of cases) {
  test(`refused: ${name}`, () => {
    const t = smallTemplate();
    mutate(t);
    const e = errorOf(() => validateTemplate(t));
    assert.is(e.name, 'InvalidArgumentError');
    assert.is(e.message, message);
  });
}

test('refused: text that is not JSON, and JSON that is not an object', () => {
  assert.match(errorOf(() => validateTemplate('{"name": ')).message, /^template: not valid JSON: /);
  assert.is(errorOf(() => validateTemplate('[1]')).message, 'template: must be a JSON object, got [1]');
});

test('the built-in templates are valid, and one is large (50+ attributes, dozens of constraints)', async () => {
  const { builtinTemplateNames, builtinTemplate, summarize } = await import('../../../server/src/services/shape/index.js');
  const names = builtinTemplateNames();
  assert.ok(names.length >= 3, names.join());
  for (const n of names) {
    const s = summarize(builtinTemplate(n));
    assert.ok(s.attributes >= 20, `${n}: ${s.attributes} attributes`);
    assert.ok(s.constraints >= 5, `${n}: ${s.constraints} constraints`);
  }
  const big = summarize(builtinTemplate('fantasy'));
  assert.ok(big.attributes >= 50 && big.constraints >= 24, JSON.stringify(big));
});

test.run();
