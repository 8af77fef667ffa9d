/**
 * Chunk size parameters, checked and completed the way casync's
 * `--chunk-size=[MIN:]AVG[:MAX]` is, so that the same arguments give the
 * same sizes and discriminator, and so the same cuts, as casync.
 */
import { InvalidArgumentError } from '../../core/errors.js';

/** casync's default average chunk size (64 KiB); min and max default to a quarter and four times it. */
export const CHUNK_SIZE_AVG_DEFAULT = 64 * 1024;
/** casync refuses chunks larger than this (128 MiB), in parameters and in indexes. */
export const CHUNK_SIZE_LIMIT_MAX = 128 * 1024 * 1024;
/** The smallest chunk size casync accepts. */
export const CHUNK_SIZE_LIMIT_MIN = 1;

/** Requested chunk sizes in bytes; any may be left out (or 0), as with casync. */
export interface ChunkSizeRequest {
  min?: number;
  avg?: number;
  max?: number;
}

/** Complete, checked chunk sizes and the cut test's discriminator. */
export interface ChunkParams {
  readonly min: number;
  readonly avg: number;
  readonly max: number;
  /** A chunk ends where hash % discriminator == discriminator - 1. */
  readonly discriminator: number;
}

/**
 * casync's discriminator for an average size: the raw average corrected
 * because cut chunks come out about 1.32 times larger than it (a fitted
 * curve, computed in double precision and truncated, as casync does).
 */
export function discriminatorFor(avg: number): number {
  return Math.trunc(avg / (-1.42888852e-7 * avg + 1.33237515));
}

/**
 * Completes and checks chunk sizes as casync does (the missing ones derived
 * from the others, each within 1 B..128 MiB, min <= avg <= max), throwing
 * InvalidArgumentError (field `chunkSize`) where casync would refuse.
 */
export function chunkParams(request: ChunkSizeRequest = {}): ChunkParams {
  let min = sizeField(request.min, 'min');
  let avg = sizeField(request.avg, 'avg');
  let max = sizeField(request.max, 'max');
  if (avg === 0) {
    if (min !== 0 && max !== 0) avg = roundHalfEven(2 ** ((Math.log2(min) + Math.log2(max)) / 2));
    else if (min !== 0) avg = min * 4;
    else if (max !== 0) avg = Math.floor(max / 4);
    else avg = CHUNK_SIZE_AVG_DEFAULT;
    avg = clamp(avg, CHUNK_SIZE_LIMIT_MIN, CHUNK_SIZE_LIMIT_MAX);
  } else if (avg < CHUNK_SIZE_LIMIT_MIN || avg > CHUNK_SIZE_LIMIT_MAX) {
    throw bad(`average ${avg} is outside ${CHUNK_SIZE_LIMIT_MIN}..${CHUNK_SIZE_LIMIT_MAX}`);
  }
  if (min === 0) min = Math.max(Math.floor(avg / 4), CHUNK_SIZE_LIMIT_MIN);
  else if (min > avg) throw bad(`minimum ${min} is larger than the average ${avg}`);
  if (max === 0) max = Math.min(avg * 4, CHUNK_SIZE_LIMIT_MAX);
  else if (max > CHUNK_SIZE_LIMIT_MAX) throw bad(`maximum ${max} is above ${CHUNK_SIZE_LIMIT_MAX}`);
  else if (max < avg) throw bad(`maximum ${max} is smaller than the average ${avg}`);
  const discriminator = clamp(discriminatorFor(avg), min, max);
  return Object.freeze({ min, avg, max, discriminator });
}

function sizeField(v: number | undefined, name: string): number {
  if (v === undefined || v === 0) return 0;
  if (!Number.isSafeInteger(v) || v < CHUNK_SIZE_LIMIT_MIN) throw bad(`${name} ${v} is not a whole number of bytes >= ${CHUNK_SIZE_LIMIT_MIN}`);
  if (v > CHUNK_SIZE_LIMIT_MAX) throw bad(`${name} ${v} is above ${CHUNK_SIZE_LIMIT_MAX}`);
  return v;
}

function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}

/** C's lrint in the default rounding mode: halves go to the even neighbour. */
function roundHalfEven(v: number): number {
  const f = Math.floor(v);
  const d = v - f;
  if (d > 0.5) return f + 1;
  if (d < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

function bad(message: string): InvalidArgumentError {
  return new InvalidArgumentError('chunkSize', message);
}
