/**
 * Boot order: secrets first, because they may hold the database URL; then
 * data (its domains moved over from the disk store); then auth.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { pino } from 'pino';
import { DATABASE_URL_SECRET, openFoundation } from '../../../server/src/app/foundation.js';
import { FileDomainStore } from '../../../server/src/services/engine/domain-store.js';
import { openSecrets } from '../../../server/src/services/secrets/open-secrets.js';
import { uniqueSchema } from '../../support/data-backends.js';

const URL_ = process.env.DATABASE_URL;
const silent = pino({ level: 'silent' });

if (!URL_) {
  console.log('data-foundation: skipped, it needs a real PostgreSQL (set DATABASE_URL)');
  test.skip('the database URL comes from the secrets service', () => undefined);
} else {
  test('the database URL comes from the secrets service; disk-store domains move into the database at boot', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'aria-boot-'));
    const schema = uniqueSchema();
    const env = { ARIA_MASTER_KEY: Buffer.alloc(32, 3).toString('base64'), ARIA_ADMIN_PASSWORD: 'first admin password' };
    try {
      const secrets = await openSecrets({ dataDir: dir, env });
      await secrets.put(DATABASE_URL_SECRET, Buffer.from(URL_));
      await secrets.close();
      const id = 'c'.repeat(64);
      await new FileDomainStore(dir).save({ id, name: 'old', version: 1, createdUnixMs: 5, text: 'domain old\n' });
      const f = await openFoundation({ host: '127.0.0.1', dataDir: dir, env, log: silent, schema });
      try {
        assert.is(f.db.kind, 'postgres');
        assert.equal((await f.domainStore.loadAll(() => undefined)).map((d) => d.id), [id]);
        assert.is((await f.auth.login('admin', 'first admin password')).user.role, 'admin');
      } finally {
        await f.close();
      }
    } finally {
      const pool = new pg.Pool({ connectionString: URL_, max: 1 });
      await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).finally(() => pool.end());
      await rm(dir, { recursive: true, force: true });
    }
  });
}

test.run();
