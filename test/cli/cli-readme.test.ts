/**
 * The `aria` command as the documentation writes it: the README's Quick
 * start runs as written (through a shell, from the repository root), every
 * document uses `./server/bin/aria` and not `npx aria`, the package keeps npx from
 * packing and rebuilding the project, and `aria --help` / `aria plan` load
 * only what they need (no gRPC, pg or BullMQ).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const dir = mkdtempSync(join(tmpdir(), 'aria-cli-readme-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

/** The README's Quick start shell block that plans from the command line. */
function quickStartBlock(): string {
  const block = /```sh\n(cat > \/tmp\/alice\.json[\s\S]*?)```/.exec(README)?.[1];
  assert.ok(block, 'the README has the `cat > /tmp/alice.json` block');
  return block!;
}

test('README Quick start: the `./server/bin/aria plan` lines print what the README says, run through a shell as written', async () => {
  const block = quickStartBlock();
  // The heredoc is the problem file; this test writes it to its own folder.
  const json = /<<'JSON'\n([\s\S]*?)\nJSON\n/.exec(block)?.[1];
  assert.ok(json, 'the heredoc');
  const problem = join(dir, 'alice.json');
  writeFileSync(problem, json!);
  const lines = block.split('\n');
  const i = lines.findIndex((l) => l.startsWith('./server/bin/aria plan '));
  assert.ok(i >= 0, 'a ./server/bin/aria plan line');
  const expected = /^# (.*)$/.exec(lines[i + 1])?.[1];
  assert.ok(expected, 'the line after it shows the output');
  const command = lines[i].replaceAll('/tmp/alice.json', problem);
  const { stdout } = await run('/bin/sh', ['-c', command], { cwd: ROOT, timeout: 60_000 });
  assert.is(stdout.trim(), expected);

  const repeat = lines.find((l) => l.includes(' --repeat '))!;
  assert.ok(repeat.startsWith('./server/bin/aria plan '), repeat);
  const timed = JSON.parse((await run('/bin/sh', ['-c', repeat.replace(/#.*$/, '').replaceAll('/tmp/alice.json', problem).replace('--repeat 1000', '--repeat 3')], { cwd: ROOT, timeout: 60_000 })).stdout);
  assert.equal(Object.keys(timed.stats ?? {}).filter((k) => k === 'median_ms' || k === 'min_ms').sort(), ['median_ms', 'min_ms']);
});

test('every document writes the command as ./server/bin/aria, never `npx aria`', () => {
  const docs = [join(ROOT, 'README.md'), ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => join(ROOT, 'docs', f))];
  for (const c of ['ts', 'python']) docs.push(join(ROOT, 'clients', c, 'README.md'));
  docs.push(join(ROOT, 'clients', 'ts', 'examples', 'quickstart.ts'), join(ROOT, 'clients', 'python', 'example_sussman.py'));
  // A command (`npx aria <subcommand>`), not the README's note on why npx is not the way.
  for (const file of docs.filter(existsSync)) assert.not.match(readFileSync(file, 'utf8'), /npx aria [a-z]/, `${file} says npx aria`);
  assert.match(README, /\n\.\/server\/bin\/aria plan /);
});

test('package.json has no "bin" (npx would pack and rebuild the project); node_modules/.bin/aria is server/bin/aria', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { bin?: unknown; scripts: Record<string, string> };
  assert.is(pkg.bin, undefined, 'a "bin" entry makes `npx aria` install the project into the npx cache, running prepare');
  assert.match(pkg.scripts.prepare, /link:bin/);
  const link = join(ROOT, 'node_modules', '.bin', 'aria');
  if (!existsSync(link)) {
    console.log(`\n  SKIP the node_modules/.bin/aria check: ${link} missing (run npm install)`);
    return;
  }
  assert.is(realpathSync(link), realpathSync(join(ROOT, 'server', 'bin', 'aria')));
});

/** The files a command loads, recorded by a module hook (one line per module on stderr). */
async function modulesLoaded(env: NodeJS.ProcessEnv, ...args: string[]): Promise<{ urls: string[]; stdout: string }> {
  const hook = `export async function resolve(s, c, next) { const r = await next(s, c); process.stderr.write('LOADED ' + r.url + '\\n'); return r; }`;
  const register = `import { register } from 'node:module'; register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(hook)}));`;
  const { stdout, stderr } = await run(process.execPath, ['--import', `data:text/javascript,${encodeURIComponent(register)}`, join(ROOT, 'server', 'bin', 'aria'), ...args], { cwd: ROOT, timeout: 60_000, env: { ...process.env, ...env } });
  return { urls: stderr.split('\n').filter((l) => l.startsWith('LOADED ')).map((l) => l.slice(7)), stdout };
}

test('aria --help loads the CLI entry alone; aria plan loads the planner but no gRPC, pg, BullMQ or Redis client, and no compiler on a cache hit', async () => {
  const help = await modulesLoaded({}, '--help');
  assert.match(help.stdout, /^usage: aria/);
  const ours = help.urls.filter((u) => u.includes('/dist/'));
  assert.ok(ours.some((u) => u.endsWith('/cli/main.js')), 'the hook saw the CLI load');
  assert.equal(ours.filter((u) => !/\/cli\/(main|usage-error)\.js$|\/planner\/errors\.js$|\/core\/errors\.js$/.test(u)), [], '--help loads nothing else of ours');
  assert.equal(help.urls.filter((u) => u.includes('/node_modules/')), [], '--help loads no package');

  const problem = join(dir, 'plan-problem.json');
  writeFileSync(problem, JSON.stringify({ state: { loc: { alice: 'home_a', bob: 'home_b', taxi1: 'park', taxi2: 'station' }, cash: { alice: 20, bob: 15 }, owe: { alice: 0, bob: 0 } }, todo: [['travel', 'alice', 'park']] }));
  const cache = { ARIA_CACHE_DIR: join(dir, 'domain-cache') };
  const compiler = /\/planner\/(compile\/compile-domain|compile\/compile-body|language\/parse-domain|validation\/validate-domain|jit\/jit-module)\.js$/;
  for (const round of ['cold cache', 'warm cache']) {
    const plan = await modulesLoaded(cache, 'plan', '--domain', 'simple_htn', '--problem', problem);
    assert.is(JSON.parse(plan.stdout).status, 'plan', round);
    assert.ok(plan.urls.some((u) => u.endsWith('/planner/runtime/engine.js')), 'the hook saw the planner load');
    const heavy = plan.urls.filter((u) => /@grpc|\/pg\/|\/pg-|bullmq|ioredis|pglite|pino|piscina|node-vault|jose|argon2/.test(u) || /\/dist\/server\/src\/(transport|services|app)\//.test(u));
    assert.equal(heavy, [], 'aria plan loads none of the server');
    // A compiled domain from the cache (planner/compile/domain-cache.ts) needs no parser, validator or compiler.
    assert.is(plan.urls.some((u) => compiler.test(u)), round === 'cold cache', `${round}: the compiler loaded`);
  }
});

test.run();
