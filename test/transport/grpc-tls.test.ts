/**
 * TLS and mTLS (issue 14, item 5). A throwaway CA, a server certificate for
 * 127.0.0.1 and client certificates (one from the CA, one from a stranger
 * CA) are made with openssl in a temporary folder. `aria serve --tls-cert
 * --tls-key` answers `aria plan --server --tls-ca` and refuses clear text;
 * a server whose PEMs are secrets with a client CA refuses clients without
 * a certificate or with a stranger's; `--insecure` on a non-loopback
 * address starts with one warning line.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, credentials, type ChannelCredentials, type ServiceError } from '@grpc/grpc-js';
import { pino } from 'pino';
import { startServerWithFoundation } from '../../server/src/app/serve-with-foundation.js';
import { FileSecretStore } from '../../server/src/services/secrets/file-secret-store.js';
import { runAria, startAria } from '../support/aria-process.js';

const dir = mkdtempSync(join(tmpdir(), 'aria-tls-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));
const f = (name: string) => join(dir, name);

function openssl(...args: string[]): void {
  execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

/** A CA named `name`, and a certificate it signs for `cn` (with `ext` extensions). */
function makeCa(name: string): void {
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', `/CN=${name}`, '-keyout', f(`${name}.key`), '-out', f(`${name}.pem`));
}
function makeCert(ca: string, name: string, cn: string, ext: string): void {
  openssl('req', '-newkey', 'rsa:2048', '-nodes', '-subj', `/CN=${cn}`, '-keyout', f(`${name}.key`), '-out', f(`${name}.csr`));
  writeFileSync(f(`${name}.ext`), ext);
  openssl('x509', '-req', '-in', f(`${name}.csr`), '-CA', f(`${ca}.pem`), '-CAkey', f(`${ca}.key`), '-CAcreateserial', '-days', '2', '-extfile', f(`${name}.ext`), '-out', f(`${name}.pem`));
}

makeCa('ca');
makeCa('stranger-ca');
makeCert('ca', 'server', '127.0.0.1', 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
makeCert('ca', 'client', 'good-client', 'extendedKeyUsage=clientAuth\n');
makeCert('stranger-ca', 'stranger', 'stranger-client', 'extendedKeyUsage=clientAuth\n');
const pem = (name: string) => readFileSync(f(name));

/** A health check (grpc.health.v1.Health/Check, empty request) over `creds`: 'ok' or the failure's status code. */
function healthCheck(address: string, creds: ChannelCredentials): Promise<'ok' | number> {
  const client = new Client(address, creds);
  return new Promise<'ok' | number>((resolve) => {
    client.makeUnaryRequest('/grpc.health.v1.Health/Check', (b: Buffer) => b, (b: Buffer) => b, Buffer.alloc(0), { deadline: Date.now() + 30_000 },
      (err: ServiceError | null) => resolve(err ? err.code : 'ok'));
  }).finally(() => client.close());
}

test('aria serve --tls-cert/--tls-key: aria plan --server --tls-ca plans, a clear-text client fails', async () => {
  const data = f('data-cli');
  const s = await startAria(['--port', '0', '--data-dir', data, '--workers', '1', '--log-level', 'error', '--dev-no-auth', '--tls-cert', f('server.pem'), '--tls-key', f('server.key')]);
  try {
    const problem = f('problem.json');
    writeFileSync(problem, JSON.stringify({ state: { loc: { alice: 'home_a', bob: 'home_b', taxi1: 'park', taxi2: 'station' }, cash: { alice: 20, bob: 15 }, owe: { alice: 0, bob: 0 } }, todo: [['travel', 'alice', 'park']] }));
    const tls = await runAria(['plan', '--server', s.address, '--tls-ca', f('ca.pem'), '--domain', 'simple_htn', '--problem', problem], {}, 120_000);
    assert.is(tls.code, 0, tls.stderr);
    assert.is(JSON.parse(tls.stdout).status, 'plan');
    assert.is(tls.stderr, '', 'nothing on stderr (no notice about the IP as TLS server name)');
    // Dialled by IP, checked for the certificate's other name: what --tls-server-name is for.
    const byName = await runAria(['plan', '--server', s.address, '--tls-ca', f('ca.pem'), '--tls-server-name', 'localhost', '--domain', 'simple_htn', '--problem', problem], {}, 120_000);
    assert.is(byName.code, 0, byName.stderr);
    const wrongName = await runAria(['plan', '--server', s.address, '--tls-ca', f('ca.pem'), '--tls-server-name', 'not-the-server.example', '--domain', 'simple_htn', '--problem', problem], {}, 120_000);
    assert.is(wrongName.code, 69, 'a certificate for another name is not trusted');
    const clear = await runAria(['plan', '--server', s.address, '--domain', 'simple_htn', '--problem', problem], {}, 120_000);
    assert.is.not(clear.code, 0, 'a clear-text client gets nothing');
    assert.is(clear.stdout, '');
    assert.match(clear.stderr, /UNAVAILABLE/);
    assert.is(await healthCheck(s.address, credentials.createSsl(pem('ca.pem'))), 'ok');
    assert.is(await healthCheck(s.address, credentials.createInsecure()), 14);
  } finally {
    assert.is(await s.stop(), 0);
  }
});

test('mTLS from secrets: a client certificate from the CA passes; none, a stranger\'s, or clear text fail', async () => {
  const data = f('data-mtls');
  const masterKey = randomBytes(32);
  // The PEMs are put in the secrets file before the server starts, as an operator would with the SecretsService.
  const store = await FileSecretStore.open(join(data, 'secrets', 'secrets.enc'), masterKey);
  await store.put('tls/server/cert', pem('server.pem'));
  await store.put('tls/server/key', pem('server.key'));
  await store.put('tls/client-ca', pem('ca.pem'));
  await store.close();
  const server = await startServerWithFoundation({
    port: 0, workers: 1, dataDir: data, logger: pino({ level: 'silent' }),
    libraryUrl: new URL('../support/fake-planner.js', import.meta.url).href,
    env: { ARIA_MASTER_KEY: masterKey.toString('base64'), ARIA_ADMIN_PASSWORD: 'tls-test-admin-password' },
    tls: { certSecret: 'tls/server/cert', keySecret: 'tls/server/key', clientCaSecret: 'tls/client-ca' },
  });
  try {
    const ca = pem('ca.pem');
    assert.is(await healthCheck(server.address, credentials.createSsl(ca, pem('client.key'), pem('client.pem'))), 'ok');
    assert.is(await healthCheck(server.address, credentials.createSsl(ca)), 14, 'no client certificate');
    assert.is(await healthCheck(server.address, credentials.createSsl(ca, pem('stranger.key'), pem('stranger.pem'))), 14, 'a stranger CA\'s certificate');
    assert.is(await healthCheck(server.address, credentials.createInsecure()), 14, 'clear text');
  } finally {
    await server.shutdown(1000);
  }
});

test('a TLS secret that does not exist: ConfigError, and the data folder is unlocked again', async () => {
  const data = f('data-no-secret');
  const err = await startServerWithFoundation({
    port: 0, workers: 1, dataDir: data, logger: pino({ level: 'silent' }),
    libraryUrl: new URL('../support/fake-planner.js', import.meta.url).href,
    env: { ARIA_ADMIN_PASSWORD: 'tls-test-admin-password' },
    tls: { certSecret: 'tls/none/cert', keySecret: 'tls/none/key' },
  }).then((s) => s.shutdown(0).then(() => undefined), (e: Error) => e);
  assert.ok(err, 'the server must not start');
  assert.is(err!.name, 'ConfigError');
  assert.match(err!.message, /the TLS certificate secret "tls\/none\/cert" \(--tls-cert-secret\) does not exist/);
  assert.not.ok(existsSync(join(data, 'aria.lock')), 'the lock is released');
});

test('TLS settings that cannot work are refused at start: one line, exit 2', async () => {
  const args = ['serve', '--port', '0', '--workers', '1', '--log-level', 'error'];
  const env = { ARIA_ADMIN_PASSWORD: 'tls-test-admin-password' };
  const missing = await runAria([...args, '--data-dir', f('data-bad-1'), '--tls-cert', f('server.pem'), '--tls-key', f('no-such.key')], env);
  assert.is(missing.code, 2);
  assert.match(missing.stderr.trim(), /^aria: cannot read the TLS private key \(--tls-key\) .*no-such\.key: ENOENT$/);
  const mismatched = await runAria([...args, '--data-dir', f('data-bad-2'), '--tls-cert', f('server.pem'), '--tls-key', f('client.key')], env);
  assert.is(mismatched.code, 2);
  assert.match(mismatched.stderr.trim(), /^aria: TLS certificate, key or client CA is not usable: .*key values mismatch/);
  const half = await runAria([...args, '--data-dir', f('data-bad-3'), '--tls-cert', f('server.pem')], env);
  assert.is(half.code, 2);
  assert.match(half.stderr.trim(), /^aria: TLS needs both a certificate .* and its private key/);
});

test('--insecure lets a non-loopback address listen in clear text, with one warning line', async () => {
  const s = await startAria(['--host', '0.0.0.0', '--insecure', '--port', '0', '--data-dir', f('data-insecure'), '--workers', '1', '--log-level', 'error'], { ARIA_ADMIN_PASSWORD: 'tls-test-admin-password' });
  try {
    assert.equal(s.stderr().trim().split('\n'), ['aria serve: warning: listening on 0.0.0.0 WITHOUT TLS (--insecure): tokens and passwords cross the network in clear text']);
    const port = s.address.split(':').at(-1);
    assert.is(await healthCheck(`127.0.0.1:${port}`, credentials.createInsecure()), 'ok');
  } finally {
    assert.is(await s.stop(), 0);
  }
});

test.run();
