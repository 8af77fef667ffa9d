/**
 * The embedded database on its own thread: what must survive the thread
 * boundary (rows, dates, database errors with their SQLSTATE), transactions
 * held open across messages, a restart on the same folder, and a thread
 * that dies.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sqlState } from '../../../server/src/services/data/database.js';
import { PgliteThreadDatabase } from '../../../server/src/services/data/pglite-thread-database.js';
import { UnavailableError } from '../../../server/src/core/errors.js';

const test = suite('PGlite on a thread');
let dir = '';

test.before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'aria-pglite-thread-'));
});
test.after(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function openWithTable(folder: string | null): Promise<PgliteThreadDatabase> {
  const db = await PgliteThreadDatabase.open(folder, 'thr');
  await db.exec(`CREATE SCHEMA IF NOT EXISTS thr; CREATE TABLE IF NOT EXISTS ${db.t('t')} (id int PRIMARY KEY, at timestamptz, tags text[])`);
  return db;
}

test('rows, parameters and dates cross the thread; a unique violation keeps its SQLSTATE', async () => {
  const db = await openWithTable(null);
  try {
    const at = new Date('2026-11-30T06:00:00.123Z');
    await db.query(`INSERT INTO ${db.t('t')} VALUES ($1, $2, $3)`, [1, at, ['a', 'b']]);
    const rows = await db.query<{ id: number; at: Date; tags: string[] }>(`SELECT * FROM ${db.t('t')}`);
    assert.equal(rows, [{ id: 1, at, tags: ['a', 'b'] }]);
    assert.instance(rows[0]!.at, Date);
    const err = await db.query(`INSERT INTO ${db.t('t')} VALUES (1, now(), '{}')`).then(() => undefined, (e: unknown) => e);
    assert.instance(err, Error);
    assert.is(sqlState(err), '23505');
    assert.match((err as Error).message, /duplicate key/);
  } finally {
    await db.close();
  }
});

test('a transaction commits what fn wrote, and rolls back everything when fn throws', async () => {
  const db = await openWithTable(null);
  try {
    const got = await db.transaction(async (tx) => {
      await tx.query(`INSERT INTO ${db.t('t')} (id) VALUES (1)`);
      await tx.query(`INSERT INTO ${db.t('t')} (id) VALUES (2)`);
      return (await tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${db.t('t')}`))[0]!.n;
    });
    assert.is(got, 2);
    const boom = new Error('changed my mind');
    const err = await db
      .transaction(async (tx) => {
        await tx.query(`INSERT INTO ${db.t('t')} (id) VALUES (3)`);
        throw boom;
      })
      .catch((e: unknown) => e);
    assert.is(err, boom);
    const ids = await db.query<{ id: number }>(`SELECT id FROM ${db.t('t')} ORDER BY id`);
    assert.equal(ids.map((r) => r.id), [1, 2]);
    // Two transactions asked for at once run one after the other; both land.
    await Promise.all([4, 5].map((id) => db.transaction((tx) => tx.query(`INSERT INTO ${db.t('t')} (id) VALUES ($1)`, [id]))));
    assert.is((await db.query(`SELECT id FROM ${db.t('t')}`)).length, 4);
  } finally {
    await db.close();
  }
});

test('what was written is there after closing and opening the folder again', async () => {
  const folder = join(dir, 'persist');
  const first = await openWithTable(folder);
  await first.query(`INSERT INTO ${first.t('t')} (id) VALUES (7)`);
  await first.close();
  const second = await openWithTable(folder);
  try {
    assert.equal(await second.query(`SELECT id FROM ${second.t('t')}`), [{ id: 7 }]);
  } finally {
    await second.close();
  }
});

test('a thread that dies: waiting statements fail with UnavailableError, a new thread opens the folder, and later ones work', async () => {
  const folder = join(dir, 'crash');
  const db = await openWithTable(folder);
  try {
    await db.query(`INSERT INTO ${db.t('t')} (id) VALUES (1)`);
    // A transaction open when the thread dies is rolled back; its statement under way fails, and
    // nothing of it reaches the new thread.
    let inTx!: () => void;
    const txStarted = new Promise<void>((r) => { inTx = r; });
    let sleepOutcome: unknown;
    const tx = db.transaction(async (q) => {
      await q.query(`INSERT INTO ${db.t('t')} (id) VALUES (2)`);
      inTx();
      sleepOutcome = await q.query('SELECT pg_sleep(1)').catch((e: unknown) => e);
      await q.query(`INSERT INTO ${db.t('t')} (id) VALUES (3)`);
    }).catch((e: unknown) => e);
    await txStarted;
    await new Promise((r) => setTimeout(r, 100));
    await db.killThread();
    const txErr = await tx;
    assert.instance(sleepOutcome, UnavailableError, 'the statement under way');
    assert.instance(txErr, UnavailableError, 'the rest of the transaction');
    assert.match((txErr as Error).message, /embedded database thread/);
    const rows = await db.query<{ id: number }>(`SELECT id FROM ${db.t('t')} ORDER BY id`);
    assert.equal(rows.map((r) => r.id), [1], 'committed rows kept, the broken transaction gone');
    assert.is(db.restarts, 1);
  } finally {
    await db.close();
  }
});

test('an in-memory database whose thread dies says its data is gone instead of starting empty', async () => {
  const db = await openWithTable(null);
  await db.killThread();
  const err = await db.query('SELECT 1').catch((e: unknown) => e);
  assert.instance(err, UnavailableError);
  assert.match((err as Error).message, /in-memory/);
  await db.close();
});

test('a folder that cannot be opened is a clear UnavailableError', async () => {
  const file = join(dir, 'not-a-folder');
  await writeFile(file, 'x');
  const err = await PgliteThreadDatabase.open(join(file, 'pg'), 'thr').catch((e: unknown) => e);
  assert.instance(err, UnavailableError);
  assert.match((err as Error).message, /embedded database did not open/);
});

test('a schema name that could inject SQL is refused before a thread starts', async () => {
  const err = await PgliteThreadDatabase.open(null, 'x"; DROP').catch((e: unknown) => e);
  assert.match((err as Error).message, /database schema/);
});

test.run();
