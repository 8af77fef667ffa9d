/**
 * The embedded secrets backend: AES-256-GCM file, master key from
 * ARIA_MASTER_KEY or a 0600 key file; and the service rules shared by all
 * backends (paths, sizes, system paths, values kept out of messages).
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { FileSecretStore } from '../../../server/src/services/secrets/file-secret-store.js';
import { loadMasterKey, parseMasterKey } from '../../../server/src/services/secrets/master-key.js';
import { openSecrets } from '../../../server/src/services/secrets/open-secrets.js';
import { MAX_VERSIONS } from '../../../server/src/services/secrets/secret-store.js';
import { SecretsService } from '../../../server/src/services/secrets/secrets-service.js';
import { secretStoreContract } from '../../support/secret-store-contract.js';

const KEY = Buffer.alloc(32, 7);
const VALUE = 'hunter2-very-secret-value';
let dir: string;
const test = suite('secrets: local encrypted file');
test.before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'aria-secrets-'));
});
test.after(async () => {
  await rm(dir, { recursive: true, force: true });
});
let n = 0;
const fresh = () => FileSecretStore.open(join(dir, `store-${n++}.enc`), KEY);

secretStoreContract(test, fresh);

test('the file holds neither values nor paths in clear, survives a reopen, and refuses a wrong key', async () => {
  const file = join(dir, 'reopen.enc');
  const s = await FileSecretStore.open(file, KEY);
  await s.put('service/password', Buffer.from(VALUE));
  const raw = await readFile(file, 'utf8');
  assert.not.match(raw, VALUE);
  assert.not.match(raw, 'service/password');
  assert.not.match(raw, Buffer.from(VALUE).toString('base64'));
  assert.is((await stat(file)).mode & 0o777, 0o600);
  await s.put('__proto__', Buffer.from('kept'));
  const again = await FileSecretStore.open(file, KEY);
  assert.is((await again.get('service/password')).value.toString(), VALUE);
  assert.is((await again.get('__proto__')).value.toString(), 'kept');
  assert.equal(await again.list(''), ['__proto__', 'service/password']);
  try {
    await FileSecretStore.open(file, Buffer.alloc(32, 8));
    assert.unreachable('a wrong key must not open the store');
  } catch (err) {
    assert.match((err as Error).message, /cannot decrypt/);
    assert.not.match((err as Error).message, VALUE);
  }
  const tampered = JSON.parse(raw);
  tampered.data = Buffer.from(Buffer.from(tampered.data, 'base64').map((b: number, i: number) => (i === 3 ? b ^ 1 : b))).toString('base64');
  await writeFile(file, JSON.stringify(tampered));
  try {
    await FileSecretStore.open(file, KEY);
    assert.unreachable('a tampered file must not open');
  } catch (err) {
    assert.match((err as Error).message, /cannot decrypt/);
  }
});

test(`only the newest ${MAX_VERSIONS} versions are kept`, async () => {
  const s = await fresh();
  for (let i = 1; i <= MAX_VERSIONS + 2; i++) await s.put('many', Buffer.from(String(i)));
  assert.is((await s.get('many', MAX_VERSIONS + 2)).value.toString(), String(MAX_VERSIONS + 2));
  assert.is((await s.get('many', 3)).value.toString(), '3');
  try {
    await s.get('many', 2);
    assert.unreachable('version 2 was dropped');
  } catch (err) {
    assert.is((err as Error).name, 'NotFoundError');
  }
});

test('the key file is created with mode 0600, reused, and refused when others can read it', async () => {
  const keyFile = join(dir, 'keys', 'master.key');
  const first = await loadMasterKey(undefined, keyFile);
  assert.is(first.source, 'new-file');
  assert.is((await stat(keyFile)).mode & 0o777, 0o600);
  const second = await loadMasterKey(undefined, keyFile);
  assert.equal(second.key, first.key);
  await chmod(keyFile, 0o644);
  try {
    await loadMasterKey(undefined, keyFile);
    assert.unreachable('a readable key file must be refused');
  } catch (err) {
    assert.match((err as Error).message, /chmod 600/);
  }
  const [a, b] = await Promise.all([loadMasterKey(undefined, join(dir, 'race.key')), loadMasterKey(undefined, join(dir, 'race.key'))]);
  assert.equal(a.key, b.key);
});

test('ARIA_MASTER_KEY: 32 bytes in base64 or hex; anything else is refused without being echoed', async () => {
  assert.equal(parseMasterKey(KEY.toString('base64')), KEY);
  assert.equal(parseMasterKey(KEY.toString('hex')), KEY);
  for (const bad of ['short-secret-key', Buffer.alloc(31).toString('base64'), 'z'.repeat(64)]) {
    try {
      parseMasterKey(bad);
      assert.unreachable('must be refused');
    } catch (err) {
      assert.not.match((err as Error).message, bad);
    }
  }
  const svc = await openSecrets({ dataDir: join(dir, 'env-key'), env: { ARIA_MASTER_KEY: KEY.toString('base64') } });
  assert.is(svc.backend, 'file');
  await svc.put('x', Buffer.from('y'));
});

test('the service: checked paths and sizes, system paths closed to clients, values redacted in logs', async () => {
  const svc = new SecretsService(await fresh());
  for (const bad of ['', '../etc/passwd', 'a//b', '/a', 'a/', 'a b', 'a/%2e%2e', 'x?y']) {
    try {
      await svc.put(bad, Buffer.from('v'));
      assert.unreachable(`path ${JSON.stringify(bad)} must be refused`);
    } catch (err) {
      assert.is((err as Error).name, 'InvalidArgumentError');
    }
  }
  try {
    await svc.put('big', Buffer.alloc(64 * 1024 + 1));
    assert.unreachable('an oversized value must be refused');
  } catch (err) {
    assert.is((err as Error).name, 'InvalidArgumentError');
  }
  await svc.put('system/auth/keys', Buffer.from(VALUE));
  await svc.put('app/token', Buffer.from(VALUE));
  for (const p of [svc.clientGet('system/auth/keys'), svc.clientPut('system/x', Buffer.from('v')), svc.clientDelete('system/auth/keys')]) {
    try {
      await p;
      assert.unreachable('system paths are the server\'s');
    } catch (err) {
      assert.is((err as Error).name, 'PermissionDeniedError');
    }
  }
  assert.equal(await svc.clientList(''), ['app/token']);
  const got = await svc.get('app/token');
  const printed = [inspect(got), JSON.stringify(got), String(got.value), `${got.value}`].join('\n');
  assert.not.match(printed, VALUE);
  assert.match(printed, '[redacted]');
  assert.is(got.value.reveal().toString(), VALUE);
  assert.is((await svc.getText('app/token'))?.reveal(), VALUE);
  assert.is(await svc.getText('app/none'), undefined);
});

test.run();
