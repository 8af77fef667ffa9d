#!/usr/bin/env node
/**
 * Ad hoc timing of StorageService transfers against a running server with
 * auth off (for profiling with `node --cpu-prof` on either side):
 *
 *   node bench/storage-transfer.mjs DIST ADDRESS put|get FILE [COUNT]
 *
 * DIST is a build folder (dist, or an older build kept beside it for an
 * A/B run). `put` puts FILE as `adhoc/put` COUNT times, deleting the version
 * and collecting garbage (grace 0) after each; `get` puts FILE once as
 * `adhoc/get`, then gets it COUNT times into FILE.out. Prints seconds per
 * transfer.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { credentials, Metadata } from '@grpc/grpc-js';

const [dist, address, op, file, count = '3'] = process.argv.slice(2);
if (!dist || !address || !['put', 'get'].includes(op) || !file) {
  process.stderr.write('usage: node bench/storage-transfer.mjs DIST ADDRESS put|get FILE [COUNT]\n');
  process.exit(2);
}
const lib = await import(pathToFileURL(resolve(dist, 'server/src/cli/storage-client.js')).href);
const gen = await import(pathToFileURL(resolve(dist, 'gen/ts/aria/storage/v1/storage.js')).href);
// An older build has no StorageClient: the generated client then.
const Client = lib.StorageClient ?? gen.StorageServiceClient;
const client = new Client(address, credentials.createInsecure(), {});
const md = new Metadata();
const unary = (method, request) => new Promise((ok, fail) => client[method](request, md, (e, r) => (e ? fail(e) : ok(r))));
const source = () => createReadStream(file, { highWaterMark: 1 << 20 });
if (op === 'get') await lib.putAsset(client, 'adhoc/get', source(), md);
for (let i = 0; i < Number(count); i++) {
  const t0 = performance.now();
  if (op === 'put') {
    const r = await lib.putAsset(client, 'adhoc/put', source(), md);
    const s = (performance.now() - t0) / 1000;
    await unary('deleteAssetVersion', { name: 'adhoc/put', version: r.asset.version });
    await unary('collectGarbage', { dryRun: false, grace: { $case: 'graceSeconds', graceSeconds: 0 } });
    process.stdout.write(`put ${s.toFixed(3)} s\n`);
  } else {
    const out = createWriteStream(`${file}.out`);
    let n = 0;
    for await (const m of lib.getAsset(client, 'adhoc/get', 0, 0, md)) {
      if (m.data.length > 0 && !out.write(m.data)) await once(out, 'drain');
      n += m.data.length;
    }
    out.end();
    await once(out, 'finish');
    process.stdout.write(`get ${n} bytes ${((performance.now() - t0) / 1000).toFixed(3)} s\n`);
  }
}
client.close();
