/**
 * The .catar walker on hand-built archives: what it reports, and every
 * malformed archive (cut short, trailing bytes, names that could climb out
 * of the folder, names out of order, a wrong GOODBYE) refused as
 * InvalidArgumentError; extractDirectory writes the tree.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, readFile, readlink, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ByteReader, extractDirectory, readArchive, type ArchiveEvent } from '../../../../server/src/services/storage/index.js';
import { InvalidArgumentError, PreconditionError } from '../../../../server/src/core/errors.js';
import { catar, type Node } from './catar-builder.js';

const TREE: Node = { dir: {
  'a.txt': { file: 'hello\n' },
  bin: { dir: { run: { file: '#!/bin/sh\n', mode: 0o755 }, empty: { file: '' } } },
  link: { link: 'a.txt' },
  pipe: { fifo: true },
  z: { dir: {} },
} };

async function* once(b: Buffer, piece = 7): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < b.length; i += piece) yield b.subarray(i, i + piece);
}

async function walk(b: Buffer): Promise<string[]> {
  const out: string[] = [];
  for await (const ev of readArchive(new ByteReader(once(b))) as AsyncGenerator<ArchiveEvent>) {
    if (ev.kind === 'file') {
      const parts: Buffer[] = [];
      for await (const p of ev.content) parts.push(p);
      out.push(`file ${ev.path} ${(ev.info.mode & 0o777).toString(8)} ${JSON.stringify(Buffer.concat(parts).toString())} ${ev.info.user}`);
    } else if (ev.kind === 'symlink') out.push(`symlink ${ev.path} -> ${ev.target}`);
    else out.push(`${ev.kind} ${ev.path}`);
  }
  return out;
}

const refused = async (b: Buffer, why: RegExp, label: string): Promise<void> => {
  try {
    await walk(b);
    assert.unreachable(`${label}: accepted`);
  } catch (e) {
    assert.ok(e instanceof InvalidArgumentError && e.field === 'archive' && why.test(e.message), `${label}: ${String(e)}`);
  }
};

test('walks a tree in archive order, streaming file content', async () => {
  assert.equal(await walk(catar(TREE)), [
    'directory ', 'file a.txt 644 "hello\\n" aria', 'directory bin', 'file bin/empty 644 "" aria', 'file bin/run 755 "#!/bin/sh\\n" aria',
    'end-directory bin', 'symlink link -> a.txt', 'special pipe', 'directory z', 'end-directory z', 'end-directory ',
  ]);
});

test('cut short anywhere, or with bytes after the end: InvalidArgumentError', async () => {
  const b = catar(TREE);
  for (let len = 0; len < b.length; len += 3) await refused(b.subarray(0, len), /truncated|expected|without|GOODBYE|record size/, `cut to ${len}`);
  await refused(Buffer.concat([b, b.subarray(0, 16)]), /after the end/, 'trailing record');
});

test('names that climb out, repeat or come out of order; a wrong GOODBYE: InvalidArgumentError', async () => {
  await refused(catar({ dir: { '..': { file: 'x' } } }), /bad file name/, '..');
  await refused(catar({ dir: { 'a/b': { file: 'x' } } }), /bad file name/, 'a slash');
  await refused(catar({ dir: { b: { file: 'x' }, a: { file: 'y' } } }, false), /out of order/, 'unsorted');
  const good = catar({ dir: { a: { file: 'x' } } });
  // Replace the root's GOODBYE (16 + one item + tail = 64 bytes) with one that has no item.
  const short = Buffer.alloc(40);
  short.writeBigUInt64LE(40n, 0);
  short.writeBigUInt64LE(0xdfd35c5e8327c403n, 8);
  await refused(Buffer.concat([good.subarray(0, good.length - 64), short]), /GOODBYE table of 40 bytes for 1 entries/, 'goodbye size');
});

test('extractDirectory writes the tree from a .catar file; a non-empty target is refused', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'aria-catar-'));
  try {
    await writeFile(join(dir, 't.catar'), catar(TREE));
    const out = join(dir, 'out');
    const r = await extractDirectory(join(dir, 't.catar'), '', out);
    assert.equal(r, { directories: 3, files: 3, symlinks: 1, skipped: 1, bytes: 16 });
    assert.is(await readFile(join(out, 'a.txt'), 'utf8'), 'hello\n');
    assert.is((await stat(join(out, 'bin/run'))).mode & 0o777, 0o755);
    assert.is(await readlink(join(out, 'link')), 'a.txt');
    assert.is(Math.floor((await stat(join(out, 'a.txt'))).mtimeMs / 1000), 1_700_000_000);
    await extractDirectory(join(dir, 't.catar'), '', out).then(() => assert.unreachable('overwrote'), (e) => assert.instance(e, PreconditionError));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test.run();
