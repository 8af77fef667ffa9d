/**
 * The command line around the server: `aria serve` (SIGTERM drains, then
 * exits 0; registered domains survive a restart) and `aria plan --server`
 * (prints what the in-process `aria plan` prints). Also the library-level
 * drain of in-flight calls on shutdown.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { status } from '@grpc/grpc-js';
import { PlanRequest, PlanStatus, RegisterDomainRequest, type PlanResponse, type RegisterDomainResponse } from '../../gen/ts/aria/planner/v1/planner.js';
import { clientOf, failure, SLOW_DOMAIN, testServer, unary } from '../support/test-server.js';
import { within } from '../support/time-slack.js';
import { httpRequest } from '../support/http-get.js';

const MAIN = new URL('../../server/src/cli/main.js', import.meta.url).pathname;
const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'aria-grpc-cli-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

/** Starts `aria serve` on a free port; resolves once it listens (and has printed its HTTP port, unless `--http-port off`). */
function serve(dataDir: string, extra: string[] = []): Promise<{ child: ChildProcess; address: string; http?: string; out: () => string; exited: Promise<number | null> }> {
  const child = spawn(process.execPath, [MAIN, 'serve', '--port', '0', '--data-dir', dataDir, '--workers', '1', '--log-level', 'warn', '--dev-no-auth', ...extra], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const httpOff = extra.join(' ').includes('--http-port off');
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      const m = /listening on (\S+)/.exec(out);
      const h = /HTTP \(\/healthz, \/metrics, \/v1\/...\) on (http:\/\/\S+)/.exec(out);
      if (m && (h || httpOff)) resolve({ child, address: m[1], http: h?.[1], out: () => out, exited });
    });
    child.on('exit', (code) => reject(new Error(`aria serve exited early (${code}): ${out}`)));
  });
}

test('aria serve: an HTTP port beside gRPC answers /healthz and /metrics; --http-port off has none', async () => {
  const on = await serve(join(dir, 'http-on'));
  try {
    assert.ok(on.http, 'the HTTP line names the port');
    const health = await httpRequest(`${on.http}/healthz`);
    assert.is(health.status, 200);
    const services = Object.keys((JSON.parse(health.body) as { services: Record<string, string> }).services);
    for (const name of ['aria.planner.v1.PlannerService', 'aria.queue.v1.QueueService', 'aria.auth.v1.AuthService', 'aria.data.v1.DataService', 'aria.secrets.v1.SecretsService']) {
      assert.ok(services.includes(name), `${name} in ${services.join(', ')}`);
    }
    assert.match((await httpRequest(`${on.http}/metrics`)).body, /^aria_queue_jobs\{state="queued"\} 0$/m);
  } finally {
    on.child.kill('SIGTERM');
    assert.is(await on.exited, 0);
  }
  const off = await serve(join(dir, 'http-off'), ['--http-port', 'off']);
  off.child.kill('SIGTERM');
  assert.is(await off.exited, 0);
  assert.not.match(off.out(), 'HTTP');
});

test('aria serve: SIGTERM exits 0, and registered domains survive a restart', async () => {
  const data = join(dir, 'data');
  const first = await serve(data);
  const reg = await unary<RegisterDomainRequest, RegisterDomainResponse>(clientOf(first), 'registerDomain', RegisterDomainRequest.fromPartial({ source: { $case: 'text', text: SLOW_DOMAIN }, file: 'slow.aria' }));
  assert.ok(reg.created);
  first.child.kill('SIGTERM');
  assert.is(await first.exited, 0);

  const second = await serve(data);
  try {
    const again = await unary<RegisterDomainRequest, RegisterDomainResponse>(clientOf(second), 'registerDomain', RegisterDomainRequest.fromPartial({ source: { $case: 'text', text: SLOW_DOMAIN } }));
    assert.not.ok(again.created, 'already there after the restart');
    assert.is(again.info?.id, reg.info?.id);
    assert.is(again.info?.version, reg.info?.version);
    assert.is(again.info?.createdUnixMs, reg.info?.createdUnixMs);
    const res = await unary<PlanRequest, PlanResponse>(clientOf(second), 'plan', PlanRequest.fromPartial({ domain: 'slow_probe', problemJson: '{"state": {}, "todo": [["dig", 1]]}' }));
    assert.is(res.status, PlanStatus.PLAN_STATUS_NO_PLAN);
  } finally {
    second.child.kill('SIGTERM');
    assert.is(await second.exited, 0);
  }
});

test('aria plan --server prints what the in-process aria plan prints', async () => {
  const s = await serve(join(dir, 'data2'));
  try {
    const problems = {
      plan: { state: { loc: { alice: 'home_a', bob: 'home_b', taxi1: 'park', taxi2: 'station' }, cash: { alice: 20, bob: 15 }, owe: { alice: 0, bob: 0 } }, todo: [['travel', 'alice', 'park']] },
      no_plan: { state: { loc: { alice: 'home_a', bob: 'home_b', taxi1: 'park', taxi2: 'station' }, cash: { alice: 5, bob: 15 }, owe: { alice: 0, bob: 0 } }, todo: [['travel', 'alice', 'park']] },
    };
    for (const [name, problem] of Object.entries(problems)) {
      const file = join(dir, `${name}.json`);
      writeFileSync(file, JSON.stringify(problem));
      const local = await run(process.execPath, [MAIN, 'plan', '--domain', 'simple_htn', '--problem', file]);
      const remote = await run(process.execPath, [MAIN, 'plan', '--server', s.address, '--domain', 'simple_htn', '--problem', file]);
      assert.is(remote.stdout, local.stdout, name);
      assert.is(JSON.parse(remote.stdout).status, name);
    }
    const domainFile = join(dir, 'slow.aria');
    writeFileSync(domainFile, SLOW_DOMAIN);
    const limited = join(dir, 'limited.json');
    writeFileSync(limited, JSON.stringify({ state: {}, todo: [['dig', 9]] }));
    const args = ['plan', '--domain', domainFile, '--problem', limited, '--max-expansions', '1000'];
    const local = await run(process.execPath, [MAIN, ...args]).catch((e: { stdout: string; code: number }) => e);
    const remote = await run(process.execPath, [MAIN, ...args, '--server', s.address]).catch((e: { stdout: string; code: number }) => e);
    assert.is(remote.stdout, local.stdout, 'a limit prints the same');
    assert.is((remote as { code?: number }).code, 1);
  } finally {
    s.child.kill('SIGTERM');
    await s.exited;
  }
});

test('shutdown drains: a call in flight finishes, new calls are refused', async () => {
  const s = await testServer({ workers: 1 });
  const reg = await unary<RegisterDomainRequest, RegisterDomainResponse>(clientOf(s), 'registerDomain', RegisterDomainRequest.fromPartial({ source: { $case: 'text', text: SLOW_DOMAIN } }));
  // dig(5): about a million expansions, a few hundred milliseconds, then no plan.
  const inFlight = unary<PlanRequest, PlanResponse>(clientOf(s), 'plan', PlanRequest.fromPartial({ domain: reg.info!.id, problemJson: '{"state": {}, "todo": [["dig", 5]]}' }));
  await new Promise((r) => setTimeout(r, 50));
  const stopped = s.shutdown(10_000);
  await new Promise((r) => setTimeout(r, 20));
  const refused = await failure(unary(clientOf(s), 'plan', PlanRequest.fromPartial({ domain: 'simple_htn', problemJson: '{"state": {}, "todo": []}' }), { deadlineMs: 2000 }));
  assert.ok(refused.code === status.UNAVAILABLE || refused.code === status.DEADLINE_EXCEEDED, `code ${refused.code}`);
  assert.is((await inFlight).status, PlanStatus.PLAN_STATUS_NO_PLAN);
  await stopped;
});

test('shutdown aborts what is still running after the drain time (UNAVAILABLE)', async () => {
  const s = await testServer({ workers: 1 });
  const reg = await unary<RegisterDomainRequest, RegisterDomainResponse>(clientOf(s), 'registerDomain', RegisterDomainRequest.fromPartial({ source: { $case: 'text', text: SLOW_DOMAIN } }));
  const endless = failure(unary(clientOf(s), 'plan', PlanRequest.fromPartial({ domain: reg.info!.id, problemJson: '{"state": {}, "todo": [["dig", 12]]}', options: { limits: { maxExpansions: 1e15 } } })));
  await new Promise((r) => setTimeout(r, 100));
  const t0 = Date.now();
  await s.shutdown(300);
  assert.is((await endless).code, status.UNAVAILABLE);
  assert.ok(Date.now() - t0 < within(2500), `${Date.now() - t0} ms`);
});

test.run();
