/**
 * A database that goes away and comes back (PostgreSQL only: PGlite runs in
 * this process and cannot go away). Through a TCP proxy that is taken down
 * and brought back up, and by terminating the server's backends with
 * pg_terminate_backend. In every case each acknowledged write is in the
 * database afterwards, and a write that was not acknowledged failed with
 * UnavailableError (never another error, never a silent loss).
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import pg from 'pg';
import { migrate } from '../../../server/src/services/data/migrate.js';
import { PgDatabase } from '../../../server/src/services/data/pg-database.js';
import { UserRepo } from '../../../server/src/services/data/user-repo.js';
import { SqlDomainStore } from '../../../server/src/services/engine/sql-domain-store.js';
import { TcpProxy } from '../../support/tcp-proxy.js';
import { uniqueSchema } from '../../support/data-backends.js';

const URL_ = process.env.DATABASE_URL;
const test = suite('data reconnect (PostgreSQL)');
const idOf = (i: number) => i.toString(16).padStart(64, '0');
const domain = (i: number) => ({ id: idOf(i), name: `d${i}`, version: 1, createdUnixMs: i, text: `domain d${i}\n` });

if (!URL_) {
  console.log('data-reconnect: skipped, it needs a real PostgreSQL (set DATABASE_URL)');
  test.skip('a database that goes away and comes back', () => undefined);
} else {
  const url = new URL(URL_);
  const proxy = new TcpProxy(url.hostname, Number(url.port || 5432));
  const schema = uniqueSchema();
  const direct = new pg.Pool({ connectionString: URL_, max: 2 });
  let db: PgDatabase;
  const viaProxy = () => {
    const u = new URL(URL_);
    u.hostname = '127.0.0.1';
    u.port = String(proxy.port);
    return u.toString();
  };

  test.before(async () => {
    await proxy.up();
    db = new PgDatabase({ connectionString: viaProxy(), schema, max: 4, retryForMs: 10_000, applicationName: `aria-test-${schema}` });
    await migrate(db);
  });
  test.after(async () => {
    await db?.close().catch(() => undefined);
    await proxy.down();
    await direct.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await direct.end();
  });

  /** Ids stored, read over a connection that bypasses the proxy. */
  const storedIds = async () => new Set((await direct.query(`SELECT id FROM "${schema}".domains`)).rows.map((r) => r.id as string));

  test('writes made while the database is away complete once it is back, without a restart', async () => {
    const store = new SqlDomainStore(db);
    await store.save(domain(1));
    await proxy.down();
    const pending = [2, 3, 4].map((i) => store.save(domain(i)));
    const user = new UserRepo(db).create('during-outage', 'h', 'viewer');
    await new Promise((r) => setTimeout(r, 800));
    await proxy.up();
    await Promise.all(pending);
    assert.is((await user).username, 'during-outage');
    const ids = await storedIds();
    for (const i of [1, 2, 3, 4]) assert.ok(ids.has(idOf(i)), `domain ${i} acknowledged but missing`);
  });

  test('backends terminated mid-traffic: every acknowledged write is there, the rest failed with UnavailableError', async () => {
    const store = new SqlDomainStore(db);
    const users = new UserRepo(db);
    const acked: number[] = [];
    const ackedUsers: string[] = [];
    const failures: string[] = [];
    const writes: Promise<void>[] = [];
    for (let i = 100; i < 160; i++) {
      writes.push(store.save(domain(i)).then(() => void acked.push(i), (e: Error) => void failures.push(e.name)));
      writes.push(users.create(`u${i}`, 'h', 'viewer').then((u) => void ackedUsers.push(u.id), (e: Error) => void failures.push(e.name)));
      if (i % 15 === 0) {
        await direct.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1', [`aria-test-${schema}`]);
      }
      await new Promise((r) => setTimeout(r, 3));
    }
    await Promise.all(writes);
    assert.ok(failures.every((n) => n === 'UnavailableError'), failures.join(', '));
    const ids = await storedIds();
    for (const i of acked) assert.ok(ids.has(idOf(i)), `domain ${i} acknowledged but missing`);
    const userIds = new Set((await direct.query(`SELECT id FROM "${schema}".users`)).rows.map((r) => r.id as string));
    for (const id of ackedUsers) assert.ok(userIds.has(id), `user ${id} acknowledged but missing`);
    assert.ok(acked.length + ackedUsers.length > 100, `most writes should succeed (${acked.length + ackedUsers.length} of 120)`);
    // The pool recovered: plain reads and writes work again.
    await store.save(domain(999));
    assert.ok((await storedIds()).has(idOf(999)));
  });

  test('a database that stays away past the retry window gives UnavailableError, then works again', async () => {
    const short = new PgDatabase({ connectionString: viaProxy(), schema, max: 2, retryForMs: 600, breakerOpenMs: 200 });
    // Past the window the circuit breaker opens (data-breaker.test.ts); its probe reports the database back.
    const back = new Promise<void>((resolve) => short.onAvailability((up) => { if (up) resolve(); }));
    try {
      await proxy.down();
      const started = Date.now();
      try {
        await new SqlDomainStore(short).save(domain(500));
        assert.unreachable('the write cannot succeed while the database is away');
      } catch (err) {
        assert.is((err as Error).name, 'UnavailableError');
        assert.ok(Date.now() - started < 5000);
      }
      await proxy.up();
      await back;
      await new SqlDomainStore(short).save(domain(501));
      assert.ok((await storedIds()).has(idOf(501)));
    } finally {
      await proxy.up().catch(() => undefined);
      await short.close();
    }
  });
}

test.run();
