/**
 * Interop with Debian's casync (/usr/bin/casync), both ways: what casync
 * makes, Aria extracts byte-identical; what Aria makes, casync extracts
 * byte-identical; and for the same file and sizes Aria writes the very
 * index casync writes (same cuts, same ids, same flags). Without casync the
 * file says so and passes, unless ARIA_REQUIRE_CASYNC=1 (CI) demands it.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { makeBlob, extractBlob, readBlobIndex, type ChunkSizeRequest } from '../../../server/src/services/storage/index.js';
import { randomBytesFrom, repeated } from './test-data.js';

const CASYNC = '/usr/bin/casync';
const run = promisify(execFile);

/** Test files: kinds of content, and sizes around the default min/avg/max. */
function files(): Array<[string, Buffer]> {
  const random = randomBytesFrom(41, 4_000_000);
  const list: Array<[string, Buffer]> = [
    ['random-4M', random],
    ['zeros-2M', Buffer.alloc(2_000_000)],
    ['repeated-3M', repeated(randomBytesFrom(42, 200_003), 3_000_000)],
    ['text-like-1M', Buffer.from(Array.from({ length: 40_000 }, (_, i) => `line ${i % 977} of the asset manifest\n`).join(''))],
    ['empty', Buffer.alloc(0)],
    ['tiny-1000', random.subarray(0, 1000)],
  ];
  for (const size of [16383, 16384, 16385, 65535, 65536, 65537, 262143, 262144, 262145]) list.push([`random-${size}`, random.subarray(100, 100 + size)]);
  return list;
}

/** casync's --chunk-size argument for a request. */
const sizeArg = (s: ChunkSizeRequest): string[] => (s.avg ? [`--chunk-size=${s.min}:${s.avg}:${s.max}`] : []);

let dir: string;

if (!existsSync(CASYNC)) {
  console.log('casync not installed: interop skipped');
  test('casync is installed where CI requires it', () => {
    assert.ok(process.env.ARIA_REQUIRE_CASYNC !== '1', `ARIA_REQUIRE_CASYNC=1 but ${CASYNC} is missing (apt-get install casync)`);
  });
} else {
  test.before(async () => { dir = await mkdtemp(join(tmpdir(), 'aria-casync-interop-')); });
  test.after(async () => { await rm(dir, { recursive: true, force: true }); });

  test('for the same file and sizes Aria writes the index casync writes, byte for byte', async () => {
    const sizes: ChunkSizeRequest[] = [{}, { min: 1024, avg: 4096, max: 16384 }, { min: 64, avg: 256, max: 1024 }, { min: 8192, avg: 8192, max: 8192 }];
    for (const s of sizes) {
      for (const [name, data] of files()) {
        if (s.avg === 256 && data.length > 1_000_000) continue; // thousands of tiny chunks: slow, and small files already cover it
        const input = join(dir, name);
        await writeFile(input, data);
        const theirs = join(dir, `${name}.casync.caibx`);
        const { stdout } = await run(CASYNC, ['make', ...sizeArg(s), `--store=${join(dir, 'casync-store')}`, theirs, input]);
        const ours = join(dir, `${name}.aria.caibx`);
        const made = await makeBlob(input, ours, join(dir, 'aria-store'), s);
        const label = `${name} ${JSON.stringify(s)}`;
        assert.is(made.digest, stdout.trim(), `${label}: the digest casync prints`);
        const [a, b] = [await readFile(ours), await readFile(theirs)];
        if (!a.equals(b)) {
          const ends = async (p: string) => (await readBlobIndex(p)).items.map((i) => i.end);
          assert.equal(await ends(ours), await ends(theirs), `${label}: cuts`);
          assert.ok(false, `${label}: same cuts but the index bytes differ`);
        }
      }
    }
  });

  test('what casync makes, Aria extracts byte-identical', async () => {
    for (const [name, data] of files()) {
      const input = join(dir, `a-${name}`);
      await writeFile(input, data);
      const store = join(dir, 'a-casync-store');
      await run(CASYNC, ['make', `--store=${store}`, `${input}.caibx`, input]);
      const got = await extractBlob(`${input}.caibx`, store, `${input}.out`);
      assert.is(got.size, data.length, name);
      assert.ok((await readFile(`${input}.out`)).equals(data), `${name}: extracted bytes`);
    }
  });

  test('what Aria makes, casync extracts byte-identical', async () => {
    for (const [name, data] of files()) {
      const input = join(dir, `b-${name}`);
      await writeFile(input, data);
      const store = join(dir, 'b-aria-store');
      await makeBlob(input, `${input}.caibx`, store, name.startsWith('repeated') ? { min: 1024, avg: 4096, max: 16384 } : {});
      await run(CASYNC, ['extract', `--store=${store}`, `${input}.caibx`, `${input}.out`]);
      assert.ok((await readFile(`${input}.out`)).equals(data), `${name}: bytes casync extracted`);
    }
  });
}

test.run();
