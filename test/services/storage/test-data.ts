/**
 * Deterministic test inputs for the storage tests: the same bytes on every
 * run and machine (a seeded PRNG), so a failure can be replayed.
 */

/** `size` pseudo-random bytes from `seed` (xorshift32). */
export function randomBytesFrom(seed: number, size: number): Buffer {
  const out = Buffer.alloc(size);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}

/** `size` bytes of `block` over and over: content that repeats, so chunks repeat. */
export function repeated(block: Uint8Array, size: number): Buffer {
  const out = Buffer.alloc(size);
  for (let i = 0; i < size; i += block.length) out.set(block.subarray(0, Math.min(block.length, size - i)), i);
  return out;
}

/** Chunk lengths from exclusive end offsets. */
export function lengthsOf(ends: number[]): number[] {
  return ends.map((e, i) => e - (i === 0 ? 0 : ends[i - 1]!));
}
