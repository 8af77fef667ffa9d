/**
 * The tapes of the random GTPyhop cases (make-cases.ts): case k of a run
 * from seed S is built from tapeOf(S * 100000 + k), so that a recorded
 * case can be rebuilt from its seed.
 */

/** The tape of case seed s: 600 words in [0, 9999] from mulberry32(s). */
export function tapeOf(seed: number): number[] {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return Array.from({ length: 600 }, () => Math.floor(next() * 10000));
}

/** The seed of case k of a run from `seed`. */
export const caseSeed = (seed: number, k: number): number => seed * 100000 + k;
