/**
 * Templates for the shape tests: a small valid one to mutate, and helpers.
 */

/** A small valid template (4 attributes, a trait, 5 constraints, a preset); a fresh copy each call. */
export function smallTemplate(): Record<string, any> {
  return {
    name: 'small',
    attributes: [
      { name: 'species', values: { elf: 3, human: 5, orc: 1 }, phrase: '{value}' },
      { name: 'role', values: { knight: 1, mage: 1, thief: 1 } },
      { name: 'age', range: { min: 10, max: 60, step: 5 } },
      { name: 'skills', pick: { values: { sword: 2, bow: 1, magic: 1, stealth: 1 }, min: 1, max: 2 } },
    ],
    traits: [{ name: 'courage', range: { min: 0, max: 1, step: 0.1 } }],
    constraints: [
      { requires: 'age >= 18', when: 'role = knight' },
      { excludes: ['species = orc', 'role = mage'] },
      { requires: 'skills has magic', when: 'role = mage' },
      { at_most: 1, of: ['skills has sword', 'skills has magic'] },
      { requires: 'courage >= 0.5', when: 'role = knight' },
    ],
    presets: [{ name: 'noble', pin: { role: 'knight' }, weights: { species: { elf: 10 } } }],
    prompt: { subject: 'species', adjectives: ['role'] },
  };
}

/** The message of the error `fn` throws (fails the test when it throws nothing). */
export function errorOf(fn: () => unknown): { name: string; message: string } {
  try {
    fn();
  } catch (err) {
    return { name: (err as Error).name, message: (err as Error).message };
  }
  throw new Error('expected an error, got none');
}
