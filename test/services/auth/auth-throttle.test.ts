/**
 * Login throttling (issue 14, item 6). The throttle itself on every store
 * there is: memory always, Redis when REDIS_URL is set, PostgreSQL when
 * DATABASE_URL is set (each test owns its key prefix or schema and removes
 * it). Then through gRPC: after the allowed failures even the right password
 * gets RESOURCE_EXHAUSTED with the wait in the message and in the
 * `retry-after-ms` trailer, while other users still log in.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { randomBytes } from 'node:crypto';
import { status, type ServiceError } from '@grpc/grpc-js';
import { Redis } from 'ioredis';
import pg from 'pg';
import { AuthServiceClient, LoginRequest, Role, type LoginResponse } from '../../../gen/ts/aria/auth/v1/auth.js';
import { LoginThrottle, peerAddress, throttleOptionsFromEnv, type ThrottleStore } from '../../../server/src/services/auth/login-throttle.js';
import { ThrottledError } from '../../../server/src/core/errors.js';
import { RETRY_AFTER_TRAILER } from '../../../server/src/transport/status-mapping.js';
import { uniqueSchema } from '../../support/data-backends.js';
import { call, clientFor, foundationServer } from '../../support/foundation-server.js';

/** A store to test on, and how to remove what the test left there. */
interface StoreCase {
  name: string;
  store: ThrottleStore;
  cleanup(prefix: string): Promise<void>;
}

const stores: StoreCase[] = [{ name: 'memory', store: { kind: 'memory' }, cleanup: async () => {} }];
if (process.env.REDIS_URL) {
  const url = process.env.REDIS_URL;
  stores.push({
    name: 'redis', store: { kind: 'redis', url },
    cleanup: async (prefix) => {
      const redis = new Redis(url);
      try {
        const keys = await redis.keys(`${prefix}*`);
        if (keys.length) await redis.del(...keys);
      } finally {
        redis.disconnect();
      }
    },
  });
}
if (process.env.DATABASE_URL) {
  const url = process.env.DATABASE_URL;
  const schema = uniqueSchema();
  stores.push({
    name: 'postgres', store: { kind: 'postgres', url, schema },
    cleanup: async () => {
      const pool = new pg.Pool({ connectionString: url, max: 1 });
      await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).finally(() => pool.end());
    },
  });
}

/** The ThrottledError of an attempt that must be refused. */
async function throttled(p: Promise<unknown>): Promise<ThrottledError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof ThrottledError) return err;
    throw err;
  }
  throw new Error('the attempt was let through; a throttle was expected');
}

for (const s of stores) {
  test(`${s.name}: a user's failures are counted, succeeding clears them, the wait is told`, async () => {
    const prefix = `aria_test_${randomBytes(5).toString('hex')}`;
    if (s.store.kind === 'postgres') {
      const pool = new pg.Pool({ connectionString: s.store.url, max: 1 });
      await pool.query(`CREATE SCHEMA IF NOT EXISTS "${s.store.schema}"`).finally(() => pool.end());
    }
    const t = await LoginThrottle.open(s.store, { maxFailuresPerUser: 3, maxFailuresPerPeer: 5, windowSeconds: 600, keyPrefix: prefix });
    try {
      // Usernames match case-insensitively (as the user table does): changing case does not buy more guesses.
      for (const name of ['alice', 'Alice', 'ALICE']) await t.attempt(name, '10.0.0.1');
      const refused = await throttled(t.attempt('alice', '10.0.0.1'));
      assert.match(refused.message, /too many failed logins for this user; try again in \d+ s/);
      assert.ok(refused.retryAfterMs > 0 && refused.retryAfterMs <= 600_000, String(refused.retryAfterMs));
      // Another user from another address is not held up by alice's failures.
      await t.attempt('bob', '10.0.0.2');

      // Two failures, then a success: the count starts again, so three more attempts pass.
      for (let i = 0; i < 2; i++) await t.attempt('carol', '10.0.0.3');
      await t.attempt('carol', '10.0.0.3');
      await t.succeeded('carol', '10.0.0.3');
      for (let i = 0; i < 3; i++) await t.attempt('carol', '10.0.0.3');
      await throttled(t.attempt('carol', '10.0.0.3'));

      // One address trying many users is stopped by the per-peer limit (5), whoever it tries.
      for (let i = 0; i < 5; i++) await t.attempt(`user${i}`, '10.0.0.9');
      const byPeer = await throttled(t.attempt('somebody-else', '10.0.0.9'));
      assert.match(byPeer.message, /from this address/);
    } finally {
      await t.close();
      await s.cleanup(prefix);
    }
  });
}

test('Redis unreachable: logins are still throttled (in memory meanwhile), nothing throws but the throttle', async () => {
  // Port 1 on loopback: connection refused at once, and ioredis keeps retrying in the background.
  const t = await LoginThrottle.open({ kind: 'redis', url: 'redis://127.0.0.1:1' }, { maxFailuresPerUser: 2, keyPrefix: `aria_test_${randomBytes(5).toString('hex')}` });
  try {
    await t.attempt('alice', '10.0.0.1');
    await t.attempt('alice', '10.0.0.1');
    await throttled(t.attempt('alice', '10.0.0.1'));
    await t.succeeded('alice', '10.0.0.1');
    await t.attempt('alice', '10.0.0.1');
  } finally {
    await t.close();
  }
});

test('a limit of 0 switches that limit off; bad settings are configuration errors', async () => {
  const t = await LoginThrottle.open({ kind: 'memory' }, { maxFailuresPerUser: 0, maxFailuresPerPeer: 0 });
  for (let i = 0; i < 50; i++) await t.attempt('alice', '10.0.0.1');
  await t.close();
  assert.equal(throttleOptionsFromEnv({ ARIA_LOGIN_MAX_FAILURES_PER_USER: '4', ARIA_LOGIN_WINDOW_S: '60' }), { maxFailuresPerUser: 4, maxFailuresPerPeer: undefined, windowSeconds: 60 });
  assert.throws(() => throttleOptionsFromEnv({ ARIA_LOGIN_MAX_FAILURES_PER_PEER: 'lots' }), (e: Error) => e.name === 'ConfigError');
});

test('peer addresses lose their port', () => {
  assert.is(peerAddress('127.0.0.1:5555'), '127.0.0.1');
  assert.is(peerAddress('ipv4:10.1.2.3:80'), '10.1.2.3');
  assert.is(peerAddress('[::1]:5555'), '::1');
  assert.is(peerAddress('ipv6:[fe80::1]:5555'), 'fe80::1');
  assert.is(peerAddress(undefined), 'unknown');
});

test('gRPC Login: after the allowed failures the right password gets RESOURCE_EXHAUSTED with retry-after-ms; others still log in', async () => {
  const s = await foundationServer({ env: { ARIA_LOGIN_MAX_FAILURES_PER_USER: '3', ARIA_LOGIN_WINDOW_S: '900' } });
  const auth = clientFor(AuthServiceClient, s.address);
  try {
    const admin = await call<LoginResponse>(auth, 'login', LoginRequest.fromPartial({ username: 'admin', password: 'bootstrap-admin-password' }));
    await call(auth, 'createUser', { username: 'victim', password: 'victim-password-1', role: Role.ROLE_VIEWER }, admin.tokens!.accessToken);
    for (let i = 0; i < 3; i++) {
      const err = await call(auth, 'login', LoginRequest.fromPartial({ username: 'victim', password: `guess-${i}` })).then(() => undefined, (e: ServiceError) => e);
      assert.is(err?.code, status.UNAUTHENTICATED, `guess ${i}`);
    }
    const err = await call(auth, 'login', LoginRequest.fromPartial({ username: 'victim', password: 'victim-password-1' })).then(() => undefined, (e: ServiceError) => e);
    assert.ok(err, 'the right password is refused while throttled');
    assert.is(err!.code, status.RESOURCE_EXHAUSTED);
    assert.match(err!.details, /too many failed logins for this user; try again in \d+ s/);
    const retry = Number(err!.metadata.get(RETRY_AFTER_TRAILER)[0]);
    assert.ok(retry > 0 && retry <= 900_000, `retry-after-ms ${retry}`);
    // The admin, from the same address, is not locked out by the victim's failures.
    assert.ok((await call<LoginResponse>(auth, 'login', LoginRequest.fromPartial({ username: 'admin', password: 'bootstrap-admin-password' }))).tokens?.accessToken);
  } finally {
    auth.close();
    await s.stop();
  }
});

test.run();
