/**
 * Refused starts of `aria serve` (issue 14, items 4, 5 and 11): a
 * configuration the operator must fix is one plain line on stderr and exit
 * 2, never "internal error" with a stack trace; the refusals that need
 * nothing opened leave the data folder untouched; a second server on a live
 * server's data folder stops before it opens or writes anything there. Also
 * `--help` of serve and worker, and the data-folder lock itself.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { startServer } from '../../server/src/app/start-server.js';
import { lockDataDir, LOCK_FILE, STALE_MS } from '../../server/src/app/data-dir-lock.js';
import { FileSecretStore } from '../../server/src/services/secrets/file-secret-store.js';
import { SERVE_OPTIONS } from '../../server/src/cli/serve.js';
import { WORKER_OPTIONS } from '../../server/src/cli/worker.js';
import { refusedLine, runAria, startAria } from '../support/aria-process.js';

const root = mkdtempSync(join(tmpdir(), 'aria-serve-refused-'));
test.after(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const freshDir = () => join(root, `data-${n++}`);
const ADMIN = { ARIA_ADMIN_PASSWORD: 'refused-start-admin-password' };

/** The folder's entries, recursively, with their contents for small files (to see that nothing changed). */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!existsSync(dir)) return out;
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    const p = join(e.parentPath, e.name);
    out[p] = e.isFile() ? readFileSync(p).toString('base64').slice(0, 200) : 'dir';
  }
  return out;
}

test('--host 0.0.0.0 without TLS is refused: one line, exit 2, nothing created', async () => {
  const dir = freshDir();
  const r = await runAria(['serve', '--host', '0.0.0.0', '--port', '0', '--data-dir', dir], ADMIN);
  assert.match(refusedLine(r), /refusing to listen on 0\.0\.0\.0 without TLS.*--insecure/);
  assert.not.ok(existsSync(dir), 'the data folder was not even created');
});

test('--dev-no-auth off loopback is refused: one line, exit 2', async () => {
  const dir = freshDir();
  const r = await runAria(['serve', '--host', '0.0.0.0', '--port', '0', '--data-dir', dir, '--dev-no-auth', '--insecure'], ADMIN);
  assert.match(refusedLine(r), /can only be switched off .* on a loopback address/);
  assert.not.ok(existsSync(dir));
});

test('a bad flag value and an unknown flag: one line, exit 2', async () => {
  assert.match(refusedLine(await runAria(['serve', '--port', 'eighty'])), /--port \/ ARIA_PORT must be an integer/);
  assert.match(refusedLine(await runAria(['serve', '--port'])), /--port/);
  assert.match(refusedLine(await runAria(['serve', '--no-such-flag'])), /no-such-flag/);
  assert.match(refusedLine(await runAria(['serve', '--port', '0', '--log-level', 'loud'])), /--log-level \/ ARIA_LOG_LEVEL must be one of trace, .*"loud"/);
});

test('a data folder that cannot be made is refused: one line, exit 2', async () => {
  const file = join(root, 'a-file');
  writeFileSync(file, '');
  const r = await runAria(['serve', '--port', '0', '--data-dir', join(file, 'data'), '--log-level', 'error'], ADMIN);
  assert.match(refusedLine(r), /cannot use the data folder .*a-file\/data: ENOTDIR/);
});

test('a database that cannot be reached at start: one plain line, exit 69 (EX_UNAVAILABLE); a bad wait setting: exit 2', async () => {
  const env = { ...ADMIN, DATABASE_URL: 'postgres://postgres@127.0.0.1:1/postgres', ARIA_DB_RETRY_MS: '200', ARIA_DB_BOOT_WAIT_MS: '300' };
  const r = await runAria(['serve', '--port', '0', '--data-dir', freshDir(), '--log-level', 'error'], env);
  const lines = r.stderr.trim().split('\n');
  assert.is(r.code, 69, r.stderr);
  assert.is(lines.length, 1, r.stderr);
  assert.match(lines[0], /^aria: database unavailable/);
  assert.not.match(lines[0], /internal error|\bat .*:\d+:\d+/);
  const bad = await runAria(['serve', '--port', '0', '--data-dir', freshDir(), '--log-level', 'error'], { ...env, ARIA_DB_RETRY_MS: 'soon' });
  assert.match(refusedLine(bad), /ARIA_DB_RETRY_MS="soon": a whole number of milliseconds/);
});

test('a master key file readable by others is refused: one line, exit 2', async () => {
  const dir = freshDir();
  mkdirSync(join(dir, 'secrets'), { recursive: true });
  const keyFile = join(dir, 'secrets', 'master.key');
  writeFileSync(keyFile, `${randomBytes(32).toString('base64')}\n`);
  chmodSync(keyFile, 0o644);
  const r = await runAria(['serve', '--port', '0', '--data-dir', dir, '--workers', '1', '--log-level', 'error'], ADMIN);
  assert.match(refusedLine(r), /master key file .* is accessible to group or others \(mode 644\); run: chmod 600/);
});

test('a wrong master key (and a malformed one) is refused: one line, exit 2', async () => {
  const dir = freshDir();
  const store = await FileSecretStore.open(join(dir, 'secrets', 'secrets.enc'), randomBytes(32));
  await store.put('some/secret', Buffer.from('value'));
  await store.close();
  const wrong = await runAria(['serve', '--port', '0', '--data-dir', dir, '--workers', '1', '--log-level', 'error'], { ...ADMIN, ARIA_MASTER_KEY: randomBytes(32).toString('base64') });
  assert.match(refusedLine(wrong), /cannot decrypt it \(wrong ARIA_MASTER_KEY/);
  const malformed = await runAria(['serve', '--port', '0', '--data-dir', dir, '--workers', '1', '--log-level', 'error'], { ...ADMIN, ARIA_MASTER_KEY: 'not-a-key' });
  assert.match(refusedLine(malformed), /ARIA_MASTER_KEY must be 32 bytes/);
});

test('a busy port is refused before the data folder is touched: one line, exit 2', async () => {
  const busy: Server = createServer();
  await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
  const port = (busy.address() as { port: number }).port;
  try {
    const dir = freshDir();
    const r = await runAria(['serve', '--port', String(port), '--data-dir', dir, '--workers', '1', '--log-level', 'error'], ADMIN);
    assert.match(refusedLine(r), new RegExp(`cannot listen on 127\\.0\\.0\\.1:${port}: .*EADDRINUSE`));
    assert.not.ok(existsSync(dir), 'the data folder was not even created');
  } finally {
    await new Promise((resolve) => busy.close(resolve));
  }
});

test('the HTTP port: busy is refused before the data folder is touched; the same as --port, or a bad value, is a usage error', async () => {
  const busy: Server = createServer();
  await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
  const port = (busy.address() as { port: number }).port;
  try {
    const dir = freshDir();
    const r = await runAria(['serve', '--port', '0', '--http-port', String(port), '--data-dir', dir, '--workers', '1', '--log-level', 'error'], ADMIN);
    assert.match(refusedLine(r), new RegExp(`cannot listen on 127\\.0\\.0\\.1:${port}: .*EADDRINUSE`));
    assert.not.ok(existsSync(dir), 'the data folder was not even created');
  } finally {
    await new Promise((resolve) => busy.close(resolve));
  }
  assert.match(refusedLine(await runAria(['serve', '--port', '50123', '--http-port', '50123'])), /--http-port must differ from --port \(both 50123\)/);
  assert.match(refusedLine(await runAria(['serve', '--port', '0', '--http-port', 'nine'])), /--http-port \/ ARIA_HTTP_PORT \(or off\) must be an integer/);
  assert.match(refusedLine(await runAria(['serve', '--port', '65535'])), /--port 65535 leaves no default HTTP port/);
});

test('a port taken between the check and the bind is a ConfigError too (the library\'s bind)', async () => {
  const busy: Server = createServer();
  await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
  const port = (busy.address() as { port: number }).port;
  try {
    const err = await startServer({ port, workers: 1, dataDir: null, libraryUrl: new URL('../support/fake-planner.js', import.meta.url).href, logger: pino({ level: 'silent' }) })
      .then((s) => s.shutdown(0).then(() => undefined), (e: Error) => e);
    assert.ok(err, 'the server must not start');
    assert.is(err!.name, 'ConfigError');
    assert.match(err!.message, new RegExp(`^cannot listen on 127\\.0\\.0\\.1:${port}: .*EADDRINUSE[^\\n]*$`));
  } finally {
    await new Promise((resolve) => busy.close(resolve));
  }
});

test('a second aria serve on a live server\'s data folder stops at once, touching nothing', async () => {
  const dir = freshDir();
  // No ARIA_ADMIN_PASSWORD: the first server writes initial-admin-password, which the second must leave alone.
  const first = await startAria(['--port', '0', '--data-dir', dir, '--workers', '1', '--log-level', 'error']);
  try {
    const password = readFileSync(join(dir, 'initial-admin-password'), 'utf8');
    const before = snapshot(dir);
    const r = await runAria(['serve', '--port', '0', '--data-dir', dir, '--workers', '1', '--log-level', 'error']);
    const line = refusedLine(r);
    assert.ok(line.includes(dir), line);
    assert.match(line, new RegExp(`in use by another aria server \\(pid ${first.child.pid}\\)`));
    assert.equal(snapshot(dir), before, 'the data folder is as the first server left it');
    assert.is(readFileSync(join(dir, 'initial-admin-password'), 'utf8'), password);
  } finally {
    assert.is(await first.stop(), 0);
  }
  assert.not.ok(existsSync(join(dir, LOCK_FILE)), 'a clean stop removes the lock');
});

test('the data-folder lock: held by a live process refuses, left by a dead one is taken over', () => {
  const dir = freshDir();
  mkdirSync(dir, { recursive: true });
  const lockFile = join(dir, LOCK_FILE);
  // Our parent is alive: its lock holds.
  writeFileSync(lockFile, `${process.ppid}\n${hostname()}\n`);
  assert.throws(() => lockDataDir(dir), (e: Error) => e.name === 'ConfigError' && e.message.includes(`pid ${process.ppid}`));
  // A finished child's pid is dead: its lock is stale.
  const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
  writeFileSync(lockFile, `${dead}\n${hostname()}\n`);
  const lock = lockDataDir(dir);
  assert.is(readFileSync(lockFile, 'utf8').split('\n')[0], String(process.pid));
  assert.throws(() => lockDataDir(dir), /in use by another aria server/, 'not twice, even in one process');
  lock.release();
  assert.not.ok(existsSync(lockFile));
  assert.equal(readdirSync(dir), [], 'no temporary file left behind');
});

test('the data-folder lock: another host\'s is held while fresh, taken over once untouched; our own pid not held by us is stale', () => {
  const dir = freshDir();
  mkdirSync(dir, { recursive: true });
  const lockFile = join(dir, LOCK_FILE);
  writeFileSync(lockFile, `4242\nsome-other-host\n`);
  assert.throws(() => lockDataDir(dir), /in use by another aria server \(pid 4242 on some-other-host\)/);
  // Its owner stopped touching it longer ago than STALE_MS: gone (a killed container, say).
  const old = new Date(Date.now() - STALE_MS - 60_000);
  utimesSync(lockFile, old, old);
  const first = lockDataDir(dir);
  first.release();
  // A restarted container often gets the pid the killed one had: that lock is not ours, so it is stale.
  writeFileSync(lockFile, `${process.pid}\n${hostname()}\n`);
  const second = lockDataDir(dir);
  assert.ok(readFileSync(lockFile, 'utf8') !== `${process.pid}\n${hostname()}\n`, 'rewritten by the new owner');
  second.release();
  assert.not.ok(existsSync(lockFile));
});

test('aria serve --help and aria worker --help list every flag with its environment variable; aria --help points to them', async () => {
  for (const [cmd, specs] of [['serve', SERVE_OPTIONS], ['worker', WORKER_OPTIONS]] as const) {
    const r = await runAria([cmd, '--help'], {}, 60_000);
    assert.is(r.code, 0, r.stderr);
    for (const [name, spec] of Object.entries(specs)) {
      const line = r.stdout.split('\n').find((l) => l.trimStart().startsWith(`--${name} `));
      assert.ok(line, `${cmd} --help lists --${name}`);
      if (spec.env) assert.ok(line!.includes(spec.env), `--${name} names ${spec.env}`);
      if (spec.default) assert.ok(line!.includes(`default ${spec.default}`), `--${name} gives its default`);
    }
  }
  const top = await runAria(['--help'], {}, 60_000);
  assert.is(top.code, 0);
  for (const cmd of ['plan', 'conformance', 'serve', 'worker', 'hddl', 'hddl-verify']) assert.match(top.stdout, new RegExp(`^  ${cmd}\\b`, 'm'));
  assert.match(top.stdout, /aria serve --help/);
});

test.run();
