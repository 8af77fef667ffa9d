/**
 * The WebAssembly chunker: casync's size rules, the same cuts as an
 * independent byte-at-a-time reference whatever the parameters, and the same
 * cuts whatever the sizes of the pieces a stream arrives in.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { Chunker, chunkParams, type ChunkParams } from '../../../server/src/services/storage/index.js';
import { InvalidArgumentError } from '../../../server/src/core/errors.js';
import { referenceCuts } from './reference-chunker.js';
import { lengthsOf, randomBytesFrom, repeated } from './test-data.js';

/** All cuts of `data` fed in one piece (the last chunk's end included). */
function cutsOf(data: Uint8Array, params: ChunkParams, pieces: number[] = [data.length]): number[] {
  const c = new Chunker(params);
  const ends: number[] = [];
  let at = 0;
  for (let i = 0; at < data.length; i++) {
    const len = Math.max(1, pieces[i % pieces.length]!);
    const piece = data.subarray(at, at + len);
    for (const e of c.push(piece)) ends.push(at + e);
    at += piece.length;
  }
  if (c.pending > 0) ends.push(data.length);
  return ends;
}

test('sizes: casync defaults and derivations, refusals as InvalidArgumentError', () => {
  assert.equal({ ...chunkParams() }, { min: 16384, avg: 65536, max: 262144, discriminator: 49535 });
  assert.equal({ ...chunkParams({ avg: 1 << 20 }) }, { min: 262144, avg: 1 << 20, max: 4 << 20, discriminator: 886711 });
  assert.is(chunkParams({ min: 4096, max: 65536 }).avg, 16384);
  assert.is(chunkParams({ min: 1000 }).avg, 4000);
  assert.is(chunkParams({ avg: 64 << 20 }).max, 128 << 20);
  for (const bad of [{ min: 70000, avg: 65536 }, { avg: 4096, max: 1000 }, { avg: 200 << 20 }, { min: 1.5, avg: 64 }, { min: -1 }]) {
    assert.throws(() => chunkParams(bad), (e: unknown) => e instanceof InvalidArgumentError && e.field === 'chunkSize', JSON.stringify(bad));
  }
});

const PARAMS: Array<[string, ChunkParams]> = [
  ['default 16K/64K/256K', chunkParams()],
  ['small 64/256/1024', chunkParams({ min: 64, avg: 256, max: 1024 })],
  ['min below the window 16/64/256', chunkParams({ min: 16, avg: 64, max: 256 })],
  ['min 1, discriminator 1', chunkParams({ min: 1, avg: 2, max: 64 })],
  ['fixed 4096', chunkParams({ min: 4096, avg: 4096, max: 4096 })],
  ['fixed 1 (more cuts than one scan reports)', chunkParams({ min: 1, avg: 1, max: 1 })],
];

test('the WebAssembly chunker cuts where the reference cuts, for every parameter set and kind of data', () => {
  const random = randomBytesFrom(7, 1_500_000);
  const inputs: Array<[string, Buffer]> = [
    ['random', random],
    ['zeros', Buffer.alloc(700_000)],
    ['repeated', repeated(randomBytesFrom(9, 100_003), 700_000)],
    ['short', random.subarray(0, 1000)],
  ];
  for (const [pname, params] of PARAMS) {
    for (const [dname, data] of inputs) {
      const input = params.max === 1 ? data.subarray(0, 20_000) : data;
      assert.equal(cutsOf(input, params), referenceCuts(input, params), `${pname}, ${dname}`);
    }
  }
});

test('min and max are respected: every chunk but the last is min..max; zeros cut at max', () => {
  const p = chunkParams({ min: 2048, avg: 8192, max: 32768 });
  const lens = lengthsOf(cutsOf(randomBytesFrom(3, 2_000_000), p));
  assert.ok(lens.length > 100, `${lens.length} chunks`);
  for (const len of lens.slice(0, -1)) assert.ok(len >= p.min && len <= p.max, `chunk of ${len}`);
  const zeros = lengthsOf(cutsOf(Buffer.alloc(100_000), p));
  assert.equal(zeros, [32768, 32768, 32768, 100_000 - 3 * 32768]);
  assert.equal(cutsOf(Buffer.alloc(10), chunkParams()), [10]);
  assert.equal(cutsOf(new Uint8Array(0), chunkParams()), []);
});

test('streaming: the same cuts whatever the piece sizes (property, bounded)', () => {
  const data = randomBytesFrom(11, 400_000);
  const p = chunkParams({ min: 256, avg: 1024, max: 4096 });
  const whole = cutsOf(data, p);
  fc.assert(fc.property(fc.array(fc.integer({ min: 1, max: 70_000 }), { minLength: 1, maxLength: 40 }), (pieces) => {
    assert.equal(cutsOf(data, p, pieces), whole);
  }), { numRuns: 60, seed: 1515 });
  // Pieces around the window size and larger than the module's 1 MiB input buffer.
  assert.equal(cutsOf(data, p, [1, 47, 48, 49, 3]), whole);
  const big = randomBytesFrom(12, 3_000_000);
  assert.equal(cutsOf(big, chunkParams(), [big.length]), cutsOf(big, chunkParams(), [65536 + 17]));
});

test('a Chunker can be reset and reused', () => {
  const data = randomBytesFrom(5, 300_000);
  const p = chunkParams({ min: 1024, avg: 4096, max: 16384 });
  const c = new Chunker(p);
  c.push(data.subarray(0, 12345));
  c.reset();
  assert.is(c.pending, 0);
  const ends = c.push(data);
  if (c.pending > 0) ends.push(data.length);
  assert.equal(ends, referenceCuts(data, p));
});

test.run();
