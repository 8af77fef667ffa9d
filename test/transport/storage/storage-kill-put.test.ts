/**
 * A server killed (SIGKILL) in the middle of a put leaves no version, half
 * or whole: after a restart on the same data folder the asset is unknown,
 * and the put, retried, stores version 1, reusing the chunks the killed put
 * had written.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { credentials, Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { StorageServiceClient, type StatAssetResponse } from '../../../gen/ts/aria/storage/v1/storage.js';
import { getAsset, putAsset } from '../../../server/src/cli/storage-client.js';
import { uniqueSchema } from '../../support/data-backends.js';
import { randomBytesFrom } from '../../services/storage/test-data.js';

const MAIN = new URL('../../../server/src/cli/main.js', import.meta.url).pathname;
let dir: string;
const schema = uniqueSchema();

test.before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'aria-kill-put-'));
});
test.after(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** `aria serve` on the test's folder; resolves once it listens. */
function serve(): Promise<{ child: ChildProcess; address: string; exited: Promise<unknown> }> {
  const child = spawn(process.execPath, [MAIN, 'serve', '--port', '0', '--data-dir', dir, '--workers', '1', '--log-level', 'warn', '--dev-no-auth', '--http-port', 'off'], {
    stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, ARIA_DB_SCHEMA: schema },
  });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      const m = /listening on (\S+)/.exec(out);
      if (m) resolve({ child, address: m[1]!, exited });
    });
    child.on('exit', (code) => reject(new Error(`aria serve exited early (${code}): ${out}`)));
  });
}

const stat = (client: StorageServiceClient, name: string) => new Promise<StatAssetResponse>((resolve, reject) => {
  client.statAsset({ name, version: 0 }, new Metadata(), (e, r) => (e ? reject(e) : resolve(r!)));
});

test('SIGKILL during a put: no version after the restart; the retry stores version 1 and reuses the chunks', async () => {
  const data = randomBytesFrom(51, 8_000_000);
  let server = await serve();
  let client = new StorageServiceClient(server.address, credentials.createInsecure());
  async function* killedMidway(): AsyncGenerator<Uint8Array> {
    for (let at = 0; at < 5_000_000; at += 500_000) yield data.subarray(at, at + 500_000);
    await new Promise((r) => setTimeout(r, 500));
    server.child.kill('SIGKILL');
    await server.exited;
    yield data.subarray(5_000_000);
  }
  const failed = await putAsset(client, 'killed/asset', killedMidway(), new Metadata()).then(() => undefined, (e: ServiceError) => e);
  assert.ok(failed, 'the put failed');
  client.close();

  server = await serve();
  client = new StorageServiceClient(server.address, credentials.createInsecure());
  try {
    const gone = await stat(client, 'killed/asset').then(() => undefined, (e: ServiceError) => e);
    assert.is(gone?.code, status.NOT_FOUND);
    async function* all(): AsyncGenerator<Uint8Array> { yield data; }
    const retry = await putAsset(client, 'killed/asset', all(), new Metadata());
    assert.is(retry.asset!.version, 1);
    assert.ok(retry.newChunks < retry.asset!.chunkCount / 2, `${retry.newChunks} new of ${retry.asset!.chunkCount}: the killed put's chunks were reused`);
    const back: Buffer[] = [];
    for await (const m of getAsset(client, 'killed/asset', 0, 0, new Metadata())) back.push(m.data);
    assert.ok(Buffer.concat(back).equals(data));
  } finally {
    client.close();
    server.child.kill('SIGTERM');
    await server.exited;
  }
});

test.run();
