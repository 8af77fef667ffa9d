/**
 * An independent, deliberately plain chunker for the tests: one byte at a
 * time, a ring buffer for the window, a real `%` for the cut test; casync's
 * algorithm as its documentation states it, with none of the WebAssembly
 * chunker's shortcuts (skipping, history in front of the input, Lemire's
 * divisibility test). The two must always agree.
 */
import { buzhashTable } from '../../../server/src/services/storage/chunker.js';
import type { ChunkParams } from '../../../server/src/services/storage/chunk-params.js';

const WINDOW = 48;
const rol = (x: number, n: number): number => { n %= 32; return n === 0 ? x >>> 0 : ((x << n) | (x >>> (32 - n))) >>> 0; };

/** The exclusive end offsets of every chunk of `data`, the last one included. */
export function referenceCuts(data: Uint8Array, p: ChunkParams): number[] {
  const table = buzhashTable();
  const cuts: number[] = [];
  const fixed = p.min === p.max;
  const skip = p.min > WINDOW ? p.min - WINDOW : 0;
  const window = new Uint8Array(WINDOW);
  let size = 0;
  let fill = 0;
  let h = 0;
  for (let i = 0; i < data.length; i++) {
    const b = data[i]!;
    size++;
    let cut = false;
    if (fixed) cut = size >= p.max;
    else if (size <= skip) cut = false;
    else if (fill < WINDOW) {
      window[fill++] = b;
      if (fill === WINDOW) {
        h = 0;
        for (let j = 0; j < WINDOW; j++) h = (h ^ rol(table[window[j]!]!, WINDOW - 1 - j)) >>> 0;
        cut = size >= p.max || h % p.discriminator === p.discriminator - 1;
      }
    } else {
      const slot = (size - skip - 1) % WINDOW;
      h = (rol(h, 1) ^ rol(table[window[slot]!]!, WINDOW) ^ table[b]!) >>> 0;
      window[slot] = b;
      cut = size >= p.max || h % p.discriminator === p.discriminator - 1;
    }
    if (cut) { cuts.push(i + 1); size = 0; fill = 0; h = 0; }
  }
  if (size > 0) cuts.push(data.length);
  return cuts;
}
