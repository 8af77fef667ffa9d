/**
 * A casync chunk store on the local disk: each chunk zstd-compressed in
 * `<store>/<first 4 hex of id>/<id hex>.cacnk`, the layout `casync make
 * --store=DIR` writes and `casync extract --store=DIR` reads.
 */
import { mkdir, readFile, writeFile, rename, rm, stat } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { DataLossError } from '../../core/errors.js';
import type { ChunkDigest } from './casync/caibx.js';
import { chunkIdHex, chunkIdOf } from './chunk-id.js';
import { zstdCompress, zstdDecompress, zstdReady } from './zstd.js';

/** A local casync chunk store. */
export class ChunkStore {
  /** The store's folder. */
  readonly dir: string;
  /** Sub-folders known to exist, so that a put makes each only once. */
  private readonly made = new Set<string>();

  constructor(dir: string) {
    this.dir = dir;
  }

  /** The file that holds a chunk. */
  pathOf(id: Uint8Array | string): string {
    const hex = typeof id === 'string' ? id : chunkIdHex(id);
    return join(this.dir, hex.slice(0, 4), `${hex}.cacnk`);
  }

  /** Whether the store has a file for the chunk (its content is not checked). */
  async has(id: Uint8Array | string): Promise<boolean> {
    try {
      return (await stat(this.pathOf(id))).isFile();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw err;
    }
  }

  /**
   * Stores a chunk under its id unless it is there already. Returns the
   * compressed bytes written (0: it was there). The file appears whole or not
   * at all (written aside, then renamed), so a crash never leaves a chunk
   * that reads as corrupt.
   */
  async put(id: Uint8Array, data: Uint8Array): Promise<number> {
    if (await this.has(id)) return 0;
    await zstdReady();
    const path = this.pathOf(id);
    const sub = path.slice(0, path.lastIndexOf('/'));
    if (!this.made.has(sub)) {
      await mkdir(sub, { recursive: true });
      this.made.add(sub);
    }
    const frame = zstdCompress(data);
    const tmp = `${sub}/.${chunkIdHex(id)}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      await writeFile(tmp, frame);
      await rename(tmp, path);
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
    return frame.length;
  }

  /**
   * A chunk's uncompressed bytes, checked against its id: a chunk that is
   * missing, does not decompress, has the wrong size or hashes to another id
   * is a DataLossError naming it; wrong bytes are never returned.
   */
  async get(id: Uint8Array, size: number, digest: ChunkDigest = 'sha512-256'): Promise<Uint8Array> {
    const hex = chunkIdHex(id);
    let frame: Buffer;
    try {
      frame = await readFile(this.pathOf(hex));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new DataLossError(hex, 'missing from the chunk store');
      throw err;
    }
    await zstdReady();
    let data: Uint8Array;
    try {
      data = zstdDecompress(frame, size);
    } catch (err) {
      throw new DataLossError(hex, `corrupt in the chunk store (${(err as Error).message})`, { cause: err });
    }
    if (!chunkIdOf(data, digest).equals(id)) throw new DataLossError(hex, 'corrupt in the chunk store: its content does not match its id');
    return data;
  }
}
