/**
 * Authentication and roles over a real socket, enforced by the one
 * interceptor on every service: UNAUTHENTICATED for missing, wrong,
 * expired, forged and revoked tokens (one test each), PERMISSION_DENIED for
 * a missing role; health, reflection and Login open; secrets over gRPC.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { credentials, status, type Client, type Metadata, loadPackageDefinition, makeGenericClientConstructor } from '@grpc/grpc-js';
import { generateKeyPair, SignJWT, decodeProtectedHeader } from 'jose';
import { service as healthService } from 'grpc-health-check';
import { loadSync } from '@grpc/proto-loader';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import {
  AuthServiceClient, AuthServiceService, CreateUserRequest, DeleteUserRequest, LoginRequest, RefreshTokenRequest, RevokeTokenRequest, Role, UpdateUserRequest, WhoAmIRequest,
  type CreateUserResponse, type LoginResponse,
} from '../../../gen/ts/aria/auth/v1/auth.js';
import { DataServiceClient, DataServiceService, GetDataStatusRequest, ListPlanHistoryRequest, type GetDataStatusResponse, type ListPlanHistoryResponse } from '../../../gen/ts/aria/data/v1/data.js';
import { ListDomainsRequest, PlannerServiceClient, PlannerServiceService, PlanRequest, type ListDomainsResponse } from '../../../gen/ts/aria/planner/v1/planner.js';
import {
  GetSecretRequest, ListSecretsRequest, PutSecretRequest, SecretsServiceClient, SecretsServiceService, type GetSecretResponse, type ListSecretsResponse,
} from '../../../gen/ts/aria/secrets/v1/secrets.js';
import { QueueServiceService } from '../../../gen/ts/aria/queue/v1/queue.js';
import { ShapeServiceService } from '../../../gen/ts/aria/shape/v1/shape.js';
import { ContextServiceService } from '../../../gen/ts/aria/context/v1/context.js';
import { permissionFor } from '../../../server/src/services/auth/roles.js';
import { MIGRATIONS } from '../../../server/src/services/data/migrations.js';
import { TokenCodec } from '../../../server/src/services/auth/tokens.js';
import { bearer, call, clientFor, foundationServer, refused, type FoundationServer } from '../../support/foundation-server.js';

const PW = 'a long enough password';
const SECRET_VALUE = 'grpc-secret-value-do-not-log';
let fs: FoundationServer;
let auth: Client;
let planner: Client;
let secrets: Client;
let data: Client;
const tokens: Record<'admin' | 'planner' | 'viewer', string> = { admin: '', planner: '', viewer: '' };
const login = async (username: string, password = PW) => (await call<LoginResponse>(auth, 'login', LoginRequest.fromPartial({ username, password }))).tokens!;

test.before(async () => {
  fs = await foundationServer();
  auth = clientFor(AuthServiceClient, fs.address);
  planner = clientFor(PlannerServiceClient, fs.address);
  secrets = clientFor(SecretsServiceClient, fs.address);
  data = clientFor(DataServiceClient, fs.address);
  tokens.admin = (await login('admin', 'bootstrap-admin-password')).accessToken;
  for (const [name, role] of [['pat', Role.ROLE_PLANNER], ['val', Role.ROLE_VIEWER]] as const) {
    await call<CreateUserResponse>(auth, 'createUser', CreateUserRequest.fromPartial({ username: name, password: PW, role }), tokens.admin);
  }
  tokens.planner = (await login('pat')).accessToken;
  tokens.viewer = (await login('val')).accessToken;
});
test.after(async () => {
  for (const c of [auth, planner, secrets, data]) c?.close();
  await fs?.stop();
});

const listDomains = (token?: string) => call<ListDomainsResponse>(planner, 'listDomains', ListDomainsRequest.fromPartial({}), token);

test('a valid token passes, and the handler sees who called', async () => {
  assert.ok((await listDomains(tokens.viewer)).domains.length > 0);
  const me = await call<{ user: { username: string; role: Role }; authenticated: boolean }>(auth, 'whoAmI', WhoAmIRequest.fromPartial({}), tokens.planner);
  assert.equal([me.user.username, me.user.role, me.authenticated], ['pat', Role.ROLE_PLANNER, true]);
});

test('no token: UNAUTHENTICATED', async () => {
  const r = await refused(listDomains());
  assert.is(r.code, status.UNAUTHENTICATED);
  assert.match(r.details, /Bearer/);
});

test('a wrong token: UNAUTHENTICATED', async () => {
  assert.is((await refused(listDomains('not.a.token'))).code, status.UNAUTHENTICATED);
  assert.is((await refused(listDomains(`${tokens.viewer}x`))).code, status.UNAUTHENTICATED);
});

test('an expired token: UNAUTHENTICATED', async () => {
  const me = await fs.foundation.auth.authenticate(tokens.viewer);
  const expired = await new TokenCodec(fs.foundation.auth.ring).sign({ typ: 'access', sub: me.userId!, jti: crypto.randomUUID(), gen: 0, name: 'val', role: 'viewer' }, -5000);
  const r = await refused(listDomains(expired.token));
  assert.is(r.code, status.UNAUTHENTICATED);
  assert.match(r.details, /expired/);
});

test('a forged token (right key id, wrong key; claims an admin): UNAUTHENTICATED', async () => {
  const me = await fs.foundation.auth.authenticate(tokens.viewer);
  const { privateKey } = await generateKeyPair('Ed25519');
  const forged = await new SignJWT({ typ: 'access', gen: 0, name: 'val', role: 'admin' })
    .setProtectedHeader({ alg: 'Ed25519', kid: decodeProtectedHeader(tokens.viewer).kid }).setIssuer('aria').setAudience('aria')
    .setSubject(me.userId!).setJti(crypto.randomUUID()).setIssuedAt().setExpirationTime('5m').sign(privateKey);
  assert.is((await refused(call(secrets, 'listSecrets', ListSecretsRequest.fromPartial({}), forged))).code, status.UNAUTHENTICATED);
});

test('a revoked token: UNAUTHENTICATED', async () => {
  const t = await login('val');
  assert.ok((await listDomains(t.accessToken)).domains);
  await call(auth, 'revokeToken', RevokeTokenRequest.fromPartial({ token: t.accessToken }), t.accessToken);
  const r = await refused(listDomains(t.accessToken));
  assert.is(r.code, status.UNAUTHENTICATED);
  assert.match(r.details, /revoked/);
  assert.is((await refused(call(auth, 'refreshToken', RefreshTokenRequest.fromPartial({ refreshToken: 'garbage' })))).code, status.UNAUTHENTICATED);
});

test('a role without the permission: PERMISSION_DENIED', async () => {
  const viewerPlans = await refused(call(planner, 'plan', PlanRequest.fromPartial({ domain: 'fake' }), tokens.viewer));
  assert.is(viewerPlans.code, status.PERMISSION_DENIED);
  assert.match(viewerPlans.details, /role viewer may not call \/aria\.planner\.v1\.PlannerService\/Plan/);
  assert.is((await refused(call(secrets, 'getSecret', GetSecretRequest.fromPartial({ path: 'x' }), tokens.planner))).code, status.PERMISSION_DENIED);
  assert.is((await refused(call(auth, 'createUser', CreateUserRequest.fromPartial({ username: 'z', password: PW, role: Role.ROLE_ADMIN }), tokens.planner))).code, status.PERMISSION_DENIED);
  assert.is((await refused(call(data, 'getDataStatus', GetDataStatusRequest.fromPartial({}), tokens.planner))).code, status.PERMISSION_DENIED);
  // The planner may plan: whatever the answer, it comes from the handler, not the interceptor.
  const planned = await call(planner, 'plan', PlanRequest.fromPartial({ domain: 'fake' }), tokens.planner).then(() => status.OK, (e: { code: number }) => e.code);
  assert.not.ok([status.UNAUTHENTICATED, status.PERMISSION_DENIED].includes(planned));
});

test('streaming calls are guarded too: PlanStream without a token, and with a viewer\'s', async () => {
  const outcome = (token?: string) =>
    new Promise<number>((resolve) => {
      const stream = (planner as unknown as { planStream(md: Metadata): NodeJS.ReadWriteStream }).planStream(bearer(token));
      stream.on('data', () => undefined);
      stream.on('error', (e: { code: number }) => resolve(e.code));
      stream.on('end', () => resolve(status.OK));
      stream.end();
    });
  assert.is(await outcome(), status.UNAUTHENTICATED);
  assert.is(await outcome(tokens.viewer), status.PERMISSION_DENIED);
  assert.is(await outcome(tokens.planner), status.OK);
});

test('health, reflection and Login need no token', async () => {
  const Health = makeGenericClientConstructor(healthService, 'grpc.health.v1.Health');
  const health = new Health(fs.address, credentials.createInsecure());
  const res = await call<{ status: number | string }>(health, 'check', { service: '' });
  assert.ok(res.status === 'SERVING' || res.status === 1);
  health.close();
  const require = createRequire(import.meta.url);
  const protoDir = join(dirname(require.resolve('@grpc/reflection/package.json')), 'build', 'proto');
  const pkg = loadPackageDefinition(loadSync('grpc/reflection/v1/reflection.proto', { includeDirs: [protoDir], keepCase: true })) as unknown as {
    grpc: { reflection: { v1: { ServerReflection: new (a: string, c: unknown) => Client & { ServerReflectionInfo(): NodeJS.ReadWriteStream } } } };
  };
  const refl = new pkg.grpc.reflection.v1.ServerReflection(fs.address, credentials.createInsecure());
  const stream = refl.ServerReflectionInfo();
  const reply = await new Promise<Record<string, unknown>>((resolve, reject) => {
    stream.once('data', (r: Record<string, unknown>) => {
      resolve(r);
      stream.end();
    });
    stream.once('error', reject);
    (stream as unknown as { write(m: object): boolean }).write({ list_services: '' });
  });
  assert.ok(reply.list_services_response, JSON.stringify(reply));
  refl.close();
  assert.ok((await login('val')).accessToken);
});

test('every method of every service has a permission entry (nothing goes out unguarded)', () => {
  for (const def of [PlannerServiceService, SecretsServiceService, AuthServiceService, DataServiceService, QueueServiceService, ShapeServiceService, ContextServiceService]) {
    for (const m of Object.values(def)) assert.ok(permissionFor(m.path) !== undefined, m.path);
  }
  assert.is(permissionFor('/grpc.health.v1.Health/Check'), 'open');
  assert.is(permissionFor('/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo'), 'open');
  assert.is(permissionFor('/aria.other.v1.Unknown/Call'), undefined);
});

test('secrets over gRPC: versions, system paths closed, values never in the logs', async () => {
  const put = (value: string) => call<{ metadata: { version: number } }>(secrets, 'putSecret', PutSecretRequest.fromPartial({ path: 'team/api-key', value: Buffer.from(value) }), tokens.admin);
  assert.is((await put(SECRET_VALUE)).metadata.version, 1);
  assert.is((await put(`${SECRET_VALUE}-2`)).metadata.version, 2);
  const got = await call<GetSecretResponse>(secrets, 'getSecret', GetSecretRequest.fromPartial({ path: 'team/api-key', version: 1 }), tokens.admin);
  assert.is(Buffer.from(got.value).toString(), SECRET_VALUE);
  const list = await call<ListSecretsResponse>(secrets, 'listSecrets', ListSecretsRequest.fromPartial({}), tokens.admin);
  assert.equal(list.paths, ['team/api-key']);
  const sys = await refused(call(secrets, 'getSecret', GetSecretRequest.fromPartial({ path: 'system/auth/signing-keys' }), tokens.admin));
  assert.is(sys.code, status.PERMISSION_DENIED);
  const bad = await refused(call(secrets, 'putSecret', PutSecretRequest.fromPartial({ path: '../x', value: Buffer.from(SECRET_VALUE) }), tokens.admin));
  assert.is(bad.code, status.INVALID_ARGUMENT);
  assert.not.match(bad.details, SECRET_VALUE);
  const cas = await refused(call(secrets, 'putSecret', PutSecretRequest.fromPartial({ path: 'team/api-key', value: Buffer.from(SECRET_VALUE), checkAndSet: { $case: 'cas', cas: 1 } }), tokens.admin));
  assert.is(cas.code, status.FAILED_PRECONDITION);
  // cas = 0 is set (the oneof says so), not "unset": the path exists, so the write is refused.
  const casZero = await refused(call(secrets, 'putSecret', PutSecretRequest.fromPartial({ path: 'team/api-key', value: Buffer.from(SECRET_VALUE), checkAndSet: { $case: 'cas', cas: 0 } }), tokens.admin));
  assert.is(casZero.code, status.FAILED_PRECONDITION);
  assert.is((await refused(call(secrets, 'getSecret', GetSecretRequest.fromPartial({ path: 'team/none' }), tokens.admin))).code, status.NOT_FOUND);
  const logs = fs.logs.join('');
  for (const secret of [SECRET_VALUE, Buffer.from(SECRET_VALUE).toString('base64'), PW, 'bootstrap-admin-password']) assert.not.match(logs, secret);
});

test('UpdateUser over gRPC: unset fields stay as they are, a false or zero value is a change', async () => {
  await call(auth, 'createUser', CreateUserRequest.fromPartial({ username: 'upd', password: PW, role: Role.ROLE_VIEWER }), tokens.admin);
  const update = (req: object) => call<{ user: { role: Role; disabled: boolean } }>(auth, 'updateUser', UpdateUserRequest.fromPartial({ user: 'upd', ...req }), tokens.admin);
  let u = (await update({ disabledChange: { $case: 'disabled', disabled: true } })).user;
  assert.equal([u.role, u.disabled], [Role.ROLE_VIEWER, true]);
  assert.is((await refused(login('upd'))).code, status.UNAUTHENTICATED);
  u = (await update({ disabledChange: { $case: 'disabled', disabled: false } })).user;
  assert.equal([u.role, u.disabled], [Role.ROLE_VIEWER, false]);
  u = (await update({ roleChange: { $case: 'role', role: Role.ROLE_PLANNER } })).user;
  assert.equal([u.role, u.disabled], [Role.ROLE_PLANNER, false]);
  u = (await update({ passwordChange: { $case: 'password', password: `${PW}, changed` } })).user;
  assert.equal([u.role, u.disabled], [Role.ROLE_PLANNER, false]);
  assert.ok((await login('upd', `${PW}, changed`)).accessToken);
  assert.is((await refused(update({ roleChange: { $case: 'role', role: Role.ROLE_UNSPECIFIED } }))).code, status.INVALID_ARGUMENT);
  await call(auth, 'deleteUser', DeleteUserRequest.fromPartial({ user: 'upd' }), tokens.admin);
});

test('users over gRPC: duplicate names ALREADY_EXISTS, unknown users NOT_FOUND, deleted users lose their tokens', async () => {
  const dup = await refused(call(auth, 'createUser', CreateUserRequest.fromPartial({ username: 'PAT', password: PW, role: Role.ROLE_VIEWER }), tokens.admin));
  assert.is(dup.code, status.ALREADY_EXISTS);
  assert.is((await refused(call(auth, 'deleteUser', DeleteUserRequest.fromPartial({ user: 'nobody' }), tokens.admin))).code, status.NOT_FOUND);
  await call(auth, 'createUser', CreateUserRequest.fromPartial({ username: 'temp', password: PW, role: Role.ROLE_VIEWER }), tokens.admin);
  const t = await login('temp');
  await call(auth, 'deleteUser', DeleteUserRequest.fromPartial({ user: 'temp' }), tokens.admin);
  assert.is((await refused(listDomains(t.accessToken))).code, status.UNAUTHENTICATED);
  assert.is((await refused(call(auth, 'refreshToken', RefreshTokenRequest.fromPartial({ refreshToken: t.refreshToken })))).code, status.UNAUTHENTICATED);
});

test('DataService: planning calls land in the plan history (viewers read it), data status for admins', async () => {
  await call(planner, 'plan', PlanRequest.fromPartial({ domain: 'fake', problemJson: JSON.stringify({ state: {}, todo: [['go']] }) }), tokens.planner);
  await fs.foundation.planHistory.flush();
  const h = await call<ListPlanHistoryResponse>(data, 'listPlanHistory', ListPlanHistoryRequest.fromPartial({ limit: 10 }), tokens.viewer);
  const rec = h.records.find((r) => r.username === 'pat');
  assert.ok(rec, JSON.stringify(h.records));
  assert.equal([rec.method, rec.domainName, rec.status, rec.domainId.length], ['Plan', 'fake', 'plan', 64]);
  const st = await call<GetDataStatusResponse>(data, 'getDataStatus', GetDataStatusRequest.fromPartial({}), tokens.admin);
  assert.is(st.schemaVersion, MIGRATIONS.at(-1)!.version);
  assert.is(st.backend, process.env.DATABASE_URL ? 'postgres' : 'pglite');
});

test.run();
