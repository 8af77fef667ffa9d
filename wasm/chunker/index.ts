// Content-defined chunking that cuts exactly where casync cuts: a buzhash
// over a 48-byte window, a cut wherever hash % discriminator equals
// discriminator - 1, never before `min` bytes, always at `max` bytes.
//
// Exports take and return numbers only. The host (server/src/services/
// storage/chunker.ts) writes each piece of the stream at inputPtr() and calls
// scan(); the chunker keeps its rolling state between pieces, so a stream is
// never held whole. Runtime `stub`: nothing is allocated; every region is
// static memory.
import { BUZHASH } from './buzhash-table';

/** Bytes the rolling hash looks at. */
const WINDOW: u32 = 48;
/** The largest piece the host may write at inputPtr() per scan. */
const INPUT_CAPACITY: u32 = 1 << 20;
/** Cut offsets one scan() may report before it returns early. */
const CUTS_CAPACITY: u32 = 4096;
/**
 * Room kept in front of the input for the stream's previous WINDOW bytes:
 * the byte leaving the window is then always at (current - 48), whatever
 * piece it arrived in, and the hot loop needs no ring buffer.
 */
const HISTORY: u32 = 64;

const region = memory.data(<i32>(HISTORY + INPUT_CAPACITY), 16);
const input: usize = region + HISTORY;
const cuts: usize = memory.data(<i32>(CUTS_CAPACITY * 4), 16);
/** The table rotated left by WINDOW bits: what a leaving byte contributes, one rotate saved per byte. */
const leaving: usize = memory.data(256 * 4, 16);
const entering: usize = changetype<usize>(BUZHASH);

let minSize: u32 = 16384;
let maxSize: u32 = 262144;
let discriminator: u32 = 49535;
/**
 * ceil(2^64 / discriminator): with it, "h % d == d - 1", that is "(h + 1) is
 * a multiple of d", becomes one 64-bit multiply and compare (Lemire's
 * divisibility test, exact for h + 1 < 2^33 and d < 2^31) instead of a
 * division per byte.
 */
let multiple: u64 = 0;
/** casync hashes nothing before min - WINDOW bytes of a chunk: no cut can fall there. */
let skip: u32 = 16384 - WINDOW;
let fixedSize: bool = false;

let hash: u32 = 0;
/** Bytes of the window seen since the current chunk's skip ended (at most WINDOW). */
let windowFill: u32 = 0;
/** Bytes of the chunk in progress. */
let chunkSize: u32 = 0;
let stopped: u32 = 0;

/**
 * Sets the chunk sizes (already checked and normalised by the host, as
 * casync's ca_chunker_set_size does) and starts a new stream.
 */
export function configure(min: u32, max: u32, disc: u32): void {
  minSize = min;
  maxSize = max;
  discriminator = disc;
  skip = min > WINDOW ? min - WINDOW : 0;
  fixedSize = min == max;
  multiple = u64.MAX_VALUE / <u64>disc + 1;
  for (let b: u32 = 0; b < 256; b++) {
    store<u32>(leaving + (<usize>b << 2), rotl<u32>(load<u32>(entering + (<usize>b << 2)), WINDOW));
  }
  reset();
}

/** Forgets the stream in progress: the next byte starts a new chunk. */
export function reset(): void {
  hash = 0;
  windowFill = 0;
  chunkSize = 0;
  stopped = 0;
  memory.fill(region, 0, HISTORY);
}

/** Where the host writes a piece of input. */
export function inputPtr(): usize { return input; }
/** The largest piece one scan() takes. */
export function inputCapacity(): u32 { return INPUT_CAPACITY; }
/** Where scan() writes its cut offsets (u32, relative to inputPtr()). */
export function cutsPtr(): usize { return cuts; }
/** How many cuts one scan() may report. */
export function cutsCapacity(): u32 { return CUTS_CAPACITY; }
/** Where the last scan() stopped (== `to` unless the cut list filled up). */
export function stoppedAt(): u32 { return stopped; }
/** Bytes of the chunk in progress (the tail that becomes the last chunk at the end of the stream). */
export function pending(): u32 { return chunkSize; }
/** casync's buzhash table, for the tests' independent reference chunker. */
export function tablePtr(): usize { return entering; }

/** Ends the current chunk at input offset `at` and starts the next. */
@inline function cut(n: u32, at: u32): void {
  store<u32>(cuts + (<usize>n << 2), at);
  hash = 0;
  windowFill = 0;
  chunkSize = 0;
}

/** The hash of the full window that ends just before input offset `at`, as casync starts it. */
function startHash(at: u32): u32 {
  let h: u32 = 0;
  const first = input + at - WINDOW;
  for (let i: u32 = 0; i < WINDOW; i++) {
    h ^= rotl<u32>(load<u32>(entering + (<usize>load<u8>(first + i) << 2)), WINDOW - 1 - i);
  }
  return h;
}

/**
 * Scans input[from, to) for chunk ends, continuing the stream's state.
 * Returns how many cut offsets it wrote at cutsPtr() (each the end of a
 * chunk, relative to inputPtr()); stoppedAt() says how far it got, which is
 * `to` unless the cut list filled up, in which case the host calls again
 * from there without rewriting the input.
 */
export function scan(from: u32, to: u32): u32 {
  let n: u32 = 0;
  let p = from;
  while (p < to && n < CUTS_CAPACITY) {
    if (fixedSize) {
      const need = maxSize - chunkSize;
      if (to - p < need) { chunkSize += to - p; p = to; break; }
      p += need;
      cut(n++, p);
      continue;
    }
    if (chunkSize < skip) {
      const need = skip - chunkSize;
      if (to - p <= need) { chunkSize += to - p; p = to; break; }
      p += need;
      chunkSize = skip;
    }
    if (windowFill < WINDOW) {
      const take = min<u32>(WINDOW - windowFill, to - p);
      p += take;
      windowFill += take;
      chunkSize += take;
      if (windowFill < WINDOW) break;
      hash = startHash(p);
      if (chunkSize >= maxSize || hash % discriminator == discriminator - 1) { cut(n++, p); continue; }
    }
    // Roll: no max check per byte, the loop simply ends where the chunk would reach max.
    const room = maxSize - chunkSize;
    const limit = to - p > room ? p + room : to;
    const m = multiple;
    const below = m - 1;
    let h = hash;
    let q = input + p;
    const end = input + limit;
    let found = false;
    while (q < end) {
      h = rotl<u32>(h, 1)
        ^ load<u32>(leaving + (<usize>load<u8>(q - WINDOW) << 2))
        ^ load<u32>(entering + (<usize>load<u8>(q) << 2));
      q++;
      if ((<u64>h + 1) * m <= below) { found = true; break; }
    }
    const advanced = <u32>(q - input) - p;
    p += advanced;
    chunkSize += advanced;
    hash = h;
    if (found || chunkSize >= maxSize) cut(n++, p);
  }
  stopped = p;
  // Keep the stream's last WINDOW bytes in front of the input for the next piece
  // (memory.copy moves overlapping bytes correctly when the piece was short).
  if (p == to) memory.copy(input - WINDOW, input + to - WINDOW, WINDOW);
  return n;
}
