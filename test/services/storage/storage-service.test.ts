/**
 * StorageService without gRPC: put and get back, resume from an offset,
 * dedup across versions, names, delete, chunk-level sync, index puts,
 * corruption as DATA_LOSS naming chunk and asset, an aborted put leaves no
 * version, and garbage collection (including under a concurrent put).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdir, mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { ChunkGuard, StorageService, chunkIdOf, decodeBlobIndex, encodeBlobIndex, DEFAULT_BLOB_FLAGS } from '../../../server/src/services/storage/index.js';
import type { Database } from '../../../server/src/services/data/database.js';
import { dataBackends } from '../../support/data-backends.js';
import { randomBytesFrom } from './test-data.js';

const backend = dataBackends().at(-1)!;
const never = new AbortController().signal;
let dir: string;
let db: Database;
let svc: StorageService;

test.before.each(async () => {
  dir = await mkdtemp(join(tmpdir(), 'aria-storage-svc-'));
  db = await backend.open();
  svc = new StorageService({ db, storeDir: join(dir, 'store'), graceMs: 0 });
});
test.after.each(async () => {
  await rm(dir, { recursive: true, force: true });
});
test.after(async () => {
  await backend.cleanup();
});

async function* pieces(data: Buffer, size = 100_000): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < data.length; i += size) yield data.subarray(i, i + size);
}

async function readAll(name: string, version = 0, offset = 0): Promise<Buffer> {
  const { pieces: p } = await svc.get(name, version, offset, never);
  const out: Uint8Array[] = [];
  for await (const piece of p) out.push(piece.data);
  return Buffer.concat(out);
}

async function code(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await p;
  } catch (err) {
    return { code: String((err as { code: string }).code).toUpperCase(), message: (err as Error).message };
  }
  throw new Error('expected a failure');
}

test('put then get gives the bytes back; offsets resume mid-chunk', async () => {
  const data = randomBytesFrom(7, 3_000_000);
  const put = await svc.put('chars/hero/mesh.bin', pieces(data), 'pat', never);
  assert.is(put.asset.version, 1);
  assert.is(put.asset.size, data.length);
  assert.is(put.asset.owner, 'pat');
  assert.is(put.newChunks, put.asset.chunkCount);
  assert.is(put.contentDigest, createHash('sha512-256').update(data).digest('hex'));
  assert.ok((await readAll('chars/hero/mesh.bin')).equals(data));
  for (const off of [0, 1, 65_536, 1_234_567, data.length - 1, data.length]) {
    assert.ok((await readAll('chars/hero/mesh.bin', 1, off)).equals(data.subarray(off)), `offset ${off}`);
  }
  assert.match((await code(svc.get('chars/hero/mesh.bin', 1, data.length + 1, never))).message, /offset/);
  // A resume reads only the chunks from the offset on.
  const items = decodeBlobIndex((await svc.index('chars/hero/mesh.bin', 1)).index).items;
  let read = 0;
  for await (const _ of (await svc.get('chars/hero/mesh.bin', 1, 2_234_567, never)).pieces) read++;
  assert.is(read, items.filter((i) => i.end > 2_234_567).length);
  assert.ok(read < items.length / 2);
});

test('a second version with 1% changed stores only a few new chunks', async () => {
  const data = randomBytesFrom(8, 4_000_000);
  const first = await svc.put('a', pieces(data), '', never);
  const changed = Buffer.from(data);
  for (let i = 0; i < 4; i++) randomBytesFrom(100 + i, 10_000).copy(changed, 500_000 + i * 1_000_000);
  const second = await svc.put('a', pieces(changed), '', never);
  assert.is(second.asset.version, 2);
  assert.ok(second.newChunks <= 12, `new chunks ${second.newChunks} of ${second.asset.chunkCount}`);
  assert.ok(second.newChunks >= 4);
  assert.ok(first.asset.chunkCount > 40);
  assert.ok((await readAll('a', 2)).equals(changed));
  assert.ok((await readAll('a', 1)).equals(data));
  assert.equal((await svc.versions('a')).map((v) => v.version), [1, 2]);
});

test('names: bad ones are INVALID_ARGUMENT with a bounded echo; unknown ones NOT_FOUND', async () => {
  for (const bad of ['', '/a', 'a/', 'a//b', 'a/../b', '.', 'a b', 'ä', 'x'.repeat(201), 'a\u0000b']) {
    const f = await code(svc.put(bad, pieces(Buffer.alloc(1)), '', never));
    assert.is(f.code, 'INVALID_ARGUMENT', JSON.stringify(bad));
  }
  const long = await code(svc.stat('y'.repeat(5000), 0));
  assert.ok(long.message.length < 400, long.message);
  assert.is((await code(svc.stat('nope', 0))).code, 'NOT_FOUND');
  await svc.put('k', pieces(Buffer.from('hello')), '', never);
  assert.is((await code(svc.stat('k', 2))).code, 'NOT_FOUND');
  assert.is((await code(svc.delete('k', 2))).code, 'NOT_FOUND');
  assert.is((await code(svc.delete('k', 0))).code, 'INVALID_ARGUMENT');
});

test('delete a version: its number is never given again; list pages by name', async () => {
  for (const n of ['p/a', 'p/b', 'p/c', 'q']) await svc.put(n, pieces(Buffer.from(n)), '', never);
  await svc.put('p/b', pieces(Buffer.from('b2')), '', never);
  assert.is((await svc.delete('p/b', 2)).version, 2);
  assert.is((await svc.put('p/b', pieces(Buffer.from('b3')), '', never)).asset.version, 3);
  const page1 = await svc.list('p/', 2, '');
  assert.equal(page1.assets.map((a) => [a.name, a.version]), [['p/a', 1], ['p/b', 3]]);
  const page2 = await svc.list('p/', 2, page1.nextPageToken);
  assert.equal(page2.assets.map((a) => a.name), ['p/c']);
  assert.is(page2.nextPageToken, '');
});

test('a corrupt chunk is DATA_LOSS naming the chunk and the asset', async () => {
  const data = randomBytesFrom(9, 600_000);
  await svc.put('hero.bin', pieces(data), '', never);
  const index = decodeBlobIndex((await svc.index('hero.bin', 1)).index);
  const victim = Buffer.from(index.items[2]!.id).toString('hex');
  const path = svc.store.pathOf(victim);
  const frame = await readFile(path);
  frame[frame.length - 5] ^= 0xff;
  await writeFile(path, frame);
  const f = await code(readAll('hero.bin'));
  assert.is(f.code, 'DATA_LOSS');
  assert.ok(f.message.includes(victim) && f.message.includes('"hero.bin"'), f.message);
  await rm(path);
  const g = await code(readAll('hero.bin'));
  assert.is(g.code, 'DATA_LOSS');
  assert.match(g.message, /missing/);
});

test('an aborted put leaves no version, and a retry works', async () => {
  const data = randomBytesFrom(10, 2_000_000);
  const ac = new AbortController();
  async function* slow(): AsyncGenerator<Uint8Array> {
    yield data.subarray(0, 1_000_000);
    ac.abort(new Error('client went away'));
    yield data.subarray(1_000_000);
  }
  await code(svc.put('r', slow(), '', ac.signal));
  assert.is((await code(svc.stat('r', 0))).code, 'NOT_FOUND');
  assert.is(svc.guard.pinned, 0);
  const retry = await svc.put('r', pieces(data), '', never);
  assert.is(retry.asset.version, 1);
  assert.ok(retry.newChunks < retry.asset.chunkCount, 'the chunks of the aborted put were reused');
  assert.ok((await readAll('r')).equals(data));
});

test('chunk sync: missing chunks, put chunks (checked), put the index', async () => {
  const data = randomBytesFrom(11, 1_000_000);
  await svc.put('base', pieces(data.subarray(0, 500_000)), '', never);
  // The client cuts the whole file itself (here: through a second store) and asks what is missing.
  const other = new StorageService({ db: await backend.open(), storeDir: join(dir, 'client'), graceMs: 0 });
  await other.put('x', pieces(data), '', never);
  const { index } = await other.index('x', 1);
  const ids = decodeBlobIndex(index).items.map((i) => i.id);
  const missing = await svc.missingChunks(ids, never);
  assert.ok(missing.length > 0 && missing.length < ids.length, `${missing.length} of ${ids.length}`);
  assert.is((await code(svc.putIndex('synced', index, '', never))).code, 'FAILED_PRECONDITION');
  // Chunk bytes straight from the data: offsets from the index.
  const items = decodeBlobIndex(index).items;
  const want = new Set(missing.map((m) => Buffer.from(m).toString('hex')));
  const upload = async function* () {
    let start = 0;
    for (const it of items) {
      if (want.has(Buffer.from(it.id).toString('hex'))) yield { id: it.id, data: data.subarray(start, it.end) };
      start = it.end;
    }
  };
  const put = await svc.putChunks(upload(), never);
  assert.is(put.stored, missing.length);
  const bad = await code(svc.putChunks((async function* () { yield { id: chunkIdOf(Buffer.from('a')), data: Buffer.from('b') }; })(), never));
  assert.is(bad.code, 'INVALID_ARGUMENT');
  const v = await svc.putIndex('synced', index, '', never);
  assert.is(v.size, data.length);
  assert.ok((await readAll('synced')).equals(data));
  assert.is((await code(svc.putIndex('bad', Buffer.from('not an index'), '', never))).code, 'INVALID_ARGUMENT');
  const truncated = index.subarray(0, index.length - 10);
  assert.is((await code(svc.putIndex('bad', truncated, '', never))).code, 'INVALID_ARGUMENT');
  const empty = encodeBlobIndex({ featureFlags: DEFAULT_BLOB_FLAGS, chunkSizeMin: 16384, chunkSizeAvg: 65536, chunkSizeMax: 262144, items: [] });
  assert.is((await svc.putIndex('empty', empty, '', never)).size, 0);
});

/** Makes every chunk file 10 s old, so a collection with no grace period may take it. */
async function age(): Promise<void> {
  const past = new Date(Date.now() - 10_000);
  for await (const c of svc.store.list()) await utimes(c.path, past, past);
}

test('garbage collection removes unreferenced chunks only, and honours the grace period', async () => {
  const keep = randomBytesFrom(12, 800_000);
  const drop = randomBytesFrom(13, 800_000);
  await svc.put('keep', pieces(keep), '', never);
  const d = await svc.put('drop', pieces(drop), '', never);
  await svc.delete('drop', 1);
  await age();
  const graced = await svc.collectGarbage({ graceMs: 60_000 }, never);
  assert.is(graced.removed, 0);
  assert.is(graced.kept, d.asset.chunkCount);
  const dry = await svc.collectGarbage({ dryRun: true }, never);
  assert.is(dry.removed, d.asset.chunkCount);
  const r = await svc.collectGarbage({}, never);
  assert.is(r.removed, d.asset.chunkCount);
  assert.ok(r.bytesRemoved > 0);
  assert.is(r.referenced, r.examined - r.removed);
  assert.ok((await readAll('keep')).equals(keep));
  assert.is((await svc.collectGarbage({}, never)).removed, 0);
  // Half-written chunk files: an hour old (a dead process's) go, a fresh one (a live write's) stays, whatever the grace period.
  const sub = join(svc.store.dir, 'abcd');
  await mkdir(sub, { recursive: true });
  const stale = join(sub, `.${'ab'.repeat(32)}.${'0'.repeat(12)}.tmp`);
  const fresh = join(sub, `.#${'ab'.repeat(32)}.cacnk1a2b3c`);
  await writeFile(stale, 'x');
  await writeFile(fresh, 'x');
  await utimes(stale, new Date(Date.now() - 7_200_000), new Date(Date.now() - 7_200_000));
  assert.is((await svc.collectGarbage({ graceMs: 0 }, never)).temporariesRemoved, 1);
  assert.ok(existsSync(fresh) && !existsSync(stale));
});

test('garbage collection never removes a chunk a concurrent put uses', async () => {
  const data = randomBytesFrom(14, 2_000_000);
  // An old, unreferenced copy of the very chunks the next put will find in the store.
  await svc.put('old', pieces(data), '', never);
  await svc.delete('old', 1);
  await age();
  let release!: () => void;
  const gate = new Promise<void>((r) => { release = r; });
  async function* gated(): AsyncGenerator<Uint8Array> {
    yield data.subarray(0, 1_500_000);
    await gate;
    yield data.subarray(1_500_000);
  }
  const put = svc.put('new', gated(), '', never);
  await new Promise((r) => setTimeout(r, 200));
  const gc = svc.collectGarbage({}, never);
  // The put commits while the collection runs (or after it); either way none of its chunks may go.
  release();
  const [p, g] = await Promise.all([put, gc]);
  assert.ok(g.kept > 0, `kept ${g.kept}`);
  assert.ok((await readAll('new')).equals(data));
  assert.is(p.asset.version, 1);
  await svc.collectGarbage({}, never);
  assert.ok((await readAll('new')).equals(data));
});

test('ChunkGuard: a chunk pinned at any moment since the collection began is kept, even once released', async () => {
  const guard = new ChunkGuard();
  const before = guard.lease();
  before.pin('a'); // a put that began before the collection and commits after its mark
  assert.ok(guard.beginCollection());
  assert.not.ok(guard.beginCollection(), 'one collection at a time');
  before.release();
  const during = guard.lease();
  during.pin('b');
  during.release();
  let removed = 0;
  const remove = async () => { removed++; };
  assert.is(guard.removeUnlessPinned('a', remove), undefined);
  assert.is(guard.removeUnlessPinned('b', remove), undefined);
  const c = guard.removeUnlessPinned('c', remove);
  assert.ok(c);
  // A put that pins a chunk whose removal is under way waits for it, then writes the chunk again.
  const late = guard.lease();
  late.pin('c');
  await late.settled('c');
  assert.is(removed, 1);
  guard.endCollection();
  late.release();
  assert.is(guard.pinned, 0);
  assert.ok(guard.beginCollection());
  assert.ok(guard.removeUnlessPinned('a', remove), 'a new collection starts from the pins held now');
  guard.endCollection();
});

test('collections in a loop beside concurrent puts of shared chunks: every version reads back whole', async () => {
  const base = randomBytesFrom(15, 1_500_000);
  await svc.put('seed', pieces(base), '', never);
  await svc.delete('seed', 1);
  await age();
  const variants = Array.from({ length: 6 }, (_, i) => {
    const v = Buffer.from(base);
    randomBytesFrom(300 + i, 5_000).copy(v, 100_000 + i * 200_000);
    return v;
  });
  let stop = false;
  let collections = 0;
  const collector = (async () => {
    while (!stop) {
      // No grace period: only the pins stand between a put and the sweep.
      await svc.collectGarbage({ graceMs: 0 }, never);
      collections++;
    }
  })();
  const puts = await Promise.all(variants.map((v, i) => svc.put(`v/${i}`, pieces(v, 50_000 + i * 7_000), '', never)));
  stop = true;
  await collector;
  assert.ok(collections > 0);
  for (let i = 0; i < variants.length; i++) {
    assert.is(puts[i]!.asset.version, 1);
    assert.ok((await readAll(`v/${i}`)).equals(variants[i]!), `v/${i}`);
  }
  await svc.collectGarbage({ graceMs: 0 }, never);
  for (let i = 0; i < variants.length; i++) assert.ok((await readAll(`v/${i}`)).equals(variants[i]!), `v/${i} after a last collection`);
});

test.run();
