/**
 * zstd for chunk files, through @bokuweb/zstd-wasm (zstd compiled to
 * WebAssembly: nothing to build or download at install, same bytes on every
 * platform). Node 20's zlib has no zstd.
 */
import { init, compress, decompress } from '@bokuweb/zstd-wasm';

/** casync's level: zstd's default. */
const LEVEL = 3;

let ready: Promise<void> | undefined;

/** Loads the zstd module once per process (or worker); every call below needs it done. */
export function zstdReady(): Promise<void> {
  ready ??= init();
  return ready;
}

/** One zstd frame holding `data`. Call after {@link zstdReady}. */
export function zstdCompress(data: Uint8Array): Uint8Array {
  return compress(data, LEVEL);
}

/**
 * The content of a zstd frame whose content is expected to be `size`
 * bytes: casync writes frames without a content size, so the caller's
 * expected size bounds the output. Throws on a damaged frame or one that
 * holds more than `size` bytes. Call after {@link zstdReady}.
 */
export function zstdDecompress(frame: Uint8Array, size: number): Uint8Array {
  // The library sizes its output buffer from the frame's own claim when there
  // is one: a damaged claim must be refused before it is believed.
  const declared = frameContentSize(frame);
  if (declared !== undefined && declared !== size) throw new Error(`zstd frame declares ${declared} bytes, expected ${size}`);
  const out = decompress(frame, { defaultHeapSize: Math.max(1, size) });
  if (out.length !== size) throw new Error(`zstd frame holds ${out.length} bytes, expected ${size}`);
  return out;
}

const ZSTD_MAGIC = 0xfd2fb528;

/**
 * The content size a zstd frame header declares (RFC 8878, 3.1.1.1), or
 * undefined when it declares none. Throws when the bytes are not a zstd frame.
 */
export function frameContentSize(frame: Uint8Array): number | undefined {
  if (frame.length < 6) throw new Error('not a zstd frame: too short');
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  if (view.getUint32(0, true) !== ZSTD_MAGIC) throw new Error('not a zstd frame: wrong magic');
  const descriptor = frame[4]!;
  const fcsFlag = descriptor >> 6;
  const singleSegment = (descriptor >> 5) & 1;
  const dictBytes = [0, 1, 2, 4][descriptor & 3]!;
  const fcsBytes = [singleSegment ? 1 : 0, 2, 4, 8][fcsFlag]!;
  if (fcsBytes === 0) return undefined;
  const at = 5 + (singleSegment ? 0 : 1) + dictBytes;
  if (frame.length < at + fcsBytes) throw new Error('not a zstd frame: header cut short');
  if (fcsBytes === 1) return view.getUint8(at);
  if (fcsBytes === 2) return view.getUint16(at, true) + 256;
  if (fcsBytes === 4) return view.getUint32(at, true);
  return Number(view.getBigUint64(at, true));
}
