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
import { chmod, lstat, mkdir, mkdtemp, readFile, readdir, readlink, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createHash } from 'node:crypto';
import { makeBlob, extractBlob, extractDirectory, readBlobIndex, type ChunkSizeRequest } from '../../../server/src/services/storage/index.js';
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

/** A folder tree with nested folders, files of many sizes, modes, a symlink and set times. */
async function makeTree(root: string): Promise<void> {
  const random = randomBytesFrom(43, 1_500_000);
  await mkdir(join(root, 'meshes/lod0'), { recursive: true });
  await mkdir(join(root, 'empty-dir'));
  await writeFile(join(root, 'README'), 'assets of a character\n');
  await writeFile(join(root, 'zero-length'), '');
  await writeFile(join(root, 'meshes/body.bin'), random);
  await writeFile(join(root, 'meshes/lod0/head.bin'), random.subarray(1000, 301_000));
  await writeFile(join(root, 'meshes/lod0/copy.bin'), random.subarray(1000, 301_000));
  await writeFile(join(root, 'tool.sh'), '#!/bin/sh\necho hi\n');
  await chmod(join(root, 'tool.sh'), 0o750);
  await symlink('meshes/body.bin', join(root, 'body-link'));
  for (const p of ['README', 'meshes/body.bin', 'tool.sh']) await utimes(join(root, p), 1_600_000_000, 1_600_000_000);
}

/** Every path of a tree with its type, permission bits, whole-second mtime and content (or link target). */
async function describe(root: string, rel = ''): Promise<string[]> {
  const out: string[] = [];
  for (const name of (await readdir(join(root, rel))).sort()) {
    const p = rel ? `${rel}/${name}` : name;
    const st = await lstat(join(root, p));
    const head = `${p} ${(st.mode & 0o170777).toString(8)}`;
    if (st.isSymbolicLink()) out.push(`${head} -> ${await readlink(join(root, p))}`);
    else if (st.isDirectory()) out.push(head, ...(await describe(root, p)));
    else out.push(`${head} ${Math.floor(st.mtimeMs / 1000)} ${createHash('sha256').update(await readFile(join(root, p))).digest('hex')}`);
  }
  return out;
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

  test('a folder casync makes (.caidx with its store, and .catar) Aria extracts identical: content, modes, times, symlinks', async () => {
    const tree = join(dir, 'tree');
    await makeTree(tree);
    const expected = await describe(tree);
    await run(CASYNC, ['make', `--store=${join(dir, 'tree-store')}`, join(dir, 'tree.caidx'), tree]);
    await run(CASYNC, ['make', join(dir, 'tree.catar'), tree]);
    const fromIndex = await extractDirectory(join(dir, 'tree.caidx'), join(dir, 'tree-store'), join(dir, 'tree-out-caidx'));
    assert.equal(fromIndex, { directories: 4, files: 6, symlinks: 1, skipped: 0, bytes: 1_500_000 + 2 * 300_000 + 22 + 18 });
    assert.equal(await describe(join(dir, 'tree-out-caidx')), expected);
    await extractDirectory(join(dir, 'tree.catar'), '', join(dir, 'tree-out-catar'));
    assert.equal(await describe(join(dir, 'tree-out-catar')), expected);
  });
}

test.run();
