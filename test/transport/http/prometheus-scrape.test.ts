/**
 * Debian's Prometheus scrapes the HTTP port and answers PromQL about what
 * the server did: after five plans, `sum(aria_plans_total{status="plan"})`
 * is 5 through Prometheus' own HTTP API. Without /usr/bin/prometheus the
 * test says it skips; with ARIA_REQUIRE_PROMETHEUS=1 (CI installs it) a
 * missing Prometheus fails.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PlanRequest, type PlanResponse } from '../../../gen/ts/aria/planner/v1/planner.js';
import { clientOf, testServer, unary } from '../../support/test-server.js';
import { httpRequest } from '../../support/http-get.js';

const PROMETHEUS = '/usr/bin/prometheus';
const PLANS = 5;
/** Bounded waits: Prometheus' start plus a few scrapes on a slow, loaded machine. */
const WAIT_MS = 120_000;

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((done) => probe.listen(0, '127.0.0.1', done));
  const port = (probe.address() as { port: number }).port;
  await new Promise((done) => probe.close(done));
  return port;
}

/** The single value of an instant PromQL query, or undefined while there is none. */
async function query(api: string, promql: string): Promise<number | undefined> {
  try {
    const res = await httpRequest(`${api}/api/v1/query?query=${encodeURIComponent(promql)}`);
    if (res.status !== 200) return undefined;
    const body = JSON.parse(res.body) as { data?: { result?: { value: [number, string] }[] } };
    const first = body.data?.result?.[0];
    return first ? Number(first.value[1]) : undefined;
  } catch {
    return undefined;
  }
}

async function until(what: string, ms: number, check: () => Promise<boolean>, child: ChildProcess, log: string[]): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (child.exitCode !== null) throw new Error(`prometheus exited (${child.exitCode}) before ${what}: ${log.join('').slice(-2000)}`);
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}: ${log.join('').slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

test('Prometheus scrapes /metrics and answers PromQL about the plans made', async () => {
  if (!existsSync(PROMETHEUS)) {
    if (process.env.ARIA_REQUIRE_PROMETHEUS === '1') assert.unreachable(`${PROMETHEUS} not found and ARIA_REQUIRE_PROMETHEUS=1 (apt-get install -y prometheus)`);
    console.log(`\n  SKIP Prometheus scrape test: ${PROMETHEUS} not found (apt-get install -y prometheus)`);
    return;
  }
  const server = await testServer({ workers: 1, http: { port: 0 } });
  const dir = await mkdtemp(join(tmpdir(), 'aria-prometheus-'));
  let child: ChildProcess | undefined;
  try {
    const client = clientOf(server);
    for (let i = 0; i < PLANS; i++) {
      const r = await unary<PlanRequest, PlanResponse>(client, 'plan', PlanRequest.fromPartial({
        domain: 'simple_htn', problemJson: JSON.stringify({ state: { loc: { alice: 'home_a', taxi1: 'park' }, cash: { alice: 20 }, owe: { alice: 0 } }, todo: [['travel', 'alice', 'park']] }),
      }));
      assert.is(r.plan.length, 3);
    }
    client.close();
    const port = await freePort();
    await writeFile(join(dir, 'prometheus.yml'), [
      'global:', '  scrape_interval: 1s', '  evaluation_interval: 1s',
      'scrape_configs:', '  - job_name: aria', '    static_configs:', `      - targets: ['${server.http!.address}']`, '',
    ].join('\n'));
    const log: string[] = [];
    child = spawn(PROMETHEUS, [
      `--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn',
    ], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (c: Buffer) => log.push(String(c)));
    child.stderr!.on('data', (c: Buffer) => log.push(String(c)));
    const api = `http://127.0.0.1:${port}`;
    await until('the aria target to be up', WAIT_MS, async () => (await query(api, 'up{job="aria"}')) === 1, child, log);
    await until(`sum(aria_plans_total) to reach ${PLANS}`, WAIT_MS, async () => (await query(api, 'sum(aria_plans_total{status="plan"})')) === PLANS, child, log);
    assert.is(await query(api, 'sum(aria_rpc_requests_total{method="Plan",code="OK"})'), PLANS);
    assert.is(await query(api, 'sum(aria_plan_expansions_sum)'), PLANS * 6);
    assert.is(await query(api, 'aria_pool_workers'), 1);
  } finally {
    if (child && child.exitCode === null) {
      const exited = new Promise((done) => child!.once('exit', done));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child!.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    await server.shutdown(1000);
    await rm(dir, { recursive: true, force: true });
  }
});

test.run();
