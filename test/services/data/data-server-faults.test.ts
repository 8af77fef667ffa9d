/**
 * A whole `aria serve` on real PostgreSQL whose connections are terminated
 * every 20-100 ms (pg_terminate_backend) while Plans and RegisterDomains
 * run (issue 14, item 2): the process lives, answers health afterwards, and
 * every acknowledged write is in the database once it has stopped: each
 * domain whose registration was acknowledged, and a plan-history row for
 * each acknowledged Plan. The server runs as a child process, so a crash
 * is its exit, not the end of this run.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { credentials } from '@grpc/grpc-js';
import { PlannerServiceClient, PlanRequest, RegisterDomainRequest, type RegisterDomainResponse, type PlanResponse } from '../../../gen/ts/aria/planner/v1/planner.js';
import { uniqueSchema } from '../../support/data-backends.js';
import { unary } from '../../support/test-server.js';

const URL_ = process.env.DATABASE_URL;
const test = suite('data: aria serve with its PostgreSQL connections terminated under load');
const CLI = fileURLToPath(new URL('../../../server/src/cli/main.js', import.meta.url));

/** Resolves with the address once the server prints it; rejects when it exits first or takes too long. */
function listening(child: ChildProcess, output: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "listening" line in 120 s: ${output.join('').slice(-1500)}`)), 120_000);
    child.stdout!.on('data', (b: Buffer) => {
      output.push(String(b));
      const m = /listening on (\S+)/.exec(output.join(''));
      if (m) { clearTimeout(timer); resolve(m[1]!); }
    });
    child.stderr!.on('data', (b: Buffer) => output.push(String(b)));
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`the server exited (${code}): ${output.join('').slice(-1500)}`)); });
  });
}

const TRAVEL = JSON.stringify({ state: { loc: { alice: 'home_a', taxi1: 'park' }, cash: { alice: 20 }, owe: { alice: 0 } }, todo: [['travel', 'alice', 'park']] });

if (!URL_) {
  console.log('data-server-faults: skipped, it needs a real PostgreSQL (set DATABASE_URL)');
  test.skip('aria serve with its connections terminated', () => undefined);
} else {
  test('aria serve with its connections terminated every 20-100 ms: alive, and every acknowledged write stored', async () => {
    const schema = uniqueSchema();
    const app = `aria-fault-${schema}`;
    const url = new URL(URL_);
    url.searchParams.set('application_name', app);
    const dir = await mkdtemp(join(tmpdir(), 'aria-faults-'));
    const admin = new pg.Client({ connectionString: URL_ });
    await admin.connect();
    const output: string[] = [];
    const child = spawn(process.execPath, [CLI, 'serve', '--dev-no-auth', '--port', '0', '--workers', '1', '--data-dir', dir, '--log-level', 'warn'], {
      env: { ...process.env, DATABASE_URL: url.toString(), ARIA_DB_SCHEMA: schema, REDIS_URL: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let exited: number | null | undefined;
    child.once('exit', (code) => { exited = code; });
    try {
      const address = await listening(child, output);
      const client = new PlannerServiceClient(address, credentials.createInsecure());
      let stop = false;
      let kills = 0;
      // The work goes on until the terminations have had their rounds, however fast the machine (bounded).
      const MIN_KILLS = 10;
      const more = (i: number, base: number, cap: number) => i < cap && (i < base || kills < MIN_KILLS);
      const killer = (async () => {
        while (!stop) {
          await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1', [app]);
          kills++;
          await new Promise((r) => setTimeout(r, 20 + Math.floor(Math.random() * 80)));
        }
      })();
      const ackedDomains: string[] = [];
      let ackedPlans = 0;
      const failures: Record<string, number> = {};
      const failed = (e: { code?: number }) => { failures[String(e.code)] = (failures[String(e.code)] ?? 0) + 1; };
      const planner = (async () => {
        for (let i = 0; more(i, 150, 5000); i++) {
          await unary<PlanRequest, PlanResponse>(client, 'plan', PlanRequest.fromPartial({ domain: 'simple_htn', problemJson: TRAVEL }), { deadlineMs: 60_000 })
            .then(() => void ackedPlans++, failed);
        }
      })();
      const registrar = (async () => {
        for (let i = 0; more(i, 30, 1000); i++) {
          const text = `domain fault_${i}\nvar v\naction a(x) { v[x] = ${i} }\n`;
          await unary<RegisterDomainRequest, RegisterDomainResponse>(client, 'registerDomain', RegisterDomainRequest.fromPartial({ source: { $case: 'text', text } }), { deadlineMs: 60_000 })
            .then((r) => void ackedDomains.push(r.info!.id), failed);
        }
      })();
      await Promise.all([planner, registrar]);
      stop = true;
      await killer;
      client.close();
      assert.is(exited, undefined, `the server died under the terminations: ${output.join('').slice(-2000)}`);
      assert.ok(kills >= MIN_KILLS, `only ${kills} rounds of terminations`);
      assert.ok(ackedPlans > 0 && ackedDomains.length > 0, JSON.stringify({ ackedPlans, ackedDomains: ackedDomains.length, failures }));
      // Stop it: SIGTERM drains and writes the queued plan history.
      const stopped = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const code = exited !== undefined ? exited : await Promise.race([stopped, new Promise<null>((r) => setTimeout(() => r(null), 120_000))]);
      assert.is(code, 0, `exit code after SIGTERM: ${output.join('').slice(-2000)}`);
      const stored = new Set((await admin.query(`select id from "${schema}".domains`)).rows.map((r) => r.id as string));
      for (const id of ackedDomains) assert.ok(stored.has(id), `domain ${id} was acknowledged but is not stored`);
      const rows = Number((await admin.query(`select count(*) as n from "${schema}".plan_history where method = 'Plan'`)).rows[0].n);
      assert.ok(rows >= ackedPlans, `${ackedPlans} Plans acknowledged, ${rows} plan-history rows`);
    } finally {
      if (exited === undefined) child.kill('SIGKILL');
      await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => undefined);
      await admin.end();
      await rm(dir, { recursive: true, force: true });
    }
  });
}

test.run();
