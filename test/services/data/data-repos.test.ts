/**
 * Users, token state and plan history on each backend (PGlite; PostgreSQL
 * when DATABASE_URL is set).
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { randomUUID } from 'node:crypto';
import { PlanHistory } from '../../../server/src/services/data/plan-history.js';
import { TokenRepo } from '../../../server/src/services/data/token-repo.js';
import { UserRepo } from '../../../server/src/services/data/user-repo.js';
import { dataBackends } from '../../support/data-backends.js';

const later = (ms: number) => new Date(Date.now() + ms);

for (const backend of dataBackends()) {
  const test = suite(`data repositories on ${backend.name}`);
  test.after(() => backend.cleanup());

  test('users: create, unique names ignoring case, update, soft delete frees the name', async () => {
    const users = new UserRepo(await backend.open());
    const ann = await users.create('Ann', 'hash-1', 'planner');
    assert.is(ann.role, 'planner');
    assert.is(ann.tokenGeneration, 0);
    try {
      await users.create('ann', 'hash-2', 'viewer');
      assert.unreachable('a taken name (any case) must be refused');
    } catch (err) {
      assert.is((err as Error).name, 'AlreadyExistsError');
    }
    assert.is((await users.byUsername('ANN'))?.id, ann.id);
    assert.is((await users.find(ann.id)).username, 'Ann');
    const changed = await users.update(ann.id, { role: 'admin', revokeTokens: true });
    assert.is(changed.role, 'admin');
    assert.is(changed.passwordHash, 'hash-1');
    assert.is(changed.tokenGeneration, 1);
    const since = new Date(changed.updatedUnixMs - 1);
    assert.ok(await users.delete(ann.id));
    assert.not.ok(await users.delete(ann.id));
    assert.is(await users.byUsername('ann'), undefined);
    const gone = await users.byId(ann.id);
    assert.ok(gone?.deleted && gone.disabled && gone.tokenGeneration === 2);
    assert.ok((await users.changedSince(since)).some((u) => u.id === ann.id && u.deleted));
    const again = await users.create('ann', 'hash-3', 'viewer');
    assert.is.not(again.id, ann.id);
    assert.equal((await users.list()).map((u) => u.username), ['ann']);
    assert.is(await users.count(), 1);
  });

  test('refresh tokens: spent once, reuse revokes the family, a retried exchange is recognised', async () => {
    const db = await backend.open();
    const user = await new UserRepo(db).create('bob', 'h', 'viewer');
    const tokens = new TokenRepo(db);
    const family = randomUUID();
    const first = randomUUID();
    await tokens.insertRefresh({ jti: first, userId: user.id, familyId: family, expiresAt: later(60_000) });
    const second = { jti: randomUUID(), expiresAt: later(60_000) };
    assert.equal(await tokens.spend(first, second), { ok: true, userId: user.id, familyId: family });
    // The same exchange again (a retry after a lost connection) succeeds without minting anything new.
    assert.equal(await tokens.spend(first, second), { ok: true, userId: user.id, familyId: family });
    // A different exchange of the spent token is a reuse: the whole family goes.
    assert.equal(await tokens.spend(first, { jti: randomUUID(), expiresAt: later(60_000) }), { ok: false, reason: 'reused' });
    assert.equal(await tokens.spend(second.jti, { jti: randomUUID(), expiresAt: later(60_000) }), { ok: false, reason: 'revoked' });
    assert.equal(await tokens.spend(randomUUID(), { jti: randomUUID(), expiresAt: later(60_000) }), { ok: false, reason: 'unknown' });
    const old = randomUUID();
    await tokens.insertRefresh({ jti: old, userId: user.id, familyId: randomUUID(), expiresAt: later(-1000) });
    assert.equal(await tokens.spend(old, { jti: randomUUID(), expiresAt: later(60_000) }), { ok: false, reason: 'expired' });
  });

  test('revocations: refresh families, all of a user, access tokens until expiry', async () => {
    const db = await backend.open();
    const user = await new UserRepo(db).create('cy', 'h', 'viewer');
    const tokens = new TokenRepo(db);
    const a = randomUUID();
    await tokens.insertRefresh({ jti: a, userId: user.id, familyId: randomUUID(), expiresAt: later(60_000) });
    assert.ok(await tokens.revokeRefreshFamily(a));
    assert.not.ok(await tokens.revokeRefreshFamily(randomUUID()));
    assert.equal(await tokens.spend(a, { jti: randomUUID(), expiresAt: later(1000) }), { ok: false, reason: 'revoked' });
    const b = randomUUID();
    await tokens.insertRefresh({ jti: b, userId: user.id, familyId: randomUUID(), expiresAt: later(60_000) });
    await tokens.revokeUserRefresh(user.id);
    assert.equal(await tokens.spend(b, { jti: randomUUID(), expiresAt: later(1000) }), { ok: false, reason: 'revoked' });

    const since = new Date(Date.now() - 1000);
    const live = randomUUID();
    await tokens.revokeAccess(live, user.id, later(60_000));
    await tokens.revokeAccess(live, user.id, later(60_000));
    await tokens.revokeAccess(randomUUID(), user.id, later(-1000));
    const revoked = await tokens.revokedSince(since);
    assert.equal(revoked.map((r) => r.jti), [live]);
    await tokens.purgeExpired();
    assert.equal((await tokens.revokedSince(since)).map((r) => r.jti), [live]);
  });

  test('plan history: batched writes, newest first, paging and filtering', async () => {
    const history = new PlanHistory(await backend.open(), { flushMs: 10_000, batchSize: 7 });
    const rec = (i: number) => ({
      username: 'ann', method: 'Plan', domainId: 'd'.repeat(64), domainName: i % 2 ? 'odd' : 'even',
      status: 'plan', planLength: i, durationMs: i / 10,
    });
    for (let i = 0; i < 20; i++) {
      history.record(rec(i));
      await new Promise((r) => setTimeout(r, 2)); // distinct timestamps for paging
    }
    await history.flush();
    const all = await history.list({ limit: 50 });
    assert.is(all.length, 20);
    assert.equal(all.map((r) => r.planLength), [...Array(20).keys()].reverse());
    const page = await history.list({ limit: 5, beforeUnixMs: all[4].createdUnixMs });
    assert.equal(page.map((r) => r.planLength), [14, 13, 12, 11, 10]);
    const odd = await history.list({ domainName: 'odd' });
    assert.ok(odd.length === 10 && odd.every((r) => r.domainName === 'odd'));
    assert.is(all[0].durationMs, 1.9);
    await history.close();
  });

  test.run();
}
