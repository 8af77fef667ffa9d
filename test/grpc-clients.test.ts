/**
 * The clients in other packages and languages, against a live server:
 * the TypeScript package (its README example, run as written, plus its
 * streaming, acting and error layers) and the Python client (Debian's
 * python3-grpcio) planning the Sussman anomaly. Each part says clearly
 * when it skips because its prerequisites are missing.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { loadDomain, readBuiltinDomain } from '../server/src/planner/index.js';
import type { AriaServer } from '../server/src/grpc/server.js';
import { SLOW_DOMAIN, testServer } from './support/test-server.js';

const run = promisify(execFile);
const ROOT = new URL('../../', import.meta.url).pathname;
const TS_DIR = `${ROOT}clients/ts/`;
const TS_BUILT = `${TS_DIR}dist/src/index.js`;
const PY_DIR = `${ROOT}clients/python/`;
const PYTHON = '/usr/bin/python3';

let server: AriaServer;
test.before(async () => {
  server = await testServer({ workers: 2 });
});
test.after(async () => {
  await server.shutdown(1000);
});

/** The part of aria-planner-client used here (typed locally: the package is built on its own). */
interface ClientError extends Error {
  code: string;
  field?: string;
}
type JsonState = Record<string, unknown>;
interface ClientModule {
  AriaError: new (...args: never[]) => ClientError;
  AriaClient: new (address: string) => {
    planMany(domain: string, problems: Iterable<unknown>): AsyncIterable<ClientError | { status: string; plan?: unknown[] }>;
    act(domain: string, problem: unknown, execute: (cmd: never[], st: never) => unknown): Promise<{ status: string; executed: unknown; state: JsonState }>;
    plan(domain: string, problem: unknown, settings?: object): Promise<unknown>;
    registerDomain(text: string, settings?: object): Promise<{ id: string }>;
    close(): void;
  };
}

function pythonReady(): string | undefined {
  if (!existsSync(PYTHON)) return `${PYTHON} not found`;
  try {
    execFileSync(PYTHON, ['-c', 'import grpc, grpc_tools, google.protobuf'], { stdio: 'pipe' });
    return undefined;
  } catch {
    return 'python3-grpcio / python3-grpc-tools not installed (apt-get install -y python3-grpcio python3-grpc-tools)';
  }
}

test('Python client: the example plans the Sussman anomaly over the network', async () => {
  const missing = pythonReady();
  if (missing) {
    console.log(`\n  SKIP Python client test: ${missing}`);
    return;
  }
  await run(PYTHON, ['generate.py'], { cwd: PY_DIR });
  const { stdout } = await run(PYTHON, ['example_sussman.py'], { cwd: PY_DIR, env: { ...process.env, ARIA_SERVER: server.address } });
  const b = readBuiltinDomain('blocks_htn');
  const expected = loadDomain(b.text, { file: b.file }).plan({
    state: { pos: { c: 'a', a: 'table', b: 'table' }, clear: { c: true, a: false, b: true }, holding: { hand: false } },
    todo: [['achieve', { __multigoal__: 'sussman', vars: { pos: { a: 'b', b: 'c' } } }]],
  });
  assert.is(expected.status, 'plan');
  assert.equal(JSON.parse(stdout), { status: 'plan', plan: expected.status === 'plan' ? expected.plan : [] });
});

test('TypeScript client: the README example is examples/quickstart.ts and runs as written', async () => {
  if (!existsSync(TS_BUILT)) {
    console.log(`\n  SKIP TypeScript client test: ${TS_BUILT} missing (run npm install in clients/ts)`);
    return;
  }
  const readme = readFileSync(`${TS_DIR}README.md`, 'utf8');
  const block = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  assert.is(block, readFileSync(`${TS_DIR}examples/quickstart.ts`, 'utf8'));
  const { stdout } = await run(process.execPath, ['dist/examples/quickstart.js'], { cwd: TS_DIR, env: { ...process.env, ARIA_SERVER: server.address } });
  const printed = /It prints:\n\n```\n([\s\S]*?)```/.exec(readme)?.[1];
  assert.is(stdout, printed);
});

test('TypeScript client: planMany in order, act with a local executor, typed errors, deadlines and AbortSignal', async () => {
  if (!existsSync(TS_BUILT)) {
    console.log(`\n  SKIP TypeScript client layer test: ${TS_BUILT} missing (run npm install in clients/ts)`);
    return;
  }
  const lib = (await import(TS_BUILT)) as ClientModule;
  const client = new lib.AriaClient(server.address);
  try {
    const state = { loc: { alice: 'home_a', bob: 'home_b', taxi1: 'park', taxi2: 'station' }, cash: { alice: 20, bob: 15 }, owe: { alice: 0, bob: 0 } };
    const problems = ['park', 'station', 'home_b', 'nowhere', 'park'].map((to) => ({ state, todo: [['travel', 'alice', to]] }));
    const outs = [];
    for await (const o of client.planMany('simple_htn', problems)) outs.push(o);
    const local = loadDomain(readBuiltinDomain('simple_htn').text);
    assert.equal(
      outs.map((o) => (o instanceof lib.AriaError ? o.code : (o as { status: string }).status === 'plan' ? (o as { plan: unknown }).plan : false)),
      problems.map((p) => {
        const r = local.plan(p);
        return r.status === 'plan' ? r.plan : r.status === 'no_plan' ? false : r.status;
      }),
    );

    const rll = loadDomain(readBuiltinDomain('rll_probe').text);
    let failedOnce = false;
    const acted = await client.act('rll_probe', { state: { done: { a1: false, a2: false } }, todo: [['do']] }, (cmd, st) => {
      if (cmd[0] === 'a1' && !failedOnce) {
        failedOnce = true;
        return false;
      }
      return rll.execute(cmd, st);
    });
    assert.equal([acted.status, acted.executed, acted.state], ['done', [['a1'], ['a2']], { done: { a1: true, a2: true } }]);

    const bad = await client.plan('simple_htn', { state, todo: [['']] }).catch((e: unknown) => e);
    assert.instance(bad, lib.AriaError);
    assert.equal([(bad as ClientError).code, (bad as ClientError).field], ['INVALID_ARGUMENT', 'todo[0].step.name']);

    const info = await client.registerDomain(SLOW_DOMAIN, { file: 'slow.aria' });
    const endless = { state: {}, todo: [['dig', 12]] };
    const late = await client.plan(info.id, endless, { deadlineMs: 200, maxExpansions: 1e15 }).catch((e: unknown) => e);
    assert.is((late as { code?: string }).code, 'DEADLINE_EXCEEDED');
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 150);
    const cancelled = await client.plan(info.id, endless, { signal: ac.signal, maxExpansions: 1e15 }).catch((e: unknown) => e);
    assert.is((cancelled as { code?: string }).code, 'CANCELLED');
  } finally {
    client.close();
  }
});

test.run();
