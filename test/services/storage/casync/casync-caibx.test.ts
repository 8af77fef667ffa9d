/**
 * The .caibx blob index: the bytes casync writes, a round trip, and every
 * way a file can be cut short or garbled refused as InvalidArgumentError.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { randomBytes } from 'node:crypto';
import { decodeBlobIndex, encodeBlobIndex, digestOf, DEFAULT_BLOB_FLAGS, type BlobIndex } from '../../../../server/src/services/storage/index.js';
import { InvalidArgumentError } from '../../../../server/src/core/errors.js';

const index = (n: number): BlobIndex => ({
  featureFlags: DEFAULT_BLOB_FLAGS,
  chunkSizeMin: 16384,
  chunkSizeAvg: 65536,
  chunkSizeMax: 262144,
  items: Array.from({ length: n }, (_, i) => ({ end: (i + 1) * 50_000 + i, id: randomBytes(32) })),
});

const refused = (data: Uint8Array, why: RegExp, label: string): void => {
  assert.throws(() => decodeBlobIndex(data), (e: unknown) => e instanceof InvalidArgumentError && e.field === 'index' && why.test(e.message), label);
};

test('round trip, and the layout casync writes: 64-byte head, 40-byte items, 40-byte tail', () => {
  for (const n of [0, 1, 3, 1000]) {
    const idx = index(n);
    const bytes = encodeBlobIndex(idx);
    assert.is(bytes.length, 64 + 40 * n + 40);
    assert.is(bytes.readBigUInt64LE(0), 48n);
    assert.is(bytes.readBigUInt64LE(8), 0x96824d9c7b129ff9n);
    assert.is(bytes.readBigUInt64LE(16), 0xb000000000000000n, 'casync make\'s flags for a blob');
    assert.is(bytes.readBigUInt64LE(bytes.length - 8), 0x4b4f050e5549ecd1n);
    const back = decodeBlobIndex(bytes);
    assert.equal({ ...back, items: back.items.map((i) => ({ end: i.end, id: Buffer.from(i.id).toString('hex') })) },
      { ...idx, items: idx.items.map((i) => ({ end: i.end, id: Buffer.from(i.id).toString('hex') })) });
  }
  assert.is(digestOf(DEFAULT_BLOB_FLAGS), 'sha512-256');
  assert.is(digestOf(0n), 'sha256');
});

test('truncated at any length, or with bytes after the tail: InvalidArgumentError', () => {
  const bytes = encodeBlobIndex(index(4));
  for (let len = 0; len < bytes.length; len++) refused(bytes.subarray(0, len), /truncated|tail/, `cut to ${len}`);
  refused(Buffer.concat([bytes, Buffer.alloc(1)]), /truncated|tail/, 'one byte more');
  refused(Buffer.concat([bytes, Buffer.alloc(40)]), /truncated|tail/, 'one item more');
});

test('wrong magic, wrong type, unknown features, bad sizes, bad offsets: InvalidArgumentError', () => {
  const good = encodeBlobIndex(index(3));
  const patch = (at: number, v: bigint): Buffer => { const b = Buffer.from(good); b.writeBigUInt64LE(v, at); return b; };
  refused(patch(8, 0x1396fabcea5bbb51n), /not a casync index/, 'a catar ENTRY magic');
  refused(patch(0, 49n), /not a casync index/, 'header size');
  refused(Buffer.from('this is not an index at all, just text, long enough to look like one..........................'), /not a casync index/, 'text');
  refused(patch(16, DEFAULT_BLOB_FLAGS | 0x0100000000000000n), /unknown casync feature flags 0x100000000000000/, 'unknown feature bit');
  refused(patch(24, 0n), /minimum chunk size/, 'min 0');
  refused(patch(40, 1n << 40n), /maximum chunk size/, 'max too big');
  refused(patch(24, 100_000n), /min <= avg <= max/, 'min > avg');
  refused(patch(56, 0x1234n), /table header/, 'table type');
  refused(patch(64 + 40, 50_000n), /item 1/, 'offsets must grow');
  refused(patch(64 + 40, 50_000n + 300_000n), /item 1/, 'a chunk above max');
  refused(patch(good.length - 8, 1n), /tail/, 'tail marker');
  refused(patch(good.length - 16, 1000n), /tail/, 'tail size');
});

test.run();
