/**
 * The clients in other packages and languages, against live servers: the
 * TypeScript package and the Python client (Debian's python3-grpcio). Both
 * clients' README examples run as written, against a server with auth on
 * (logged in as the admin) and one with auth off; both clients log in,
 * refresh, send a fixed token and reach each of the five services. Each
 * part says clearly when it skips because its prerequisites are missing.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { loadDomain, readBuiltinDomain } from '../../server/src/planner/index.js';
import type { AriaServer } from '../../server/src/app/start-server.js';
import { SLOW_DOMAIN, testServer } from '../support/test-server.js';
import { foundationServer, type FoundationServer } from '../support/foundation-server.js';

const run = promisify(execFile);
const ROOT = new URL('../../../', import.meta.url).pathname;
const TS_DIR = `${ROOT}clients/ts/`;
const TS_BUILT = `${TS_DIR}dist/src/index.js`;
const PY_DIR = `${ROOT}clients/python/`;
const PYTHON = '/usr/bin/python3';

const ADMIN_PASSWORD = 'bootstrap-admin-password';
let server: AriaServer;
/** Every service, auth on, the admin's password ADMIN_PASSWORD (foundationServer's). */
let authOn: FoundationServer;
/** Every service, auth off (as `npm start`). */
let authOff: FoundationServer;
test.before(async () => {
  [server, authOn, authOff] = await Promise.all([
    testServer({ workers: 2 }),
    foundationServer({ libraryUrl: null }),
    foundationServer({ libraryUrl: null, devNoAuth: true }),
  ]);
});
test.after(async () => {
  await Promise.all([server?.shutdown(1000), authOn?.stop(), authOff?.stop()]);
});

/** The environment of an example run: the server, and the admin's login or none (nothing from the caller's ARIA_* variables). */
function exampleEnv(address: string, login: boolean): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ARIA_SERVER: address };
  for (const k of ['ARIA_TOKEN', 'ARIA_USER', 'ARIA_PASSWORD']) delete env[k];
  if (login) Object.assign(env, { ARIA_USER: 'admin', ARIA_PASSWORD: ADMIN_PASSWORD });
  return env;
}

/** What a README shows an example printing, and the same with auth off (its `auth:` line says `off`). */
function printed(readme: string, lead: RegExp): { on: string; off: string } {
  const at = readme.search(lead);
  assert.ok(at >= 0, `the README has ${lead}`);
  const on = /```\n([\s\S]*?)```/.exec(readme.slice(at))?.[1];
  assert.ok(on, `a printed block after ${lead}`);
  return { on: on!, off: on!.replace(/^auth: .*$/m, 'auth: off') };
}

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

/** The part of the client's session and service API used here. */
interface SessionClient {
  login(username: string, password: string): Promise<{ user: { username: string; role: string } }>;
  refreshSession(): Promise<unknown>;
  readonly session?: { accessToken: string };
  plan(domain: string, problem: unknown): Promise<{ status: string; plan?: unknown[] }>;
  listDomains(): Promise<{ name: string }[]>;
  auth: {
    whoAmI(): Promise<{ user?: { username: string; role: string }; authenticated: boolean }>;
    createUser(username: string, password: string, role: string): Promise<{ role: string; disabled: boolean }>;
    updateUser(user: string, changes: object): Promise<{ role: string; disabled: boolean }>;
  };
  queue: {
    submit(domain: string, problems: unknown[]): Promise<{ job: { id: string }; created: boolean }>;
    wait(id: string): Promise<{ state: string; results: { outcome: ClientError | { status: string; plan?: unknown[] } }[] }>;
    list(): Promise<{ id: string }[]>;
  };
  data: { listPlanHistory(q: object): Promise<{ domainName: string }[]>; status(): Promise<{ backend: string }> };
  secrets: {
    put(path: string, value: string, o?: object): Promise<{ version: number }>;
    get(path: string): Promise<{ value: Buffer }>;
    list(): Promise<string[]>;
    delete(path: string): Promise<boolean>;
  };
  close(): void;
}
interface SessionModule {
  AriaError: new (...args: never[]) => ClientError;
  AriaClient: new (address: string, options?: object) => SessionClient;
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

test('Python client: both README examples run as written, with auth on (logged in) and off', async () => {
  const missing = pythonReady();
  if (missing) {
    console.log(`\n  SKIP Python client test: ${missing}`);
    return;
  }
  await run(PYTHON, ['generate.py'], { cwd: PY_DIR });
  const readme = readFileSync(`${PY_DIR}README.md`, 'utf8');
  assert.match(readme, /ARIA_USER=admin ARIA_PASSWORD='[^']+' \/usr\/bin\/python3 example_sussman\.py/);
  assert.match(readme, /ARIA_USER=admin ARIA_PASSWORD='[^']+' \/usr\/bin\/python3 example_services\.py/);

  const b = readBuiltinDomain('blocks_htn');
  const expected = loadDomain(b.text, { file: b.file }).plan({
    state: { pos: { c: 'a', a: 'table', b: 'table' }, clear: { c: true, a: false, b: true }, holding: { hand: false } },
    todo: [['achieve', { __multigoal__: 'sussman', vars: { pos: { a: 'b', b: 'c' } } }]],
  });
  assert.is(expected.status, 'plan');
  const sussman = printed(readme, /example_sussman\.py` plans/).on;
  assert.equal(JSON.parse(sussman), { status: 'plan', plan: expected.status === 'plan' ? expected.plan : [] });
  const services = printed(readme, /example_services\.py` calls each service/);

  for (const [srv, login] of [[server, false], [authOn, true], [authOff, false]] as const) {
    const { stdout } = await run(PYTHON, ['example_sussman.py'], { cwd: PY_DIR, env: exampleEnv(srv.address, login) });
    assert.is(stdout, sussman, `example_sussman.py on ${login ? 'auth on' : 'auth off'}`);
  }
  for (const [srv, login] of [[authOn, true], [authOff, false]] as const) {
    const { stdout } = await run(PYTHON, ['example_services.py'], { cwd: PY_DIR, env: exampleEnv(srv.address, login) });
    assert.is(stdout, login ? services.on : services.off, `example_services.py on ${login ? 'auth on' : 'auth off'}`);
  }
  // Without a login, auth on refuses the example.
  const refused = await run(PYTHON, ['example_sussman.py'], { cwd: PY_DIR, env: exampleEnv(authOn.address, false) }).catch((e: { stderr: string }) => e);
  assert.match((refused as { stderr: string }).stderr, /UNAUTHENTICATED/);
});

test('Python client: login, refresh, a fixed token, roles, and each of the five services (auth on)', async () => {
  const missing = pythonReady();
  if (missing) {
    console.log(`\n  SKIP Python client session test: ${missing}`);
    return;
  }
  await run(PYTHON, ['generate.py'], { cwd: PY_DIR });
  const { stdout } = await run(PYTHON, [`${ROOT}test/support/python-client-check.py`, PY_DIR, authOn.address, ADMIN_PASSWORD], { env: exampleEnv(authOn.address, false) });
  const local = loadDomain(readBuiltinDomain('simple_htn').text);
  const state = { loc: { alice: 'home_a', bob: 'home_b', taxi1: 'park', taxi2: 'station' }, cash: { alice: 20, bob: 15 }, owe: { alice: 0, bob: 0 } };
  const plan = local.plan({ state, todo: [['travel', 'alice', 'park']] });
  assert.is(plan.status, 'plan');
  const steps = plan.status === 'plan' ? plan.plan : [];
  assert.equal(JSON.parse(stdout), {
    anonymous: 'UNAUTHENTICATED', wrong_password: 'UNAUTHENTICATED',
    login: 'admin', whoami: ['admin', 'admin', true], created: 'py-planner', updated: [true, false],
    planner_plan: steps, planner_whoami: ['py-planner', 'planner', true], planner_secrets: 'PERMISSION_DENIED',
    refreshed: true, after_refresh: 'admin', auto_refresh: true, fixed_token: 'admin',
    job: ['completed', [steps, false]], history: true,
    secret_put: 1, secret_cas0_again: 'FAILED_PRECONDITION', secret_get: 'v1', domains: true,
  });
});

test('TypeScript client: the README examples are the example files and run as written, with auth on (logged in) and off', async () => {
  if (!existsSync(TS_BUILT)) {
    console.log(`\n  SKIP TypeScript client test: ${TS_BUILT} missing (run npm install in clients/ts)`);
    return;
  }
  const readme = readFileSync(`${TS_DIR}README.md`, 'utf8');
  for (const [name, script] of [['quickstart', 'example'], ['services', 'example:services']] as const) {
    const lead = new RegExp(`This is \`examples/${name}\\.ts\`:`);
    const at = readme.search(lead);
    assert.ok(at >= 0, `the README shows examples/${name}.ts`);
    const block = /```ts\n([\s\S]*?)```/.exec(readme.slice(at))?.[1];
    assert.is(block, readFileSync(`${TS_DIR}examples/${name}.ts`, 'utf8'));
    assert.match(readme, new RegExp(`ARIA_USER=admin ARIA_PASSWORD='[^']+' npm run ${script}\n`));
    const pkg = JSON.parse(readFileSync(`${TS_DIR}package.json`, 'utf8')) as { scripts: Record<string, string> };
    assert.is(pkg.scripts[script], `node dist/examples/${name}.js`);
    const out = printed(readme.slice(at), /(It prints|it prints)/);
    const servers = name === 'quickstart' ? ([[server, false], [authOn, true], [authOff, false]] as const) : ([[authOn, true], [authOff, false]] as const);
    for (const [srv, login] of servers) {
      const { stdout } = await run(process.execPath, [`dist/examples/${name}.js`], { cwd: TS_DIR, env: exampleEnv(srv.address, login) });
      assert.is(stdout, login ? out.on : out.off, `${name} on ${login ? 'auth on' : 'auth off'}`);
    }
  }
});

test('TypeScript client: login, refresh, a fixed token, roles, and each of the five services (auth on)', async () => {
  if (!existsSync(TS_BUILT)) {
    console.log(`\n  SKIP TypeScript client session test: ${TS_BUILT} missing (run npm install in clients/ts)`);
    return;
  }
  const lib = (await import(TS_BUILT)) as SessionModule;
  const address = authOn.address;
  const clients: SessionClient[] = [];
  const client = (options: object = {}) => {
    const c = new lib.AriaClient(address, { token: '', deadlineMs: 20_000, ...options });
    clients.push(c);
    return c;
  };
  const codeOf = (p: Promise<unknown>) => p.then(() => 'OK', (e: { code?: string }) => e.code);
  try {
    const state = { loc: { alice: 'home_a', bob: 'home_b', taxi1: 'park', taxi2: 'station' }, cash: { alice: 20, bob: 15 }, owe: { alice: 0, bob: 0 } };
    const problem = { state, todo: [['travel', 'alice', 'park']] };
    const local = loadDomain(readBuiltinDomain('simple_htn').text).plan(problem);
    assert.is(local.status, 'plan');
    const steps = local.status === 'plan' ? local.plan : [];

    assert.is(await codeOf(client().plan('simple_htn', problem)), 'UNAUTHENTICATED');
    const wrong = await client({ login: { username: 'admin', password: 'not the password' } }).plan('simple_htn', problem).catch((e: ClientError) => e);
    assert.equal([(wrong as ClientError).code, /cannot get a token/.test((wrong as ClientError).message)], ['UNAUTHENTICATED', true]);

    const admin = client();
    const { user } = await admin.login('admin', ADMIN_PASSWORD);
    assert.equal([user.username, user.role], ['admin', 'admin']);
    assert.equal(await admin.auth.whoAmI(), { user: { ...user }, authenticated: true });
    const ts = await admin.auth.createUser('ts-planner', 'a long enough password', 'planner');
    assert.equal([ts.role, ts.disabled], ['planner', false]);
    // disabled: false is a change that leaves the role as it is (the oneof tells it from "unset").
    const updated = await admin.auth.updateUser('ts-planner', { disabled: false });
    assert.equal([updated.role, updated.disabled], ['planner', false]);

    // A session from the constructor logs in on its first call; its role is enforced.
    const planner = client({ login: { username: 'ts-planner', password: 'a long enough password' } });
    const planned = await planner.plan('simple_htn', problem);
    assert.equal(planned.status === 'plan' ? planned.plan : planned.status, steps);
    assert.is((await planner.auth.whoAmI()).user?.username, 'ts-planner');
    assert.is(await codeOf(planner.secrets.list()), 'PERMISSION_DENIED');

    // Refresh now, and refresh on every call when the token is always "about to expire".
    const before = admin.session!.accessToken;
    await admin.refreshSession();
    assert.is.not(admin.session!.accessToken, before);
    assert.is((await admin.auth.whoAmI()).user?.username, 'admin');
    const eager = client({ login: { username: 'admin', password: ADMIN_PASSWORD }, refreshMarginMs: Number.MAX_SAFE_INTEGER });
    await eager.auth.whoAmI();
    const first = eager.session!.accessToken;
    await eager.auth.whoAmI();
    assert.is.not(eager.session!.accessToken, first);

    // A fixed token, and a token function.
    assert.is((await client({ token: admin.session!.accessToken }).auth.whoAmI()).user?.username, 'admin');
    assert.is((await client({ token: async () => admin.session!.accessToken }).auth.whoAmI()).user?.username, 'admin');

    // Queue, data, secrets, planner domains.
    const { job, created } = await admin.queue.submit('simple_htn', [problem, { state, todo: [['travel', 'alice', 'nowhere']] }]);
    assert.ok(created);
    const done = await admin.queue.wait(job.id);
    assert.equal([done.state, done.results.map((r) => (r.outcome instanceof lib.AriaError ? r.outcome.code : r.outcome.status === 'plan' ? r.outcome.plan : false))], ['completed', [steps, false]]);
    assert.ok((await admin.queue.list()).some((j) => j.id === job.id));
    assert.ok((await admin.data.listPlanHistory({ domainName: 'simple_htn' })).some((r) => r.domainName === 'simple_htn'));
    assert.ok(['postgres', 'pglite'].includes((await admin.data.status()).backend));
    await admin.secrets.delete('check/ts-key');
    assert.is((await admin.secrets.put('check/ts-key', 'v1', { cas: 0 })).version, 1);
    assert.is(await codeOf(admin.secrets.put('check/ts-key', 'v2', { cas: 0 })), 'FAILED_PRECONDITION');
    assert.is((await admin.secrets.get('check/ts-key')).value.toString(), 'v1');
    assert.ok((await admin.listDomains()).some((d) => d.name === 'simple_htn'));
  } finally {
    for (const c of clients) c.close();
  }
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
