/**
 * The data layer on each backend (PGlite; PostgreSQL when DATABASE_URL is
 * set): migrations, including two servers migrating one schema at once, and
 * the domain store.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrate, schemaVersion } from '../../../server/src/services/data/migrate.js';
import { MIGRATIONS } from '../../../server/src/services/data/migrations.js';
import { importFileDomains, SqlDomainStore } from '../../../server/src/services/engine/sql-domain-store.js';
import { FileDomainStore, type StoredDomain } from '../../../server/src/services/engine/domain-store.js';
import { dataBackends } from '../../support/data-backends.js';

const ID_A = 'a'.repeat(64);
const ID_B = 'b'.repeat(64);
const TEXT_DOMAIN: StoredDomain = { id: ID_A, name: 'probe', version: 1, createdUnixMs: 1_700_000_000_123, text: 'domain probe\n', file: 'probe.aria' };
const DATA_DOMAIN: StoredDomain = {
  id: ID_B, name: 'probe', version: 2, createdUnixMs: 1_700_000_000_456,
  domain: { name: 'probe', vars: [], consts: [], functions: [], actions: [], commands: [], tasks: [], unigoals: [], multigoals: [] },
};

for (const backend of dataBackends()) {
  const test = suite(`data store on ${backend.name}`);
  test.after(() => backend.cleanup());

  test('migrations bring a fresh schema to the latest version, and a second run applies nothing', async () => {
    const db = await backend.fresh();
    const first = await migrate(db);
    assert.equal(first.applied, MIGRATIONS.map((m) => m.version));
    assert.is(first.version, MIGRATIONS.at(-1)!.version);
    const again = await migrate(db);
    assert.equal(again.applied, []);
    assert.is(await schemaVersion(db), first.version);
  });

  test('two servers migrating one schema at the same moment: one applies, the other waits and finds it done', async () => {
    const a = await backend.fresh();
    const b = await backend.fresh(a.schema);
    const results = await Promise.all([migrate(a), migrate(b), migrate(a)]);
    const applied = results.flatMap((r) => r.applied);
    assert.equal(applied.sort(), MIGRATIONS.map((m) => m.version));
    assert.ok(results.every((r) => r.version === MIGRATIONS.at(-1)!.version));
  });

  test('a schema newer than the server, or an edited migration, stops the boot', async () => {
    const db = await backend.open();
    const future = [...MIGRATIONS, { version: 999, name: 'future', sql: 'CREATE TABLE future (x int)' }];
    await migrate(db, future);
    try {
      await migrate(db);
      assert.unreachable('an older server must refuse a newer schema');
    } catch (err) {
      assert.match((err as Error).message, /version 999, newer than this server/);
    }
    const edited = MIGRATIONS.map((m) => ({ ...m, sql: `${m.sql}\n-- edited` }));
    try {
      await migrate(await backend.fresh(db.schema), [...edited, future[future.length - 1]]);
      assert.unreachable('an edited migration must be refused');
    } catch (err) {
      assert.match((err as Error).message, /was changed after it was applied/);
    }
  });

  test('domains: save, load (text and data forms), replace, remove', async () => {
    const db = await backend.open();
    const store = new SqlDomainStore(db);
    await store.save(TEXT_DOMAIN);
    await store.save(DATA_DOMAIN);
    await store.save(TEXT_DOMAIN); // idempotent
    const bad: string[] = [];
    const all = await store.loadAll((w) => bad.push(w));
    assert.equal(bad, []);
    assert.equal(all, [
      { ...TEXT_DOMAIN, domain: undefined },
      { ...DATA_DOMAIN, text: undefined, file: undefined },
    ]);
    await store.save({ ...TEXT_DOMAIN, version: 3 });
    assert.is((await store.loadAll(() => undefined)).find((d) => d.id === ID_A)?.version, 3);
    await store.remove(ID_A);
    await store.remove(ID_A);
    assert.equal((await store.loadAll(() => undefined)).map((d) => d.id), [ID_B]);
  });

  test('domains kept by the disk store move into the database once, the files stay as a backup', async () => {
    const db = await backend.open();
    const dir = await mkdtemp(join(tmpdir(), 'aria-import-'));
    try {
      await new FileDomainStore(dir).save(TEXT_DOMAIN);
      const store = new SqlDomainStore(db);
      assert.is(await importFileDomains(dir, store, () => undefined), 1);
      assert.is(await importFileDomains(dir, store, () => undefined), 0);
      assert.equal((await store.loadAll(() => undefined)).map((d) => d.id), [ID_A]);
      assert.ok((await readdir(dir)).some((n) => n.startsWith('domains.imported-')));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test.run();
}
