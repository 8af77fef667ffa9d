/**
 * makeBlob and extractBlob on a local chunk store: round trips from paths
 * and streams, deduplication, and integrity: a corrupt or missing chunk is a
 * DataLossError naming it and leaves no output; a bad index is an
 * InvalidArgumentError; an aborted make writes no index.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, readFile, readdir, rm, writeFile, stat } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { makeBlob, extractBlob, readBlobIndex, ChunkStore, chunkIdHex } from '../../../server/src/services/storage/index.js';
import { DataLossError, InvalidArgumentError } from '../../../server/src/core/errors.js';
import { zstdCompress, zstdReady } from '../../../server/src/services/storage/zstd.js';
import { randomBytesFrom, repeated } from './test-data.js';

let dir: string;
test.before(async () => { dir = await mkdtemp(join(tmpdir(), 'aria-storage-blob-')); });
test.after(async () => { await rm(dir, { recursive: true, force: true }); });

const sha = (b: Uint8Array): string => createHash('sha512-256').update(b).digest('hex');
let n = 0;
/** A fresh input file, index path and store. */
async function fixture(data: Buffer): Promise<{ input: string; index: string; store: string; out: string }> {
  const base = join(dir, `case-${n++}`);
  await writeFile(`${base}.bin`, data);
  return { input: `${base}.bin`, index: `${base}.caibx`, store: `${base}-store`, out: `${base}.out` };
}

async function* pieces(data: Buffer, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < data.length; i += size) yield data.subarray(i, i + size);
}

test('make then extract gives the bytes back; the second make stores nothing new', async () => {
  const data = randomBytesFrom(21, 3_000_000);
  const f = await fixture(data);
  const made = await makeBlob(f.input, f.index, f.store);
  assert.is(made.size, data.length);
  assert.is(made.digest, sha(data));
  assert.is(made.indexDigest, sha(await readFile(f.index)));
  assert.ok(made.chunks > 20 && made.chunks < 100, `${made.chunks} chunks`);
  assert.is(made.newChunks, made.chunks);
  assert.ok(made.newBytes > data.length * 0.9, 'random data does not compress');
  const got = await extractBlob(f.index, f.store, f.out);
  assert.equal(got, { digest: made.digest, size: data.length, chunks: made.chunks });
  assert.ok((await readFile(f.out)).equals(data));
  const again = await makeBlob(f.input, `${f.index}.2`, f.store);
  assert.is(again.newChunks, 0);
  assert.is(again.newBytes, 0);
  assert.is(again.indexDigest, made.indexDigest);
});

test('a stream in odd pieces makes the same index as the file; extract to a Writable', async () => {
  const data = repeated(randomBytesFrom(22, 300_001), 2_500_000);
  const f = await fixture(data);
  const fromFile = await makeBlob(f.input, f.index, f.store);
  const fromStream = await makeBlob(pieces(data, 7919), `${f.index}.s`, `${f.store}-s`, {});
  assert.is(fromStream.indexDigest, fromFile.indexDigest);
  assert.ok(fromFile.newChunks < fromFile.chunks, 'repeated content: repeated chunks stored once');
  const sink = new PassThrough();
  const parts: Buffer[] = [];
  sink.on('data', (b: Buffer) => parts.push(b));
  await extractBlob(f.index, f.store, sink);
  assert.ok(Buffer.concat(parts).equals(data));
});

test('non-default chunk sizes are written into the index', async () => {
  const f = await fixture(randomBytesFrom(23, 200_000));
  const made = await makeBlob(f.input, f.index, f.store, { min: 1024, avg: 4096, max: 16384 });
  const idx = await readBlobIndex(f.index);
  assert.equal([idx.chunkSizeMin, idx.chunkSizeAvg, idx.chunkSizeMax], [1024, 4096, 16384]);
  assert.is(idx.items.length, made.chunks);
  await extractBlob(f.index, f.store, f.out);
  assert.ok((await readFile(f.out)).equals(await readFile(f.input)));
});

/** Made blob, with its index read back, and a chunk's id (hex) and path. */
async function madeWithChunk(seed: number, which: number) {
  const f = await fixture(randomBytesFrom(seed, 1_000_000));
  await makeBlob(f.input, f.index, f.store);
  const id = (await readBlobIndex(f.index)).items[which]!.id;
  return { ...f, hex: chunkIdHex(id), path: new ChunkStore(f.store).pathOf(id) };
}

const dataLoss = (hex: string, why: RegExp) => (e: unknown): boolean =>
  e instanceof DataLossError && e.chunk === hex && e.message.includes(hex) && why.test(e.message);

test('a corrupt chunk is a DataLossError naming it, and no output is left', async () => {
  const c = await madeWithChunk(31, 3);
  const frame = await readFile(c.path);
  frame[frame.length - 5] ^= 0x55;
  await writeFile(c.path, frame);
  try {
    await extractBlob(c.index, c.store, c.out);
    assert.unreachable('extracted a corrupt chunk');
  } catch (e) {
    assert.ok(dataLoss(c.hex, /corrupt/)(e), String(e));
  }
  assert.not.ok(existsSync(c.out), 'no output file');
  assert.equal((await readdir(dir)).filter((name) => name.includes('.tmp')), [], 'no temporary file left');
});

test('a chunk whose content is valid zstd but not its id, or one that is missing: DataLossError naming it', async () => {
  const c = await madeWithChunk(32, 1);
  await zstdReady();
  const size = (await stat(c.path)).size;
  await writeFile(c.path, zstdCompress(randomBytesFrom(99, size)));
  await extractBlob(c.index, c.store, c.out).then(() => assert.unreachable('wrong content'), (e) => assert.ok(dataLoss(c.hex, /corrupt/)(e), String(e)));
  await rm(c.path);
  await extractBlob(c.index, c.store, c.out).then(() => assert.unreachable('missing chunk'), (e) => assert.ok(dataLoss(c.hex, /missing/)(e), String(e)));
  await writeFile(c.path, 'not zstd at all');
  await extractBlob(c.index, c.store, c.out).then(() => assert.unreachable('not zstd'), (e) => assert.ok(dataLoss(c.hex, /corrupt/)(e), String(e)));
});

test('a garbled index is an InvalidArgumentError from extractBlob', async () => {
  const c = await madeWithChunk(33, 0);
  const bytes = await readFile(c.index);
  await writeFile(c.index, bytes.subarray(0, bytes.length - 3));
  await extractBlob(c.index, c.store, c.out).then(() => assert.unreachable('truncated index'), (e) => assert.instance(e, InvalidArgumentError));
});

test('abort: a make stopped midway writes no index; an aborted signal stops before any work', async () => {
  const data = randomBytesFrom(34, 2_000_000);
  const f = await fixture(data);
  const ac = new AbortController();
  async function* stopping(): AsyncGenerator<Uint8Array> {
    let i = 0;
    for await (const p of pieces(data, 100_000)) { if (++i === 5) ac.abort(new Error('stop here')); yield p; }
  }
  await makeBlob(stopping(), f.index, f.store, {}, ac.signal).then(() => assert.unreachable('not stopped'), (e) => assert.is((e as Error).message, 'stop here'));
  assert.not.ok(existsSync(f.index));
  await makeBlob(f.input, f.index, f.store, {}, ac.signal).then(() => assert.unreachable('not stopped'), (e) => assert.is((e as Error).message, 'stop here'));
  await makeBlob(f.input, f.index, f.store);
  await extractBlob(f.index, f.store, f.out, ac.signal).then(() => assert.unreachable('not stopped'), (e) => assert.is((e as Error).message, 'stop here'));
  assert.not.ok(existsSync(f.out));
});

test.run();
