/**
 * `storage/...`: the casync-compatible store on one 64 MiB file of mixed
 * data, one operation = the whole file, so ops/s × 64 MiB is the speed.
 *
 * - `storage/chunk-64m`: the WebAssembly chunker alone (fed 1 MiB pieces).
 * - `storage/make-64m`: makeBlob into an empty store: chunk, SHA-512/256, zstd, write.
 * - `storage/casync-make-64m`: `casync make` of the same file into an empty
 *   store, side by side (only when /usr/bin/casync is installed).
 * - `storage/grpc-put-64m`: PutAsset over loopback gRPC to an `aria serve`
 *   child (auth off), the way `aria storage put` sends a file; the
 *   operation then deletes the version and collects garbage (grace 0) so
 *   that the next put finds an empty store, as casync make does. The
 *   report also gives the put alone.
 * - `storage/grpc-get-64m`: GetAsset of that file over loopback gRPC into
 *   a file, the way `aria storage get` writes one.
 * - `storage/casync-extract-64m`: `casync extract` of the same file from a
 *   local store made by `casync make` (casync installed only).
 * - `storage/put-second-version-1pct`: a second version with 1% of the
 *   bytes changed (ten patches), sent by chunk sync (client-side chunking,
 *   MissingChunks, PutChunks of the missing ones, PutAssetIndex); the
 *   report gives bytes sent and stored as a share of the asset.
 */
import { createReadStream, createWriteStream, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { credentials, Metadata } from '@grpc/grpc-js';
import { StorageServiceClient, type PutChunksResponse } from '../../gen/ts/aria/storage/v1/storage.js';
import { getAsset, putAsset, StorageClient } from '../../server/src/cli/storage-client.js';
import { Chunker, chunkBlob, decodeBlobIndex, makeBlob } from '../../server/src/services/storage/index.js';
import { zstdCompress, zstdReady } from '../../server/src/services/storage/zstd.js';
import type { BenchCase, CaseDriver, OpResult, Resource } from './case-types.js';
import { ServerProcess } from './server-process.js';
import { selfRss } from './wasm-cases.js';

/** Bytes in the benchmark file. */
export const STORAGE_BENCH_BYTES = 64 * 1024 * 1024;
const CASYNC = '/usr/bin/casync';
const NO_PLAN: OpResult = { planLength: null };

/**
 * Mixed content, the same on every run: runs of pseudo-random bytes (as in
 * compressed textures), of zeros (padding) and of a repeated text-like
 * block (manifests, meshes in text form), in 1 MiB stretches.
 */
function mixedData(): Buffer {
  const out = Buffer.alloc(STORAGE_BENCH_BYTES);
  const text = Buffer.from(Array.from({ length: 2000 }, (_, i) => `vertex ${i % 331} ${(i * 7) % 97}.5 ${(i * 13) % 89}.25\n`).join(''));
  let x = 0x9e3779b9;
  for (let mb = 0; mb < STORAGE_BENCH_BYTES >> 20; mb++) {
    const at = mb << 20;
    const kind = mb % 4;
    if (kind === 3) continue; // zeros
    if (kind === 2) { for (let i = 0; i < 1 << 20; i += text.length) text.copy(out, at + i, 0, Math.min(text.length, (1 << 20) - i)); continue; }
    for (let i = 0; i < 1 << 20; i += 4) {
      x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
      out.writeUInt32LE(x, at + i);
    }
  }
  return out;
}

/** This build's CLI (not the repository's dist/): an A/B run starts each build's own server. */
const SERVER_CLI = fileURLToPath(new URL('../../server/src/cli/main.js', import.meta.url));

/** A server with StorageService and a client for it, as `aria storage` makes one (default channel options). */
interface Remote {
  server: ServerProcess;
  client: StorageServiceClient;
}

/** The file and a scratch folder, shared by the storage cases and removed after them; the gRPC server and casync's store made when first asked for. */
class StorageBenchFiles implements Resource {
  readonly dir = mkdtempSync(join(tmpdir(), 'aria-bench-storage-'));
  readonly data = mixedData();
  readonly file = join(this.dir, 'mixed-64m.bin');
  private remote?: Promise<Remote>;
  private casyncIndex?: string;
  constructor() { writeFileSync(this.file, this.data); }
  /** An empty store folder path (the last one removed). */
  freshStore(): string {
    const store = join(this.dir, 'store');
    rmSync(store, { recursive: true, force: true });
    return store;
  }
  /** An `aria serve` child (auth off) and a client. */
  grpc(): Promise<Remote> {
    this.remote ??= ServerProcess.start(1, 60_000, SERVER_CLI).then((server) => ({ server, client: new StorageClient(server.address, credentials.createInsecure(), {}) }));
    return this.remote;
  }
  /** The file made by `casync make` into a store of its own: the index and the store. */
  casyncStore(): { index: string; store: string } {
    const store = join(this.dir, 'casync-store');
    const index = join(this.dir, 'casync-local.caibx');
    if (!this.casyncIndex) {
      execFileSync(CASYNC, ['make', `--store=${store}`, index, this.file], { stdio: 'ignore' });
      this.casyncIndex = index;
    }
    return { index, store };
  }
  async close(): Promise<void> {
    const remote = await this.remote?.catch(() => undefined);
    remote?.client.close();
    await remote?.server.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Figures a case measures inside its operation, for the report (the last operation's, or a list to take the median of). */
const inner = { putAloneS: [] as number[], syncSent: 0, syncStored: 0, syncChunks: '' };

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

const NO_AUTH = new Metadata();

/** One unary call of the storage client. */
function unary<T>(client: StorageServiceClient, method: 'deleteAssetVersion' | 'collectGarbage' | 'missingChunks' | 'putAssetIndex', request: unknown): Promise<T> {
  return new Promise((resolve, reject) => {
    (client[method] as Function).call(client, request, NO_AUTH, (err: Error | null, res: T) => (err ? reject(err) : resolve(res)));
  });
}

/** Removes a version and every chunk nothing else references (grace 0): the store is as before the put. */
async function dropVersion(client: StorageServiceClient, name: string, version: number): Promise<void> {
  await unary(client, 'deleteAssetVersion', { name, version });
  await unary(client, 'collectGarbage', { dryRun: false, grace: { $case: 'graceSeconds', graceSeconds: 0 } });
}

/** The bench file with 1% of its bytes changed: ten patches of pseudo-random bytes, evenly spread. */
function changedData(data: Buffer): Buffer {
  const out = Buffer.from(data);
  const patch = Math.floor(data.length / 1000);
  let x = 0x2545f491;
  for (let p = 0; p < 10; p++) {
    const at = Math.floor((p + 0.37) * (data.length / 10));
    for (let i = 0; i < patch; i++) {
      x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
      out[at + i] = x & 0xff;
    }
  }
  return out;
}

/** `aria storage get NAME FILE`'s loop: pieces written to a file with backpressure; the bytes received. */
async function getToFile(client: StorageServiceClient, name: string, file: string): Promise<number> {
  const out = createWriteStream(file);
  let bytes = 0;
  for await (const m of getAsset(client, name, 0, 0, NO_AUTH)) {
    if (m.data.length > 0 && !out.write(m.data)) await once(out, 'drain');
    bytes += m.data.length;
  }
  out.end();
  await once(out, 'finish');
  return bytes;
}

const files = (ctx: Parameters<BenchCase['setup']>[0]) => ctx.resource('storage-files', async () => new StorageBenchFiles());

/** The storage cases (casync's only when it is installed). */
export function storageCases(): BenchCase[] {
  const cases: BenchCase[] = [
    {
      name: 'storage/chunk-64m', layer: 'storage', uses: 'storage-files',
      async setup(ctx): Promise<CaseDriver> {
        const f = await files(ctx);
        const chunker = new Chunker();
        return {
          concurrency: 1, rss: selfRss,
          sync: () => {
            chunker.reset();
            for (let i = 0; i < f.data.length; i += 1 << 20) chunker.push(f.data.subarray(i, i + (1 << 20)));
            return NO_PLAN;
          },
        };
      },
    },
    {
      name: 'storage/make-64m', layer: 'storage', uses: 'storage-files',
      async setup(ctx): Promise<CaseDriver> {
        const f = await files(ctx);
        return {
          concurrency: 1, rss: selfRss,
          async: async () => { await makeBlob(f.file, join(f.dir, 'aria.caibx'), f.freshStore()); return NO_PLAN; },
        };
      },
    },
  ];
  const remoteDriver = (r: Remote, op: () => Promise<OpResult>): CaseDriver => ({
    concurrency: 1, async: op,
    rss: () => selfRss() + r.server.rss(),
    cpuMs: () => { const u = process.cpuUsage(); return r.server.cpuMs() + (u.user + u.system) / 1000; },
  });
  cases.push(
    {
      name: 'storage/grpc-put-64m', layer: 'storage', uses: 'storage-files',
      async setup(ctx): Promise<CaseDriver> {
        const f = await files(ctx);
        const r = await f.grpc();
        inner.putAloneS = [];
        return remoteDriver(r, async () => {
          const t0 = performance.now();
          const put = await putAsset(r.client, 'bench/put', createReadStream(f.file, { highWaterMark: 1 << 20 }), NO_AUTH);
          inner.putAloneS.push((performance.now() - t0) / 1000);
          if (put.asset?.size !== f.data.length) throw new Error(`put stored ${put.asset?.size} bytes, not ${f.data.length}`);
          await dropVersion(r.client, 'bench/put', put.asset.version);
          return NO_PLAN;
        });
      },
    },
    {
      name: 'storage/grpc-get-64m', layer: 'storage', uses: 'storage-files',
      async setup(ctx): Promise<CaseDriver> {
        const f = await files(ctx);
        const r = await f.grpc();
        await putAsset(r.client, 'bench/get', createReadStream(f.file, { highWaterMark: 1 << 20 }), NO_AUTH);
        const out = join(f.dir, 'grpc-get.out');
        return remoteDriver(r, async () => {
          const bytes = await getToFile(r.client, 'bench/get', out);
          if (bytes !== f.data.length) throw new Error(`get gave ${bytes} bytes, not ${f.data.length}`);
          return NO_PLAN;
        });
      },
    },
    {
      name: 'storage/put-second-version-1pct', layer: 'storage', uses: 'storage-files',
      async setup(ctx): Promise<CaseDriver> {
        const f = await files(ctx);
        const r = await f.grpc();
        await putAsset(r.client, 'bench/sync', createReadStream(f.file, { highWaterMark: 1 << 20 }), NO_AUTH);
        const changed = changedData(f.data);
        await zstdReady();
        return remoteDriver(r, async () => {
          // The client chunks the new version as the server would, keeping the chunks, then sends only those the server lacks.
          const chunks = new Map<string, Uint8Array>();
          const pieces = async function* () { for (let i = 0; i < changed.length; i += 1 << 20) yield changed.subarray(i, i + (1 << 20)); };
          const made = await chunkBlob(pieces(), { put: async (id, data) => { chunks.set(id.toString('hex'), data); return data.length; } });
          const ids = decodeBlobIndex(made.index).items.map((i) => Buffer.from(i.id));
          const missing = (await unary<{ chunkIds: Uint8Array[] }>(r.client, 'missingChunks', { chunkIds: ids })).chunkIds;
          let sent = made.index.length + ids.length * 32;
          let stored = 0;
          await new Promise<PutChunksResponse>((resolve, reject) => {
            const call = r.client.putChunks(NO_AUTH, (err, res) => (err ? reject(err) : resolve(res!)));
            void (async () => {
              for (const id of missing) {
                const data = chunks.get(Buffer.from(id).toString('hex'))!;
                sent += data.length + 32;
                stored += zstdCompress(data).length;
                if (!call.write({ chunkId: Buffer.from(id), data: Buffer.from(data.buffer, data.byteOffset, data.byteLength) })) await once(call, 'drain');
              }
              call.end();
            })().catch(reject);
          });
          const put = await unary<{ asset: { version: number; size: number } }>(r.client, 'putAssetIndex', { name: 'bench/sync', index: made.index });
          if (put.asset.size !== changed.length) throw new Error(`the second version has ${put.asset.size} bytes, not ${changed.length}`);
          inner.syncSent = sent;
          inner.syncStored = stored;
          inner.syncChunks = `${missing.length} of ${ids.length} chunks`;
          await dropVersion(r.client, 'bench/sync', put.asset.version);
          return NO_PLAN;
        });
      },
    },
  );
  if (!existsSync(CASYNC)) {
    process.stderr.write(`bench: ${CASYNC} is not installed: storage/casync-make-64m and storage/casync-extract-64m are left out (apt-get install casync)\n`);
  } else {
    cases.push({
      name: 'storage/casync-extract-64m', layer: 'storage', uses: 'storage-files',
      async setup(ctx): Promise<CaseDriver> {
        const f = await files(ctx);
        const { index, store } = f.casyncStore();
        const out = join(f.dir, 'casync-extract.out');
        return {
          // Wall time is the figure: casync's CPU is a child process's. The output is removed first, so casync cannot seed from it.
          concurrency: 1, rss: selfRss,
          sync: () => {
            rmSync(out, { force: true });
            execFileSync(CASYNC, ['extract', '--seed-output=no', `--store=${store}`, index, out], { stdio: 'ignore' });
            return NO_PLAN;
          },
        };
      },
    });
    cases.push({
      name: 'storage/casync-make-64m', layer: 'storage', uses: 'storage-files',
      async setup(ctx): Promise<CaseDriver> {
        const f = await files(ctx);
        return {
          // Wall time is the figure here: casync's CPU is a child process's, which the CPU column does not see.
          concurrency: 1, rss: selfRss,
          sync: () => {
            execFileSync(CASYNC, ['make', `--store=${f.freshStore()}`, join(f.dir, 'casync.caibx'), f.file], { stdio: 'ignore' });
            return NO_PLAN;
          },
        };
      },
    });
  }
  return cases;
}

/** MB/s of each storage case, and the ratios the issue sets targets for, for the report. */
export function storageLines(results: readonly { name: string; figures?: { median: { plansPerS: number } } }[]): string[] {
  const rate = (name: string) => results.find((r) => r.name === name)?.figures?.median.plansPerS;
  const mbs = (perS: number) => `${(perS * STORAGE_BENCH_BYTES / 1e6).toFixed(0)} MB/s`;
  const lines: string[] = [];
  for (const name of ['storage/chunk-64m', 'storage/make-64m', 'storage/casync-make-64m', 'storage/grpc-put-64m', 'storage/grpc-get-64m', 'storage/casync-extract-64m']) {
    const r = rate(name);
    if (r !== undefined) lines.push(`${name}: ${mbs(r)}`);
  }
  const putAlone = inner.putAloneS.length > 0 ? 1 / median(inner.putAloneS) : undefined;
  if (rate('storage/grpc-put-64m') !== undefined && putAlone !== undefined) lines.push(`storage/grpc-put-64m, the put alone (without the delete and garbage collection): ${mbs(putAlone)}`);
  const make = rate('storage/make-64m'), casync = rate('storage/casync-make-64m');
  if (make !== undefined && casync !== undefined) lines.push(`make vs casync make: ${(casync / make).toFixed(2)}× casync's time (target 1.2×)`);
  if (putAlone !== undefined && casync !== undefined) lines.push(`put over gRPC vs casync make: ${(casync / putAlone).toFixed(2)}× casync's time`);
  const get = rate('storage/grpc-get-64m'), extract = rate('storage/casync-extract-64m');
  if (get !== undefined && extract !== undefined) lines.push(`get over gRPC vs casync extract: ${(get / extract).toFixed(2)}× casync's speed (target at least 0.5×)`);
  if (rate('storage/put-second-version-1pct') !== undefined) {
    const share = (n: number) => `${(100 * n / STORAGE_BENCH_BYTES).toFixed(2)}%`;
    lines.push(`second version, 1% changed: ${inner.syncChunks} sent, ${share(inner.syncSent)} of the asset's bytes sent, ${share(inner.syncStored)} stored (target under 3%)`);
  }
  return lines;
}
