/**
 * `aria storage` as a person types it: put, get (and --resume), ls, rm and
 * gc against a whole server (auth on, ARIA_TOKEN), and make/extract with
 * casync's arguments, cross-checked with Debian's casync when it is
 * installed (skipped with a line otherwise, unless ARIA_REQUIRE_CASYNC=1).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { LoginRequest, AuthServiceClient, type LoginResponse } from '../../gen/ts/aria/auth/v1/auth.js';
import { call, clientFor, foundationServer, type FoundationServer } from '../support/foundation-server.js';
import { randomBytesFrom } from '../services/storage/test-data.js';

const MAIN = new URL('../../server/src/cli/main.js', import.meta.url).pathname;
const CASYNC = '/usr/bin/casync';
const run = promisify(execFile);
let fs: FoundationServer;
let dir: string;
let env: NodeJS.ProcessEnv;

test.before(async () => {
  fs = await foundationServer();
  dir = await mkdtemp(join(tmpdir(), 'aria-cli-storage-'));
  const auth = clientFor(AuthServiceClient, fs.address);
  const token = (await call<LoginResponse>(auth, 'login', LoginRequest.fromPartial({ username: 'admin', password: 'bootstrap-admin-password' }))).tokens!.accessToken;
  auth.close();
  env = { ...process.env, ARIA_TOKEN: token, ARIA_SERVER: fs.address };
});
test.after(async () => {
  await fs?.stop();
  await rm(dir, { recursive: true, force: true });
});

const aria = (args: string[], e = env) => run(process.execPath, [MAIN, 'storage', ...args], { env: e, maxBuffer: 64 << 20, encoding: 'buffer' });
const text = async (args: string[]) => (await aria(args)).stdout.toString();

test('put, get, get --resume, ls, rm, gc', async () => {
  const data = randomBytesFrom(41, 2_500_000);
  await writeFile(join(dir, 'in.bin'), data);
  const put = JSON.parse(await text(['put', 'cli/asset.bin', join(dir, 'in.bin')]));
  assert.is(put.asset.version, 1);
  assert.is(put.asset.size, data.length);
  assert.ok((await aria(['get', 'cli/asset.bin'])).stdout.equals(data), 'to stdout');
  await aria(['get', 'cli/asset.bin', join(dir, 'out.bin')]);
  assert.ok((await readFile(join(dir, 'out.bin'))).equals(data), 'to a file');
  await truncate(join(dir, 'out.bin'), 1_000_123);
  await aria(['get', 'cli/asset.bin', join(dir, 'out.bin'), '--resume']);
  assert.ok((await readFile(join(dir, 'out.bin'))).equals(data), 'resumed');
  const ls = (await text(['ls', 'cli/'])).trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(ls.map((a) => [a.name, a.version]), [['cli/asset.bin', 1]]);
  assert.is(JSON.parse(await text(['ls', '--versions', 'cli/asset.bin'])).version, 1);
  assert.is(JSON.parse(await text(['rm', 'cli/asset.bin', '1'])).deleted.version, 1);
  const gc = JSON.parse(await text(['gc', '--grace-seconds', '0']));
  assert.ok(gc.chunksRemoved > 0, JSON.stringify(gc));
  const missing = await aria(['get', 'cli/asset.bin']).catch((e: { code: number; stderr: Buffer }) => e);
  assert.is((missing as { code: number }).code, 2);
  assert.match((missing as { stderr: Buffer }).stderr.toString(), /NOT_FOUND/);
});

test('a refused call is one line and its exit code; a bad argument is a usage error', async () => {
  const noToken = await aria(['ls'], { ...env, ARIA_TOKEN: '' }).catch((e: { code: number; stderr: Buffer }) => e);
  assert.is((noToken as { code: number }).code, 1);
  assert.match((noToken as { stderr: Buffer }).stderr.toString(), /^aria: UNAUTHENTICATED: /);
  const usage = await aria(['rm', 'x', 'one']).catch((e: { code: number; stderr: Buffer }) => e);
  assert.is((usage as { code: number }).code, 2);
});

test('make and extract take casync\'s arguments (and casync agrees, when installed)', async () => {
  const data = randomBytesFrom(42, 1_500_000);
  await writeFile(join(dir, 'm.bin'), data);
  const store = join(dir, 'store');
  const digest = (await text(['make', '--store', store, join(dir, 'm.caibx'), join(dir, 'm.bin')])).trim();
  assert.match(digest, /^[0-9a-f]{64}$/);
  await aria(['extract', '--store', store, join(dir, 'm.caibx'), join(dir, 'm.out')]);
  assert.ok((await readFile(join(dir, 'm.out'))).equals(data));
  const caidx = await aria(['make', '--store', store, join(dir, 'd.caidx'), dir]).catch((e: { code: number; stderr: Buffer }) => e);
  assert.is((caidx as { code: number }).code, 2);
  // Failures are one line, no stack: a missing index, a truncated one.
  const missing = (await aria(['extract', '--store', store, join(dir, 'none.caibx'), join(dir, 'x')]).catch((e) => e)) as { code: number; stderr: Buffer };
  assert.is(missing.code, 1);
  assert.match(missing.stderr.toString(), /^aria: .*ENOENT.*\n$/);
  await writeFile(join(dir, 'cut.caibx'), (await readFile(join(dir, 'm.caibx'))).subarray(0, 100));
  const cut = (await aria(['extract', '--store', store, join(dir, 'cut.caibx'), join(dir, 'x')]).catch((e) => e)) as { code: number; stderr: Buffer };
  assert.is(cut.code, 2);
  assert.match(cut.stderr.toString(), /^aria: index: truncated/);
  if (!existsSync(CASYNC)) {
    console.log('casync not installed: the make/extract cross-check with casync skipped');
    assert.ok(process.env.ARIA_REQUIRE_CASYNC !== '1', `ARIA_REQUIRE_CASYNC=1 but ${CASYNC} is missing`);
    return;
  }
  const ours = await run(CASYNC, ['make', `--store=${join(dir, 'cstore')}`, join(dir, 'c.caibx'), join(dir, 'm.bin')]);
  assert.is(ours.stdout.trim(), digest, 'casync make prints the same digest');
  assert.ok((await readFile(join(dir, 'c.caibx'))).equals(await readFile(join(dir, 'm.caibx'))), 'the same index');
  await aria(['extract', '--store', join(dir, 'cstore'), join(dir, 'c.caibx'), join(dir, 'c.out')]);
  assert.ok((await readFile(join(dir, 'c.out'))).equals(data));
  await run(CASYNC, ['extract', `--store=${store}`, join(dir, 'm.caibx'), join(dir, 'm2.out')]);
  assert.ok((await readFile(join(dir, 'm2.out'))).equals(data));
});

test.run();
