/**
 * A casync chunk store on the local disk: each chunk zstd-compressed in
 * `<store>/<first 4 hex of id>/<id hex>.cacnk`, the layout `casync make
 * --store=DIR` writes and `casync extract --store=DIR` reads.
 */
import { mkdir, readFile, readdir, writeFile, rename, rm, stat, utimes } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { DataLossError } from '../../core/errors.js';
import type { ChunkDigest } from './casync/caibx.js';
import { chunkIdHex, chunkIdOf } from './chunk-id.js';
import { zstdCompress, zstdDecompress, zstdReady } from './zstd.js';

/** A chunk file found by {@link ChunkStore.list}. */
export interface StoredChunk {
  /** The chunk's id, lower-case hex. */
  hex: string;
  /** Its file. */
  path: string;
}

const SUB = /^[0-9a-f]{4}$/;
const CHUNK_FILE = /^([0-9a-f]{64})\.cacnk$/;
/** A chunk being written (put's temporaries; casync's are `.#<id>.cacnk<random>`). */
const TEMPORARY = /^\.(?:[0-9a-f]{64}\.[0-9a-f]{12}\.tmp|#[0-9a-f]{64}\.cacnk\w*)$/;

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
    return checkedChunk(hex, id, frame, size, digest);
  }

  /** Every chunk file, folder by folder; other files (casync's temporaries, ours) are skipped. */
  async *list(): AsyncGenerator<StoredChunk> {
    for await (const f of this.files()) {
      const m = CHUNK_FILE.exec(f.name);
      if (m && m[1]!.startsWith(f.sub)) yield { hex: m[1]!, path: f.path };
    }
  }

  /** Chunk files being written, or left half-written by a process that died (garbage collection removes old ones). */
  async *temporaries(): AsyncGenerator<string> {
    for await (const f of this.files()) if (TEMPORARY.test(f.name)) yield f.path;
  }

  private async *files(): AsyncGenerator<{ sub: string; name: string; path: string }> {
    let subs: string[];
    try {
      subs = (await readdir(this.dir)).filter((n) => SUB.test(n)).sort();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    for (const sub of subs) {
      let names: string[];
      try {
        names = await readdir(join(this.dir, sub));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR') continue;
        throw err;
      }
      for (const name of names.sort()) yield { sub, name, path: join(this.dir, sub, name) };
    }
  }

  /**
   * Sets a chunk file's mtime to now (garbage collection keeps recent
   * files for a grace period). False when the store has no such chunk.
   */
  async touch(id: Uint8Array | string): Promise<boolean> {
    const now = new Date();
    try {
      await utimes(this.pathOf(id), now, now);
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw err;
    }
  }

  /** Removes a chunk file; its compressed size, or 0 when it was not there. Folders stay (a put may be writing into one). */
  async remove(id: Uint8Array | string): Promise<number> {
    const path = this.pathOf(id);
    try {
      const { size } = await stat(path);
      await rm(path);
      return size;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0;
      throw err;
    }
  }
}

/**
 * A chunk file's content, checked: `frame` decompressed to `size` bytes that
 * hash to `id`, else a DataLossError naming the chunk. Call after zstdReady().
 */
export function checkedChunk(hex: string, id: Uint8Array, frame: Uint8Array, size: number, digest: ChunkDigest = 'sha512-256'): Uint8Array {
  let data: Uint8Array;
  try {
    data = zstdDecompress(frame, size);
  } catch (err) {
    throw new DataLossError(hex, `corrupt in the chunk store (${(err as Error).message})`, { cause: err });
  }
  if (!chunkIdOf(data, digest).equals(id)) throw new DataLossError(hex, 'corrupt in the chunk store: its content does not match its id');
  return data;
}
