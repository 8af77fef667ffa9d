/**
 * `casync extract` for a directory: a .caidx index (the chunks of a .catar
 * stream) or a .catar file, written out as a folder tree. Streaming: one
 * record, or one piece of a file, at a time.
 *
 * Restored: folders, regular files (content, permission bits, mtime) and
 * symlinks (target, mtime). Not restored: owners, xattrs, ACLs, file
 * capabilities, chattr flags, device nodes, FIFOs and sockets (counted in
 * `skipped`).
 */
import { createReadStream } from 'node:fs';
import { chmod, lutimes, mkdir, open, readdir, symlink, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { PreconditionError } from '../../core/errors.js';
import { ByteReader } from './casync/byte-reader.js';
import { readArchive, type ArchiveEntryInfo } from './casync/catar.js';
import { ChunkStore } from './chunk-store.js';
import { indexedContent, readBlobIndex } from './extract-blob.js';

/** What {@link extractDirectory} wrote. */
export interface ExtractDirectoryResult {
  directories: number;
  files: number;
  symlinks: number;
  /** Device nodes, FIFOs and sockets not created. */
  skipped: number;
  /** Bytes of file content written. */
  bytes: number;
}

/**
 * Extracts a directory archive into `outDir` (created; it must not exist or
 * be empty). `input` is a .caidx index, read with the chunks of `storeDir`,
 * or a .catar file (then `storeDir` is not used). A malformed archive is an
 * InvalidArgumentError (field `archive` or `index`), a missing or corrupt
 * chunk a DataLossError naming it, an `outDir` with entries a
 * PreconditionError; when `signal` aborts, stops with its reason (what was
 * written so far stays).
 */
export async function extractDirectory(input: string, storeDir: string, outDir: string, signal?: AbortSignal): Promise<ExtractDirectoryResult> {
  signal?.throwIfAborted();
  const source: AsyncIterable<Uint8Array> = input.endsWith('.catar')
    ? createReadStream(input, { highWaterMark: 1 << 20 })
    : indexedContent(await readBlobIndex(input), new ChunkStore(storeDir), signal);
  await mkdir(outDir, { recursive: true });
  if ((await readdir(outDir)).length > 0) throw new PreconditionError(`${outDir} is not empty: extract into a new or empty folder`);
  return writeTree(new ByteReader(source), outDir, signal);
}

async function writeTree(reader: ByteReader, outDir: string, signal?: AbortSignal): Promise<ExtractDirectoryResult> {
  const result: ExtractDirectoryResult = { directories: 0, files: 0, symlinks: 0, skipped: 0, bytes: 0 };
  for await (const ev of readArchive(reader)) {
    signal?.throwIfAborted();
    const path = ev.path === '' ? outDir : join(outDir, ev.path);
    switch (ev.kind) {
      case 'directory':
        // Owner-writable while its children are written; its own mode is applied at its end.
        if (ev.path !== '') await mkdir(path, { mode: 0o700 });
        result.directories++;
        break;
      case 'end-directory':
        await applyModeAndTime(path, ev.info);
        break;
      case 'file': {
        const file = await open(path, 'wx', 0o600);
        try {
          for await (const piece of ev.content) {
            await file.write(piece);
            result.bytes += piece.length;
          }
        } finally {
          await file.close();
        }
        await applyModeAndTime(path, ev.info);
        result.files++;
        break;
      }
      case 'symlink': {
        await symlink(ev.target, path);
        const t = seconds(ev.info.mtimeNs);
        await lutimes(path, t, t);
        result.symlinks++;
        break;
      }
      case 'special':
        result.skipped++;
        break;
    }
  }
  return result;
}

async function applyModeAndTime(path: string, info: ArchiveEntryInfo): Promise<void> {
  await chmod(path, info.mode & 0o7777);
  const t = seconds(info.mtimeNs);
  await utimes(path, t, t);
}

const seconds = (ns: bigint): number => Number(ns / 1000n) / 1e6;
