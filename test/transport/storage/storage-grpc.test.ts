/**
 * StorageService over a real socket on a whole server (auth on): put and
 * get several MB, resume from an offset, a 1% change stores few chunks,
 * chunk sync, roles, DATA_LOSS for a corrupt chunk on disk, bad names, a
 * put cancelled midway leaves no version, health, and the read-only chunk
 * store on the HTTP port (no traversal).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { status, type Client, type ServiceError } from '@grpc/grpc-js';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { CreateUserRequest, LoginRequest, Role, AuthServiceClient, type CreateUserResponse, type LoginResponse } from '../../../gen/ts/aria/auth/v1/auth.js';
import { StorageServiceClient, type MissingChunksResponse, type StatAssetResponse, type PutAssetIndexResponse, type PutChunksResponse } from '../../../gen/ts/aria/storage/v1/storage.js';
import { decodeBlobIndex } from '../../../server/src/services/storage/index.js';
import { putAsset, getAsset } from '../../../server/src/cli/storage-client.js';
import { bearer, call, clientFor, foundationServer, refused, type FoundationServer } from '../../support/foundation-server.js';
import { httpRequest } from '../../support/http-get.js';
import { randomBytesFrom } from '../../services/storage/test-data.js';

const PW = 'a long enough password';
let fs: FoundationServer;
let auth: Client;
let storage: StorageServiceClient;
const tokens: Record<'admin' | 'planner' | 'viewer', string> = { admin: '', planner: '', viewer: '' };
const login = async (username: string, password = PW) => (await call<LoginResponse>(auth, 'login', LoginRequest.fromPartial({ username, password }))).tokens!;

test.before(async () => {
  fs = await foundationServer({ httpPort: 0 });
  auth = clientFor(AuthServiceClient, fs.address);
  storage = clientFor(StorageServiceClient, fs.address);
  tokens.admin = (await login('admin', 'bootstrap-admin-password')).accessToken;
  for (const [name, role] of [['pat', Role.ROLE_PLANNER], ['val', Role.ROLE_VIEWER]] as const) {
    await call<CreateUserResponse>(auth, 'createUser', CreateUserRequest.fromPartial({ username: name, password: PW, role }), tokens.admin);
  }
  tokens.planner = (await login('pat')).accessToken;
  tokens.viewer = (await login('val')).accessToken;
});
test.after(async () => {
  auth?.close();
  storage?.close();
  await fs?.stop();
});

async function* pieces(data: Buffer, size = 300_000): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < data.length; i += size) yield data.subarray(i, i + size);
}

async function get(name: string, version = 0, offset = 0, token = tokens.viewer): Promise<{ data: Buffer; messages: number; version: number }> {
  const out: Buffer[] = [];
  let messages = 0;
  let v = 0;
  for await (const m of getAsset(storage, name, version, offset, bearer(token))) {
    if (m.asset) v = m.asset.version;
    out.push(m.data);
    messages++;
  }
  return { data: Buffer.concat(out), messages, version: v };
}

const failure = async (p: Promise<unknown>): Promise<ServiceError> => {
  try {
    await p;
  } catch (err) {
    return err as ServiceError;
  }
  throw new Error('expected a failure');
};

test('put and get 6 MB round trip; resume from an offset; health SERVING', async () => {
  const data = randomBytesFrom(21, 6_000_000);
  const put = await putAsset(storage, 'chars/hero/body.mesh', pieces(data), bearer(tokens.planner));
  assert.is(put.asset!.version, 1);
  assert.is(put.asset!.size, data.length);
  assert.is(put.asset!.owner, 'pat');
  assert.is(put.newChunks, put.asset!.chunkCount);
  assert.is(put.contentDigest, createHash('sha512-256').update(data).digest('hex'));
  const back = await get('chars/hero/body.mesh');
  assert.ok(back.data.equals(data));
  assert.is(back.version, 1);
  const resumed = await get('chars/hero/body.mesh', 1, 4_321_000);
  assert.ok(resumed.data.equals(data.subarray(4_321_000)));
  assert.ok(resumed.messages < back.messages, `resume got ${resumed.messages} messages, the whole get ${back.messages}`);
  const health = await httpRequest(`http://${fs.server.http!.address}/healthz`);
  assert.is(JSON.parse(health.body).services['aria.storage.v1.StorageService'], 'SERVING');
});

test('a second version with 1% changed bytes stores only a few new chunks', async () => {
  const data = randomBytesFrom(22, 5_000_000);
  const first = await putAsset(storage, 'anim/walk', pieces(data), bearer(tokens.planner));
  const changed = Buffer.from(data);
  // 1% of the bytes, one patch of 50 KB: the chunks around it change, the others are found in the store.
  randomBytesFrom(200, 50_000).copy(changed, 2_300_000);
  const second = await putAsset(storage, 'anim/walk', pieces(changed), bearer(tokens.planner));
  assert.is(second.asset!.version, 2);
  assert.ok(second.newChunks >= 1 && second.newChunks <= 4, `${second.newChunks} new chunks of ${second.asset!.chunkCount}`);
  assert.ok(second.newBytes < 0.05 * data.length, `${second.newBytes} new bytes`);
  assert.ok(first.asset!.chunkCount > 50);
  assert.ok((await get('anim/walk', 2)).data.equals(changed));
});

test('chunk sync: MissingChunks, PutChunks, PutAssetIndex', async () => {
  const data = randomBytesFrom(23, 2_000_000);
  await putAsset(storage, 'sync/base', pieces(data.subarray(0, 1_000_000)), bearer(tokens.planner));
  // The client's own index: cut the same way the server cuts (here: by a put under another name, then read back).
  const tmp = await putAsset(storage, 'sync/tmp', pieces(data), bearer(tokens.planner));
  const idx = fs.server.storage.service;
  const { index } = await idx.index('sync/tmp', tmp.asset!.version);
  await call(storage, 'deleteAssetVersion', { name: 'sync/tmp', version: 1 }, tokens.admin);
  const items = decodeBlobIndex(index).items;
  const ask = await call<MissingChunksResponse>(storage, 'missingChunks', { chunkIds: items.map((i) => Buffer.from(i.id)) }, tokens.planner);
  assert.is(ask.chunkIds.length, 0, 'every chunk is there already (the deleted version left them)');
  const put = await call<PutAssetIndexResponse>(storage, 'putAssetIndex', { name: 'sync/synced', index }, tokens.planner);
  assert.is(put.asset!.size, data.length);
  assert.ok((await get('sync/synced')).data.equals(data));
  // PutChunks checks each chunk against its id.
  const bad = await failure(new Promise<PutChunksResponse>((resolve, reject) => {
    const c = storage.putChunks(bearer(tokens.planner), (e, r) => (e ? reject(e) : resolve(r!)));
    c.write({ chunkId: Buffer.from(items[0]!.id), data: Buffer.from('not that chunk') });
    c.end();
  }));
  assert.is(bad.code, status.INVALID_ARGUMENT);
  const good = await new Promise<PutChunksResponse>((resolve, reject) => {
    const c = storage.putChunks(bearer(tokens.planner), (e, r) => (e ? reject(e) : resolve(r!)));
    c.write({ chunkId: Buffer.from(items[0]!.id), data: data.subarray(0, items[0]!.end) });
    c.end();
  });
  assert.equal(good, { received: 1, stored: 0 });
  const truncated = await failure(call(storage, 'putAssetIndex', { name: 'sync/bad', index: index.subarray(0, 100) }, tokens.planner));
  assert.is(truncated.code, status.INVALID_ARGUMENT);
});

test('roles: a viewer cannot put, a planner cannot delete or collect garbage', async () => {
  const v = await failure(putAsset(storage, 'roles/x', pieces(Buffer.from('x')), bearer(tokens.viewer)));
  assert.is(v.code, status.PERMISSION_DENIED);
  await putAsset(storage, 'roles/x', pieces(Buffer.from('x')), bearer(tokens.planner));
  assert.is((await refused(call(storage, 'deleteAssetVersion', { name: 'roles/x', version: 1 }, tokens.planner))).code, status.PERMISSION_DENIED);
  assert.is((await refused(call(storage, 'collectGarbage', { dryRun: true }, tokens.planner))).code, status.PERMISSION_DENIED);
  assert.is((await refused(call(storage, 'statAsset', { name: 'roles/x', version: 0 }))).code, status.UNAUTHENTICATED);
  assert.is((await call<StatAssetResponse>(storage, 'statAsset', { name: 'roles/x', version: 0 }, tokens.viewer)).asset!.size, 1);
  await call(storage, 'deleteAssetVersion', { name: 'roles/x', version: 1 }, tokens.admin);
  assert.is((await refused(call(storage, 'statAsset', { name: 'roles/x', version: 1 }, tokens.viewer))).code, status.NOT_FOUND);
});

test('bad names are INVALID_ARGUMENT with a bounded echo', async () => {
  for (const name of ['', '../etc/passwd', 'a//b', 'sp ace', 'x'.repeat(10_000)]) {
    const f = await refused(call(storage, 'statAsset', { name, version: 0 }, tokens.viewer));
    assert.is(f.code, status.INVALID_ARGUMENT, name.slice(0, 20));
    assert.ok(f.details.length < 500);
  }
  const p = await failure(putAsset(storage, 'bad name', pieces(Buffer.from('x')), bearer(tokens.planner)));
  assert.is(p.code, status.INVALID_ARGUMENT);
});

test('a corrupt chunk file on disk: GetAsset is DATA_LOSS naming the chunk and the asset', async () => {
  const data = randomBytesFrom(24, 1_000_000);
  await putAsset(storage, 'corrupt/me', pieces(data), bearer(tokens.planner));
  const { index } = await fs.server.storage.service.index('corrupt/me', 1);
  const victim = Buffer.from(decodeBlobIndex(index).items[3]!.id).toString('hex');
  const path = join(fs.dataDir, 'storage', 'store', victim.slice(0, 4), `${victim}.cacnk`);
  const frame = await readFile(path);
  frame[Math.floor(frame.length / 2)] ^= 0x55;
  await writeFile(path, frame);
  const f = await failure(get('corrupt/me'));
  assert.is(f.code, status.DATA_LOSS);
  assert.ok(f.details.includes(victim) && f.details.includes('corrupt/me'), f.details);
  // Before the corrupt chunk, a resume past it still works.
  const after = decodeBlobIndex(index).items[3]!.end;
  assert.ok((await get('corrupt/me', 1, after)).data.equals(data.subarray(after)));
});

test('a put cancelled midway leaves no version, and a retry works', async () => {
  const data = randomBytesFrom(25, 4_000_000);
  const ac = new AbortController();
  async function* slow(): AsyncGenerator<Uint8Array> {
    yield data.subarray(0, 2_000_000);
    await new Promise((r) => setTimeout(r, 300));
    ac.abort();
    yield data.subarray(2_000_000);
  }
  const f = await failure(putAsset(storage, 'cancel/me', slow(), bearer(tokens.planner), { signal: ac.signal }));
  assert.is(f.code, status.CANCELLED);
  await new Promise((r) => setTimeout(r, 200));
  assert.is((await refused(call(storage, 'statAsset', { name: 'cancel/me', version: 0 }, tokens.viewer))).code, status.NOT_FOUND);
  const retry = await putAsset(storage, 'cancel/me', pieces(data), bearer(tokens.planner));
  assert.is(retry.asset!.version, 1);
  assert.ok(retry.newChunks < retry.asset!.chunkCount, 'the first attempt\'s chunks were reused');
  assert.ok((await get('cancel/me')).data.equals(data));
});

test('an empty asset: a version of size 0, and a get of one message with its metadata', async () => {
  async function* none(): AsyncGenerator<Uint8Array> {}
  const put = await putAsset(storage, 'empty/x', none(), bearer(tokens.planner));
  assert.equal([put.asset!.size, put.asset!.chunkCount], [0, 0]);
  const back = await get('empty/x');
  assert.equal([back.data.length, back.messages, back.version], [0, 1, 1]);
});

test('a stream that ends without its end message stores nothing', async () => {
  const f = await failure(new Promise((resolve, reject) => {
    const c = storage.putAsset(bearer(tokens.planner), (e, r) => (e ? reject(e) : resolve(r)));
    c.write({ part: { $case: 'header', header: { name: 'noend/x' } } });
    c.write({ part: { $case: 'data', data: Buffer.from('abc') } });
    c.end();
  }));
  assert.is(f.code, status.CANCELLED);
  assert.is((await refused(call(storage, 'statAsset', { name: 'noend/x', version: 0 }, tokens.viewer))).code, status.NOT_FOUND);
});

test('HTTP: the chunk store read-only at /storage/store/, nothing else', async () => {
  const data = randomBytesFrom(26, 300_000);
  await putAsset(storage, 'http/a', pieces(data), bearer(tokens.planner));
  const { index } = await fs.server.storage.service.index('http/a', 1);
  const id = Buffer.from(decodeBlobIndex(index).items[0]!.id).toString('hex');
  const base = `http://${fs.server.http!.address}`;
  const ok = await httpRequest(`${base}/storage/store/${id.slice(0, 4)}/${id}.cacnk`);
  assert.is(ok.status, 200);
  for (const bad of [
    `/storage/store/${id.slice(0, 4)}/${id.toUpperCase()}.cacnk`, `/storage/store/0000/${id}.cacnk`, `/storage/store/${id.slice(0, 4)}/../../../secrets.json`,
    '/storage/store/%2e%2e/%2e%2e/secrets.json', `/storage/store/${id.slice(0, 4)}/${id}.cacnk/x`, '/storage/store/', `/storage/store/${'0'.repeat(4)}/${'0'.repeat(64)}.cacnk`,
  ]) {
    assert.is((await httpRequest(base + bad)).status, 404, bad);
  }
  assert.is((await httpRequest(`${base}/storage/store/${id.slice(0, 4)}/${id}.cacnk`, 'POST')).status, 405);
});

test.run();
