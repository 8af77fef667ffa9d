/**
 * `aria storage make` and `aria storage extract`, with casync's own
 * arguments, so that scripts written for casync carry over:
 *
 *   aria storage make --store DIR INDEX PATH      (INDEX ending .caibx: PATH is a file, or - for stdin)
 *   aria storage extract --store DIR INDEX PATH   (.caibx: PATH a file, - for stdout; .caidx/.catar: PATH a folder)
 *
 * `--chunk-size=[MIN:]AVG[:MAX]` as casync's. Making a directory index
 * (.caidx) is not supported yet (extracting one is). Runs in this process:
 * no server.
 */
import { parseArgs } from 'node:util';
import { stat } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { extractBlob, extractDirectory, makeBlob, type ChunkSizeRequest } from '../services/storage/index.js';
import { UsageError } from './usage-error.js';
import { progressLine } from './progress.js';

const ARGS = {
  store: { type: 'string' },
  'chunk-size': { type: 'string' },
} as const;

/** Parses casync's `--chunk-size=[MIN:]AVG[:MAX]` (one number: the average; two: min and average; bytes, or with K/M suffixes). */
export function parseChunkSize(text: string | undefined): ChunkSizeRequest {
  if (!text) return {};
  const parts = text.split(':').map((p) => {
    const m = /^(\d+)([KMG]?)$/i.exec(p.trim());
    if (!m) throw new UsageError(`--chunk-size ${JSON.stringify(text)}: use [MIN:]AVG[:MAX] in bytes (K, M suffixes allowed)`);
    return Number(m[1]) * ({ '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 } as Record<string, number>)[m[2]!.toUpperCase()]!;
  });
  if (parts.length === 1) return { avg: parts[0] };
  if (parts.length === 2) return { min: parts[0], avg: parts[1] };
  if (parts.length === 3) return { min: parts[0], avg: parts[1], max: parts[2] };
  throw new UsageError('--chunk-size takes at most three sizes, MIN:AVG:MAX');
}

function positional(argv: string[], verb: string): { store: string; index: string; path: string; chunkSize?: string } {
  const { values, positionals } = parseArgs({ args: argv, options: ARGS, strict: true, allowPositionals: true });
  if (positionals.length !== 2) throw new UsageError(`usage: aria storage ${verb} --store DIR INDEX PATH`);
  const [index, path] = positionals as [string, string];
  if (!values.store && !index.endsWith('.catar')) throw new UsageError(`aria storage ${verb}: --store DIR is required`);
  return { store: values.store ?? '', index, path, chunkSize: values['chunk-size'] };
}

/** `aria storage make`; returns the exit code. */
export async function storageMake(argv: string[]): Promise<number> {
  const a = positional(argv, 'make');
  if (!a.index.endsWith('.caibx')) throw new UsageError(`${a.index}: aria storage make writes blob indexes (.caibx) only; directory indexes (.caidx) are not supported yet`);
  const total = a.path === '-' ? undefined : (await stat(a.path)).size;
  const bar = progressLine(`make ${a.index}`, total);
  let read = 0;
  async function* counted(): AsyncGenerator<Uint8Array> {
    for await (const piece of a.path === '-' ? process.stdin : createReadStream(a.path, { highWaterMark: 1 << 20 })) {
      read += (piece as Buffer).length;
      bar.update(read);
      yield piece as Buffer;
    }
  }
  const r = await makeBlob(counted(), a.index, a.store, parseChunkSize(a.chunkSize));
  bar.done();
  // casync make prints the blob's digest: so does this, then the counts as JSON on stderr for people.
  process.stdout.write(`${r.digest}\n`);
  process.stderr.write(`${JSON.stringify({ size: r.size, chunks: r.chunks, new_chunks: r.newChunks, new_bytes: r.newBytes, index_digest: r.indexDigest })}\n`);
  return 0;
}

/** `aria storage extract`; returns the exit code. */
export async function storageExtract(argv: string[]): Promise<number> {
  const a = positional(argv, 'extract');
  if (a.index.endsWith('.caibx')) {
    const r = await extractBlob(a.index, a.store, a.path === '-' ? process.stdout : a.path);
    if (a.path !== '-') process.stderr.write(`${JSON.stringify({ size: r.size, chunks: r.chunks, digest: r.digest })}\n`);
    return 0;
  }
  if (a.index.endsWith('.caidx') || a.index.endsWith('.catar')) {
    const r = await extractDirectory(a.index, a.store, a.path);
    process.stderr.write(`${JSON.stringify(r)}\n`);
    return 0;
  }
  throw new UsageError(`${a.index}: the index's suffix must be .caibx (a file), .caidx or .catar (a folder)`);
}
