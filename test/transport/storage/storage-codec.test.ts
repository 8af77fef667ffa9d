/**
 * GetAsset's own message codecs (the server's encoder that writes the
 * header into a run's free bytes, the client's decoder that keeps `data` a
 * view) give the same messages as ts-proto's.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { GetAssetResponse, PutAssetRequest } from '../../../gen/ts/aria/storage/v1/storage.js';
import { decodePutAssetRequest, encodeGetAssetResponse } from '../../../server/src/transport/storage/storage-adapter.js';
import { decodeGetAssetResponse } from '../../../server/src/cli/storage-client.js';
import { ChunkReaders } from '../../../server/src/services/storage/chunk-readers.js';
import { ChunkStore, chunkIdOf } from '../../../server/src/services/storage/index.js';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const asset = { name: 'a/b', version: 3, size: 5_000_000_000, chunkCount: 7, indexDigest: 'ab'.repeat(32), owner: 'pat', createdUnixMs: 1_700_000_000_000 };

function same(m: GetAssetResponse): void {
  const wire = encodeGetAssetResponse(m);
  const theirs = GetAssetResponse.decode(wire);
  assert.equal(theirs, { asset: m.asset, offset: m.offset, data: Buffer.from(m.data) });
  const ours = decodeGetAssetResponse(wire);
  assert.equal({ ...ours, data: Buffer.from(ours.data) }, theirs);
}

test('encoder and decoder agree with ts-proto, with and without a run to write into', async () => {
  const data = Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * 31) & 0xff));
  for (const offset of [0, 1, 300, 2 ** 40 + 5]) {
    same({ asset: undefined, offset, data });
    same({ asset, offset, data });
    same({ asset: undefined, offset, data: data.subarray(7) });
  }
  same({ asset, offset: 0, data: Buffer.alloc(0) });
  same({ asset: undefined, offset: 12, data: Buffer.alloc(0) });
  // A run read by the reader threads: the header goes into its free bytes, the data is not copied.
  const dir = await mkdtemp(join(tmpdir(), 'aria-codec-'));
  try {
    const store = new ChunkStore(dir);
    const id = chunkIdOf(data);
    await store.put(id, data);
    const readers = new ChunkReaders(1);
    const run = await readers.read([{ id, path: store.pathOf(id), size: data.length }], 'sha512-256');
    await readers.close();
    assert.ok(Buffer.from(run).equals(data));
    for (const offset of [0, 99, 2 ** 40 + 5]) {
      const wire = encodeGetAssetResponse({ asset: undefined, offset, data: run });
      assert.is(wire.buffer, run.buffer, 'no copy');
      assert.equal(GetAssetResponse.decode(wire), { asset: undefined, offset, data });
    }
    same({ asset, offset: 0, data: run });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('the PutAsset decoder agrees with ts-proto (data left a view, other parts by ts-proto)', () => {
  const data = Buffer.from(Array.from({ length: 200_000 }, (_, i) => (i * 7) & 0xff));
  const messages: PutAssetRequest[] = [
    { part: { $case: 'header', header: { name: 'a/b' } } },
    { part: { $case: 'data', data } },
    { part: { $case: 'data', data: Buffer.alloc(0) } },
    { part: { $case: 'end', end: { size: 12345 } } },
    { part: undefined },
  ];
  for (const m of messages) {
    const wire = Buffer.from(PutAssetRequest.encode(m).finish());
    const ours = decodePutAssetRequest(wire);
    assert.equal(ours, PutAssetRequest.decode(wire));
    if (m.part?.$case === 'data' && m.part.data.length > 0) assert.is((ours.part as { data: Buffer }).data.buffer, wire.buffer, 'no copy');
  }
  // Two fields (a data part, then a header: the last one wins, as in ts-proto).
  const both = Buffer.concat([PutAssetRequest.encode(messages[1]!).finish(), PutAssetRequest.encode(messages[0]!).finish()]);
  assert.equal(decodePutAssetRequest(both), PutAssetRequest.decode(both));
});

test.run();
