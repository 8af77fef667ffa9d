/**
 * A database that stays down (PostgreSQL only, through a TCP proxy taken
 * down): the first call waits out its retry window and gets UNAVAILABLE,
 * the circuit breaker opens, later calls fail at once with a message that
 * says so, the services that need the database report NOT_SERVING while the
 * planner keeps serving and planning, and when the database is back a probe
 * closes the breaker with no client calling: health is SERVING again and
 * calls work.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import pg from 'pg';
import { UnavailableError } from '../../../server/src/core/errors.js';
import { PgDatabase } from '../../../server/src/services/data/pg-database.js';
import { TcpProxy } from '../../support/tcp-proxy.js';
import { uniqueSchema } from '../../support/data-backends.js';
import { foundationServer } from '../../support/foundation-server.js';
import { httpRequest } from '../../support/http-get.js';

const URL_ = process.env.DATABASE_URL;
const test = suite('data breaker (PostgreSQL)');

/** Polls `check` every 100 ms until it returns true, for at most `ms`. */
async function until(what: string, ms: number, check: () => boolean | Promise<boolean>): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

if (!URL_) {
  console.log('data-breaker: skipped, it needs a real PostgreSQL (set DATABASE_URL)');
  test.skip('a database that stays down', () => undefined);
} else {
  const viaProxy = (proxy: TcpProxy): string => {
    const u = new URL(URL_);
    u.hostname = '127.0.0.1';
    u.port = String(proxy.port);
    return u.toString();
  };
  const target = new URL(URL_);

  test('PgDatabase: one call waits out the window, then calls fail at once; a probe closes the breaker', async () => {
    const proxy = new TcpProxy(target.hostname, Number(target.port || 5432));
    await proxy.up();
    const db = new PgDatabase({ connectionString: viaProxy(proxy), schema: uniqueSchema(), max: 2, retryForMs: 800, breakerOpenMs: 600 });
    const seen: boolean[] = [];
    db.onAvailability((up) => seen.push(up));
    try {
      assert.equal(await db.query('select 1 as one'), [{ one: 1 }]);
      await proxy.down();
      const first = await db.query('select 1').then(() => undefined, (e: unknown) => e);
      assert.instance(first, UnavailableError);
      assert.match((first as Error).message, /^database unavailable \(/);
      assert.equal(seen, [false]);
      const fast = await db.query('select 1').then(() => undefined, (e: unknown) => e);
      assert.instance(fast, UnavailableError);
      assert.match((fast as Error).message, /calls fail at once until it does/);
      await proxy.up();
      // Nobody calls: the breaker's own probe finds the database back.
      await until('the breaker closes', 20_000, () => seen.length === 2);
      assert.equal(seen, [false, true]);
      assert.equal(await db.query('select 2 as two'), [{ two: 2 }]);
    } finally {
      await proxy.up();
      await db.close();
      await proxy.down();
    }
  });

  test('a server: data services NOT_SERVING and UNAVAILABLE at once, the planner serving; all back after', async () => {
    const proxy = new TcpProxy(target.hostname, Number(target.port || 5432));
    await proxy.up();
    const s = await foundationServer({
      devNoAuth: true, httpPort: 0, libraryUrl: null,
      env: { DATABASE_URL: viaProxy(proxy), ARIA_DB_RETRY_MS: '800', ARIA_DB_BREAKER_OPEN_MS: '600', ARIA_PLAN_HISTORY: 'off' },
    });
    const health = async (): Promise<{ status: number; services: Record<string, string> }> => {
      const r = await httpRequest(`http://${s.server.http!.address}/healthz`);
      return { status: r.status, services: (JSON.parse(r.body) as { services: Record<string, string> }).services };
    };
    const post = (route: string, body: unknown) =>
      httpRequest(`http://${s.server.http!.address}/v1/${route}`, 'POST', 30_000, JSON.stringify(body), { 'content-type': 'application/json' });
    const travel = JSON.stringify({ state: { loc: { alice: 'home_a', taxi1: 'park' }, cash: { alice: 20 }, owe: { alice: 0 } }, todo: [['travel', 'alice', 'park']] });
    try {
      assert.is((await health()).status, 200);
      await proxy.down();
      const first = await post('aria.auth.v1.AuthService/ListUsers', {});
      assert.is(first.status, 503, first.body);
      await until('health shows the data services down', 10_000, async () => (await health()).services['aria.data.v1.DataService'] === 'NOT_SERVING');
      const h = await health();
      assert.is(h.status, 503);
      for (const name of ['aria.auth.v1.AuthService', 'aria.storage.v1.StorageService', 'aria.queue.v1.QueueService', 'aria.workflow.v1.WorkflowService']) assert.is(h.services[name], 'NOT_SERVING', name);
      assert.is(h.services['aria.planner.v1.PlannerService'], 'SERVING');
      assert.is(h.services['aria.secrets.v1.SecretsService'], 'SERVING');
      const fast = await post('aria.auth.v1.AuthService/ListUsers', {});
      assert.is(fast.status, 503);
      assert.match(JSON.parse(fast.body).message, /calls fail at once/);
      const plan = await post('aria.planner.v1.PlannerService/Plan', { domain: 'simple_htn', problemJson: travel });
      assert.is(plan.status, 200, plan.body);
      await proxy.up();
      await until('health shows every service back', 20_000, async () => (await health()).status === 200);
      assert.is((await post('aria.auth.v1.AuthService/ListUsers', {})).status, 200);
    } finally {
      await proxy.up();
      await s.stop();
      await proxy.down();
    }
  });

  test.after(async () => {
    // The first test's schema was never migrated into; nothing else to drop. Check the server is reachable for the next suites.
    const direct = new pg.Pool({ connectionString: URL_, max: 1 });
    await direct.query('select 1').finally(() => direct.end());
  });
}

test.run();
