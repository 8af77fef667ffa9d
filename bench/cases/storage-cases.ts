/**
 * `storage/...`: the casync-compatible store on one 64 MiB file of mixed
 * data, one operation = the whole file, so ops/s × 64 MiB is the speed.
 *
 * - `storage/chunk-64m`: the WebAssembly chunker alone (fed 1 MiB pieces).
 * - `storage/make-64m`: makeBlob into an empty store: chunk, SHA-512/256, zstd, write.
 * - `storage/casync-make-64m`: `casync make` of the same file into an empty
 *   store, side by side (only when /usr/bin/casync is installed).
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Chunker, makeBlob } from '../../server/src/services/storage/index.js';
import type { BenchCase, CaseDriver, OpResult, Resource } from './case-types.js';
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

/** The file and a scratch folder, shared by the storage cases and removed after them. */
class StorageBenchFiles implements Resource {
  readonly dir = mkdtempSync(join(tmpdir(), 'aria-bench-storage-'));
  readonly data = mixedData();
  readonly file = join(this.dir, 'mixed-64m.bin');
  constructor() { writeFileSync(this.file, this.data); }
  /** An empty store folder path (the last one removed). */
  freshStore(): string {
    const store = join(this.dir, 'store');
    rmSync(store, { recursive: true, force: true });
    return store;
  }
  async close(): Promise<void> { rmSync(this.dir, { recursive: true, force: true }); }
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
  if (existsSync(CASYNC)) {
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

/** MB/s of each storage case, and make's time against casync make's, for the report. */
export function storageLines(results: readonly { name: string; figures?: { median: { plansPerS: number } } }[]): string[] {
  const rate = (name: string) => results.find((r) => r.name === name)?.figures?.median.plansPerS;
  const lines: string[] = [];
  for (const name of ['storage/chunk-64m', 'storage/make-64m', 'storage/casync-make-64m']) {
    const r = rate(name);
    if (r !== undefined) lines.push(`${name}: ${(r * STORAGE_BENCH_BYTES / 1e6).toFixed(0)} MB/s`);
  }
  const make = rate('storage/make-64m'), casync = rate('storage/casync-make-64m');
  if (make !== undefined && casync !== undefined) lines.push(`make vs casync make: ${(casync / make).toFixed(2)}× casync's time (target 1.2×)`);
  return lines;
}
