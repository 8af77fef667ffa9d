/**
 * The Vault/OpenBao KV v2 backend through node-vault, against a loopback
 * server that implements the KV v2 endpoints node-vault calls (no Vault
 * can be installed where the tests run; see test/support/fake-vault.ts).
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openSecrets } from '../../../server/src/services/secrets/open-secrets.js';
import { VaultSecretStore } from '../../../server/src/services/secrets/vault-secret-store.js';
import { FakeVault } from '../../support/fake-vault.js';
import { secretStoreContract } from '../../support/secret-store-contract.js';

const TOKEN = 's.test-token';
const VALUE = 'vault-secret-value-42';
let vault: FakeVault;
const test = suite('secrets: Vault KV v2 (loopback fake)');
test.before(async () => {
  vault = new FakeVault(TOKEN);
  await vault.start();
});
test.after(async () => {
  await vault.stop();
});
let n = 0;
const fresh = async () => new VaultSecretStore({ endpoint: vault.address, token: TOKEN, prefix: `run${n++}` });

secretStoreContract(test, fresh);

test('requests go to <mount>/data|metadata/<prefix>/<path>; the value travels only in the body', async () => {
  const store = new VaultSecretStore({ endpoint: vault.address, token: TOKEN, mount: 'secret', prefix: 'aria' });
  vault.requests.length = 0;
  await store.put('db/url', Buffer.from(VALUE));
  await store.get('db/url');
  await store.list('db');
  assert.equal(vault.requests.slice(0, 2), ['POST /v1/secret/data/aria/db/url', 'GET /v1/secret/data/aria/db/url']);
  assert.ok(vault.requests.every((r) => !r.includes(VALUE)));
  assert.equal(vault.secrets.get('aria/db/url')?.[0].data, { value: Buffer.from(VALUE).toString('base64'), encoding: 'base64' });
});

test('a secret written by another tool (value=... in UTF-8, or other fields) reads back', async () => {
  vault.secrets.set('aria/ext/plain', [{ data: { value: 'postgres://u:p@h/db' }, created: new Date().toISOString() }]);
  vault.secrets.set('aria/ext/fields', [{ data: { user: 'u', pass: 'p' }, created: new Date().toISOString() }]);
  const store = new VaultSecretStore({ endpoint: vault.address, token: TOKEN });
  assert.is((await store.get('ext/plain')).value.toString(), 'postgres://u:p@h/db');
  assert.equal(JSON.parse((await store.get('ext/fields')).value.toString()), { user: 'u', pass: 'p' });
});

test('a refused token and an unreachable Vault are UnavailableError, without the value or the token', async () => {
  const wrong = new VaultSecretStore({ endpoint: vault.address, token: 'wrong-token' });
  try {
    await wrong.put('x', Buffer.from(VALUE));
    assert.unreachable('a wrong token must fail');
  } catch (err) {
    assert.is((err as Error).name, 'UnavailableError');
    assert.match((err as Error).message, /HTTP 403/);
    assert.not.match((err as Error).message, VALUE);
    assert.not.match((err as Error).message, 'wrong-token');
  }
  const gone = new VaultSecretStore({ endpoint: 'http://127.0.0.1:1', token: TOKEN, timeoutMs: 1000 });
  try {
    await gone.get('x');
    assert.unreachable('an unreachable Vault must fail');
  } catch (err) {
    assert.is((err as Error).name, 'UnavailableError');
  }
});

test('openSecrets picks Vault when VAULT_ADDR and VAULT_TOKEN are set', async () => {
  const svc = await openSecrets({ dataDir: '/nonexistent', env: { VAULT_ADDR: vault.address, VAULT_TOKEN: TOKEN, VAULT_KV_PREFIX: 'picked' } });
  assert.is(svc.backend, 'vault');
  await svc.put('k', Buffer.from('v'));
  assert.ok(vault.secrets.has('picked/k'));
});

test.run();
