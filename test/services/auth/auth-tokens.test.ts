/**
 * The auth logic without the network: passwords, token issue/refresh/revoke,
 * forged and expired tokens, revocation through user changes, key rotation
 * seen by a second server, the first admin.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { generateKeyPair, SignJWT, decodeProtectedHeader } from 'jose';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bootstrapAdmin } from '../../../server/src/services/auth/bootstrap-admin.js';
import type { AuthService } from '../../../server/src/services/auth/auth-service.js';
import { TokenCodec } from '../../../server/src/services/auth/tokens.js';
import { authBackend, authFixture, type AuthFixture } from '../../support/auth-fixture.js';

const backend = authBackend();
const test = suite(`auth tokens (${backend.name})`);
const PW = 'correct horse battery';
let fx: AuthFixture;
let auth: AuthService;
test.before(async () => {
  fx = await authFixture(backend);
  auth = fx.auth;
});
test.after(async () => {
  auth?.close();
  await backend.cleanup();
});

const fails = async (p: Promise<unknown>, name: string, message?: RegExp) => {
  try {
    await p;
  } catch (err) {
    assert.is((err as Error).name, name, (err as Error).message);
    if (message) assert.match((err as Error).message, message);
    return;
  }
  assert.unreachable(`expected ${name}`);
};

test('login: the right password gives a working pair; a wrong one or an unknown user, the same refusal', async () => {
  await auth.users.create('ann', PW, 'planner');
  const { tokens, user } = await auth.login('ANN', PW);
  assert.is(user.username, 'ann');
  const me = await auth.authenticate(tokens.accessToken);
  assert.equal([me.username, me.role, me.authenticated], ['ann', 'planner', true]);
  await fails(auth.login('ann', 'wrong password!!'), 'UnauthenticatedError', /wrong username or password/);
  await fails(auth.login('nobody', PW), 'UnauthenticatedError', /wrong username or password/);
  await fails(auth.users.create('weak', 'short', 'viewer'), 'InvalidArgumentError', /password/);
  await fails(auth.users.create('bad name', PW, 'viewer'), 'InvalidArgumentError', /username/);
  await fails(auth.users.create('x', PW, 'root'), 'InvalidArgumentError', /role/);
});

test('an unknown user costs a password hash like a known one (no timing shortcut)', async () => {
  await auth.users.create('timed', PW, 'viewer');
  const time = async (name: string) => {
    const t = performance.now();
    await auth.login(name, 'not the password').catch(() => undefined);
    return performance.now() - t;
  };
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[xs.length >> 1];
  const known: number[] = [];
  const unknown: number[] = [];
  for (let i = 0; i < 7; i++) {
    known.push(await time('timed'));
    unknown.push(await time(`ghost${i}`));
  }
  // A shortcut would answer in well under a millisecond; Argon2id takes tens.
  assert.ok(median(unknown) > 0.5 * median(known), `unknown ${median(unknown).toFixed(1)} ms vs known ${median(known).toFixed(1)} ms`);
});

test('refresh: a new pair each time; replaying a spent refresh token revokes the whole session', async () => {
  await auth.users.create('bob', PW, 'viewer');
  const first = (await auth.login('bob', PW)).tokens;
  const second = await auth.refresh(first.refreshToken);
  assert.ok((await auth.authenticate(second.accessToken)).authenticated);
  await fails(auth.refresh(first.refreshToken), 'UnauthenticatedError', /already used/);
  await fails(auth.refresh(second.refreshToken), 'UnauthenticatedError', /revoked/);
  await fails(auth.refresh(second.accessToken), 'UnauthenticatedError', /not a refresh token/);
});

test('expired, forged, tampered and malformed tokens are refused', async () => {
  await auth.users.create('cy', PW, 'viewer');
  const { tokens, user } = await auth.login('cy', PW);
  const codec = new TokenCodec(auth.ring);
  const expired = await codec.sign({ typ: 'access', sub: user.id, jti: crypto.randomUUID(), gen: 0, name: 'cy', role: 'viewer' }, -60_000);
  await fails(auth.authenticate(expired.token), 'UnauthenticatedError', /expired/);
  const { kid } = decodeProtectedHeader(tokens.accessToken);
  const { privateKey } = await generateKeyPair('Ed25519');
  const forged = await new SignJWT({ typ: 'access', gen: 0, name: 'cy', role: 'admin' })
    .setProtectedHeader({ alg: 'Ed25519', kid }).setIssuer('aria').setAudience('aria').setSubject(user.id).setJti(crypto.randomUUID())
    .setIssuedAt().setExpirationTime('5m').sign(privateKey);
  await fails(auth.authenticate(forged), 'UnauthenticatedError', /invalid token/);
  const [h, p, s] = tokens.accessToken.split('.');
  const payload = JSON.parse(Buffer.from(p, 'base64url').toString());
  const tampered = [h, Buffer.from(JSON.stringify({ ...payload, role: 'admin' })).toString('base64url'), s].join('.');
  await fails(auth.authenticate(tampered), 'UnauthenticatedError', /invalid token/);
  const none = [Buffer.from(JSON.stringify({ alg: 'none', kid })).toString('base64url'), p, ''].join('.');
  await fails(auth.authenticate(none), 'UnauthenticatedError');
  for (const junk of ['', 'abc', 'a.b.c', 'x'.repeat(5000)]) await fails(auth.authenticate(junk), 'UnauthenticatedError');
  await fails(auth.authenticate(tokens.refreshToken), 'UnauthenticatedError', /not an access token/);
});

test('revocation: one token, all sessions, and every change that takes rights away', async () => {
  const dee = await auth.users.create('dee', PW, 'planner');
  const a = (await auth.login('dee', PW)).tokens;
  const b = (await auth.login('dee', PW)).tokens;
  const caller = await auth.authenticate(a.accessToken);
  await auth.revoke(caller, a.accessToken, false);
  await fails(auth.authenticate(a.accessToken), 'UnauthenticatedError', /revoked/);
  assert.ok((await auth.authenticate(b.accessToken)).authenticated);
  await auth.revoke(caller, b.refreshToken, false);
  await fails(auth.refresh(b.refreshToken), 'UnauthenticatedError', /revoked/);
  const other = (await auth.login('ann', PW)).tokens;
  await fails(auth.revoke(await auth.authenticate(b.accessToken), other.accessToken, false), 'PermissionDeniedError');
  await fails(auth.revoke(caller, 'not-a-token', false), 'InvalidArgumentError');

  const c = (await auth.login('dee', PW)).tokens;
  await auth.users.update(dee.id, { role: 'viewer' });
  await fails(auth.authenticate(c.accessToken), 'UnauthenticatedError', /revoked/);
  const d = (await auth.login('dee', PW)).tokens;
  assert.is((await auth.authenticate(d.accessToken)).role, 'viewer');
  await auth.revoke(await auth.authenticate(d.accessToken), '', true);
  await fails(auth.authenticate(d.accessToken), 'UnauthenticatedError');
  const e = (await auth.login('dee', PW)).tokens;
  const changed = await auth.users.changePassword(await auth.authenticate(e.accessToken), PW, 'a brand new password');
  await fails(auth.authenticate(e.accessToken), 'UnauthenticatedError');
  assert.ok((await auth.authenticate(changed.accessToken)).authenticated);
  await fails(auth.login('dee', PW), 'UnauthenticatedError');
  assert.ok(await auth.users.delete('dee'));
  await fails(auth.authenticate(changed.accessToken), 'UnauthenticatedError');
  await fails(auth.login('dee', 'a brand new password'), 'UnauthenticatedError');
});

test('key rotation: old tokens keep working, a second server learns the new key and the revocations', async () => {
  await auth.users.create('eve', PW, 'viewer');
  const before = (await auth.login('eve', PW)).tokens;
  const second = await authFixture(backend, {}, { db: fx.db, secrets: fx.secrets });
  try {
    const { kid, active } = await auth.rotateSigningKey();
    assert.is(active[0], kid);
    assert.is(active.length, 2);
    const after = (await auth.login('eve', PW)).tokens;
    assert.is(decodeProtectedHeader(after.accessToken).kid, kid);
    assert.ok((await auth.authenticate(before.accessToken)).authenticated);
    // The second server has never seen the new key: it reloads the ring from the secrets service.
    assert.ok((await second.auth.authenticate(after.accessToken)).authenticated);
    assert.ok((await second.auth.authenticate(before.accessToken)).authenticated);
    await auth.revoke(await auth.authenticate(after.accessToken), after.accessToken, false);
    await new Promise((r) => setTimeout(r, 400)); // > pollMs
    await fails(second.auth.authenticate(after.accessToken), 'UnauthenticatedError', /revoked/);
  } finally {
    second.auth.close();
  }
});

test('the first admin: from ARIA_ADMIN_PASSWORD, or a generated password in a 0600 file; only once', async () => {
  const fresh = await authFixture(backend);
  const dir = await mkdtemp(join(tmpdir(), 'aria-bootstrap-'));
  try {
    const made = await bootstrapAdmin(fresh.auth, { env: {}, dataDir: dir });
    assert.ok(made.created && made.passwordFile);
    assert.is((await stat(made.passwordFile!)).mode & 0o777, 0o600);
    const password = (await readFile(made.passwordFile!, 'utf8')).trim();
    assert.is((await fresh.auth.login('admin', password)).user.role, 'admin');
    assert.equal(await bootstrapAdmin(fresh.auth, { env: { ARIA_ADMIN_PASSWORD: 'another long password' }, dataDir: dir }), { created: false });
  } finally {
    fresh.auth.close();
    await rm(dir, { recursive: true, force: true });
  }
});

test.run();
