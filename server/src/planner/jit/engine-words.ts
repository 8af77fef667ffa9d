/**
 * The engine's value words and record layouts in the form compiled code
 * emits them: i64 constants as bigints, and power-of-two strides as shift
 * counts. All derived from the ABI (runtime/engine-abi.ts, checked against
 * wasm/assembly/abi.ts), so the state lookups and writes the JIT writes out
 * in place follow the engine's layout by name rather than by copied numbers.
 */
import {
  BOX_HI, STAMP_BYTES, TAG_ABSENT, TAG_NIL, TAG_SYM, TRAIL_ENTRY_BYTES, VALUE_BYTES, VARLIST_BYTES,
} from '../runtime/engine-abi.js';

/** The top 16 bits of every boxed word, as an i64 operand. */
export const BOX_HI_WORD = BigInt(BOX_HI);
/** The top 32 bits of a boxed word with tag `tag`: what `word >> 32` gives. */
export const boxedHigh = (tag: number): bigint => (BOX_HI_WORD << 16n) | BigInt(tag);
/** The value word of a tag and payload. */
export const word = (tag: number, payload: number): bigint => (boxedHigh(tag) << 32n) | BigInt(payload >>> 0);
/** Nil: also what a read of a missing key gives. */
export const NIL = word(TAG_NIL, 0);
/** A slot whose key backtracking removed. */
export const ABSENT = word(TAG_ABSENT, 0);
/** The tags of scalar boxed words (symbol, boolean, nil) are TAG_SYM..TAG_NIL, in one range. */
export const SCALAR_TAG_FIRST = TAG_SYM;
export const SCALAR_TAG_COUNT = TAG_NIL - TAG_SYM + 1;

/** log2 of a record stride the engine keeps a power of two (it indexes by shifting). */
function shiftOf(bytes: number): number {
  const s = Math.log2(bytes);
  if (!Number.isInteger(s)) throw new Error(`engine stride ${bytes} is not a power of two`);
  return s;
}
/** Shift from a trail index to its entry's byte offset. */
export const TRAIL_SHIFT = shiftOf(TRAIL_ENTRY_BYTES);
/** Shift from a slot or symbol to its write stamp's byte offset, and from a dense column to its i32. */
export const STAMP_SHIFT = shiftOf(STAMP_BYTES);
/** Shift from a symbol to its key-list record. */
export const VARLIST_SHIFT = shiftOf(VARLIST_BYTES);
/** Shift from an element index to its value word. */
export const VALUE_SHIFT = shiftOf(VALUE_BYTES);
