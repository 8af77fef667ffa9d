/**
 * Chunk ids: the digest of a chunk's uncompressed bytes, SHA-512/256 by
 * default as casync's, SHA-256 for indexes made with `--digest=sha256`.
 */
import { createHash } from 'node:crypto';
import type { ChunkDigest } from './casync/caibx.js';

/** The id of a chunk's uncompressed bytes. */
export function chunkIdOf(data: Uint8Array, digest: ChunkDigest = 'sha512-256'): Buffer {
  return createHash(digest).update(data).digest();
}

/** A chunk id as lower-case hex, the way the store names files. */
export function chunkIdHex(id: Uint8Array): string {
  return Buffer.from(id.buffer, id.byteOffset, id.byteLength).toString('hex');
}
