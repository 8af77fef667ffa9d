/**
 * Debian's casync reads a running server's store: an asset put over gRPC
 * is extracted byte-identical by `casync extract` from the store over the
 * server's HTTP port (`--store=http://.../storage/store/`) and from the
 * folder on disk (`--store=<dataDir>/storage/store`). Without casync the
 * file says so and passes, unless ARIA_REQUIRE_CASYNC=1 (CI) demands it.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { StorageServiceClient } from '../../../gen/ts/aria/storage/v1/storage.js';
import { putAsset } from '../../../server/src/cli/storage-client.js';
import { bearer, clientFor, foundationServer, type FoundationServer } from '../../support/foundation-server.js';
import { randomBytesFrom, repeated } from '../../services/storage/test-data.js';

const CASYNC = '/usr/bin/casync';
const run = promisify(execFile);

if (!existsSync(CASYNC)) {
  console.log('casync not installed: HTTP interop skipped');
  test('casync is installed where CI requires it', () => {
    assert.ok(process.env.ARIA_REQUIRE_CASYNC !== '1', `ARIA_REQUIRE_CASYNC=1 but ${CASYNC} is missing (apt-get install casync)`);
  });
} else {
  let fs: FoundationServer;
  let client: StorageServiceClient;
  let dir: string;
  test.before(async () => {
    fs = await foundationServer({ httpPort: 0, devNoAuth: true });
    client = clientFor(StorageServiceClient, fs.address);
    dir = await mkdtemp(join(tmpdir(), 'aria-casync-http-'));
  });
  test.after(async () => {
    client?.close();
    await fs?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  test('casync extract reads an asset from the server\'s store over HTTP and on disk', async () => {
    const data = Buffer.concat([randomBytesFrom(31, 3_000_000), repeated(randomBytesFrom(32, 100_003), 1_000_000)]);
    async function* one(): AsyncGenerator<Uint8Array> { yield data; }
    const put = await putAsset(client, 'casync/hero.bin', one(), bearer());
    const { index } = await fs.server.storage.service.index('casync/hero.bin', put.asset!.version);
    const indexPath = join(dir, 'hero.caibx');
    await writeFile(indexPath, index);
    const url = `http://${fs.server.http!.address}/storage/store/`;
    await run(CASYNC, ['extract', `--store=${url}`, indexPath, join(dir, 'out-http')], { timeout: 60_000 });
    assert.ok((await readFile(join(dir, 'out-http'))).equals(data), 'over HTTP');
    await run(CASYNC, ['extract', `--store=${join(fs.dataDir, 'storage', 'store')}`, indexPath, join(dir, 'out-disk')], { timeout: 60_000 });
    assert.ok((await readFile(join(dir, 'out-disk'))).equals(data), 'from the folder');
  });
}

test.run();
