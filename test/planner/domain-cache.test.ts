/**
 * The compiled-domain cache (planner/compile/domain-cache.ts): a second load hits
 * it, bad entries are ignored and rewritten, one domain never gets
 * another's entry, and plans are the same with and without it.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { appendFileSync, copyFileSync, cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildFingerprint, cacheDir, cacheKey, fingerprintOf, loadDomainCached, readEntry, type DomainSource } from '../../server/src/planner/compile/domain-cache.js';
import { loadDomain, readBuiltinDomain } from '../../server/src/planner/index.js';
import { readCases } from '../support/conformance-cases.js';
import { runAria } from '../support/aria-process.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'aria-cache-test-'));
  dirs.push(d);
  return d;
}
test.after(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

function builtin(name: string): DomainSource {
  const b = readBuiltinDomain(name);
  return { text: b.text, file: b.file };
}

function entryFiles(dir: string): string[] {
  return readdirSync(dir).filter((f) => f.endsWith('.domain'));
}

test('a second load hits the cache and plans every conformance problem as a fresh compile does', async () => {
  const dir = tempDir();
  const cases = readCases().filter((c) => c.kind === 'find_plan');
  const domains = [...new Set(cases.map((c) => c.domain))];
  for (const name of domains) {
    const src = builtin(name);
    const first = await loadDomainCached(src, { dir });
    assert.is(first.cache, 'miss', name);
    const second = await loadDomainCached(src, { dir });
    assert.is(second.cache, 'hit', name);
    const fresh = loadDomain(src.text, { file: src.file });
    assert.is(second.handle.hash, fresh.hash, name);
    assert.equal(second.handle.domain, fresh.domain, name);
    for (const c of cases.filter((k) => k.domain === name)) {
      const p = { state: c.state, todo: c.todo, verify_goals: c.verify_goals };
      const a = fresh.plan(p), b = second.handle.plan(p);
      assert.equal({ ...b, stats: undefined }, { ...a, stats: undefined }, c.name);
      assert.equal(b.stats, a.stats, c.name);
    }
  }
  assert.is(entryFiles(dir).length, domains.length);
});

test('a corrupt, truncated or empty entry is ignored and replaced by a good one', async () => {
  const dir = tempDir();
  const src = builtin('simple_htn');
  await loadDomainCached(src, { dir });
  const [file] = entryFiles(dir);
  const path = join(dir, file!);
  const good = readFileSync(path);
  const damage: Array<() => void> = [
    () => { const b = Buffer.from(good); b[b.length - 40] ^= 0xff; writeFileSync(path, b); },
    () => truncateSync(path, Math.floor(good.length / 2)),
    () => writeFileSync(path, ''),
    () => writeFileSync(path, 'not a cache entry at all, but long enough to have a digest-sized head'),
  ];
  for (const [i, spoil] of damage.entries()) {
    spoil();
    const r = await loadDomainCached(src, { dir });
    assert.is(r.cache, 'miss', `damage ${i}`);
    assert.equal(r.handle.plan({ state: { loc: { alice: 'home_a' }, cash: { alice: 20 }, owe: { alice: 0 } }, todo: [['travel', 'alice', 'park']] }).status, 'plan');
    assert.equal(readFileSync(path), good, `damage ${i}: the entry was rewritten`);
    assert.is((await loadDomainCached(src, { dir })).cache, 'hit', `damage ${i}`);
  }
});

test("a domain never uses another domain's entry, even one copied under its key", async () => {
  const dir = tempDir();
  const a = builtin('simple_htn'), b = builtin('simple_hgn');
  await loadDomainCached(a, { dir });
  const keyA = cacheKey(a), keyB = cacheKey(b);
  assert.is.not(keyA, keyB);
  // A domain text differing by one character has its own key.
  assert.is.not(cacheKey({ ...a, text: a.text + ' ' }), keyA);
  // The same text under another file name too: error messages name the file.
  assert.is.not(cacheKey({ ...a, file: 'other.aria' }), keyA);
  copyFileSync(join(dir, `${keyA}.domain`), join(dir, `${keyB}.domain`));
  assert.is(readEntry(dir, keyB), undefined);
  const r = await loadDomainCached(b, { dir });
  assert.is(r.cache, 'miss');
  assert.is(r.handle.name, 'simple_hgn');
  assert.is(r.handle.hash, loadDomain(b.text, { file: b.file }).hash);
});

test('the JIT switch is part of the key', () => {
  const a = builtin('simple_htn');
  assert.is.not(cacheKey(a, { ARIA_JIT: '0' }), cacheKey(a, {}));
});

test('ARIA_CACHE_DIR: a folder, off, or the XDG default', async () => {
  assert.is(cacheDir({ ARIA_CACHE_DIR: 'off' }), undefined);
  assert.is(cacheDir({ ARIA_CACHE_DIR: '/x/y' }), '/x/y');
  assert.is(cacheDir({ XDG_CACHE_HOME: '/xdg' }), join('/xdg', 'aria'));
  const r = await loadDomainCached(builtin('simple_htn'), { dir: null });
  assert.is(r.cache, 'off');
});

test('an unwritable cache folder leaves planning working', async () => {
  const dir = tempDir();
  const blocker = join(dir, 'file');
  writeFileSync(blocker, 'x');
  const r = await loadDomainCached(builtin('simple_htn'), { dir: join(blocker, 'cache') });
  assert.is(r.cache, 'miss');
  assert.is(r.handle.name, 'simple_htn');
});

const aria = (env: NodeJS.ProcessEnv, ...args: string[]) => runAria(args, env);

test('aria plan: the second run hits the cache and prints the same plan; ARIA_CACHE_DIR=off writes nothing', async () => {
  const dir = tempDir();
  const cache = join(dir, 'cache');
  const problem = join(dir, 'p.json');
  writeFileSync(problem, JSON.stringify({ state: { loc: { alice: 'home_a' }, cash: { alice: 20 }, owe: { alice: 0 } }, todo: [['travel', 'alice', 'park']] }));
  const env = { ARIA_CACHE_DIR: cache, ARIA_CACHE_DEBUG: '1' };
  const first = await aria(env, 'plan', '--domain', 'simple_htn', '--problem', problem);
  const second = await aria(env, 'plan', '--domain', 'simple_htn', '--problem', problem);
  assert.is(first.code, 0, first.stderr);
  assert.match(first.stderr, 'domain cache miss');
  assert.match(second.stderr, 'domain cache hit');
  assert.is(second.stdout, first.stdout);
  assert.match(first.stdout, '"call_taxi"');
  const off = await aria({ ARIA_CACHE_DIR: 'off', ARIA_CACHE_DEBUG: '1' }, 'plan', '--domain', 'simple_htn', '--problem', problem);
  assert.match(off.stderr, 'domain cache off');
  assert.is(off.stdout, first.stdout);
  assert.is(entryFiles(cache).length, 1);
  assert.ok(!existsSync(join(dir, 'off')));
});

test('the build fingerprint covers every room of the planner library: a change in any of them invalidates the cache', () => {
  const planner = join(ROOT, 'dist', 'server', 'src', 'planner');
  assert.is(buildFingerprint(), fingerprintOf(planner));
  const copy = join(tempDir(), 'planner');
  cpSync(planner, copy, { recursive: true });
  const base = fingerprintOf(copy);
  assert.is(base, buildFingerprint());
  for (const room of ['language', 'validation', 'compile', 'jit', 'runtime', '.']) {
    const file = readdirSync(join(copy, room)).find((f) => f.endsWith('.js'))!;
    const before = readFileSync(join(copy, room, file));
    appendFileSync(join(copy, room, file), '\n// changed\n');
    assert.is.not(fingerprintOf(copy), base, `a change in ${room}/${file} must change the fingerprint`);
    writeFileSync(join(copy, room, file), before);
  }
  assert.is(fingerprintOf(copy), base);
});

test.run();
