/**
 * The host side of the WebAssembly chunker (wasm/chunker, built to
 * build/chunker.wasm): a streaming Chunker that takes a stream in pieces of
 * any size and reports where casync would end each chunk.
 */
import { readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { chunkParams, type ChunkParams, type ChunkSizeRequest } from './chunk-params.js';

/** The module's exports: numbers in, numbers out; addresses point into `memory`. */
interface ChunkerExports {
  memory: WebAssembly.Memory;
  configure(min: number, max: number, discriminator: number): void;
  reset(): void;
  inputPtr(): number;
  inputCapacity(): number;
  cutsPtr(): number;
  cutsCapacity(): number;
  stoppedAt(): number;
  pending(): number;
  tablePtr(): number;
  scan(from: number, to: number): number;
}

let compiled: WebAssembly.Module | undefined;

/** Path of build/chunker.wasm, found by walking up from this file to the repository root. */
function chunkerWasmPath(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 7; i++) {
    const p = join(dir, 'build', 'chunker.wasm');
    if (existsSync(p)) return p;
    dir = dirname(dir);
  }
  throw new Error('build/chunker.wasm not found: run `npm run build:wasm` (npm install does it)');
}

function instantiate(): ChunkerExports {
  compiled ??= new WebAssembly.Module(readFileSync(chunkerWasmPath()));
  return new WebAssembly.Instance(compiled, {}).exports as unknown as ChunkerExports;
}

/**
 * Content-defined chunking with casync's buzhash, streaming. Feed the stream
 * with {@link Chunker.push} in pieces of any size; the cuts do not depend on
 * how it was split. Each instance has its own WebAssembly instance (about
 * 1.5 MiB of memory) and serves one stream at a time.
 */
export class Chunker {
  /** The sizes and discriminator in use. */
  readonly params: ChunkParams;
  private readonly wasm: ChunkerExports;
  private readonly heap: Uint8Array;
  private readonly input: number;
  private readonly capacity: number;
  private readonly cuts: Uint32Array;

  constructor(sizes: ChunkSizeRequest | ChunkParams = {}) {
    // Always derived again, so that a hand-made ChunkParams with a bad discriminator cannot reach the module.
    this.params = chunkParams({ min: sizes.min, avg: sizes.avg, max: sizes.max });
    this.wasm = instantiate();
    this.wasm.configure(this.params.min, this.params.max, this.params.discriminator);
    // The module never grows its memory (static regions only), so these views stay valid.
    this.heap = new Uint8Array(this.wasm.memory.buffer);
    this.input = this.wasm.inputPtr();
    this.capacity = this.wasm.inputCapacity();
    this.cuts = new Uint32Array(this.wasm.memory.buffer, this.wasm.cutsPtr(), this.wasm.cutsCapacity());
  }

  /**
   * Feeds the next piece of the stream. Returns the offsets in `piece` at
   * which chunks end (exclusive ends, ascending); the bytes after the last
   * one belong to a chunk that later pieces, or {@link Chunker.pending} at
   * the end of the stream, complete.
   */
  push(piece: Uint8Array): number[] {
    const ends: number[] = [];
    for (let base = 0; base < piece.length; base += this.capacity) {
      const len = Math.min(this.capacity, piece.length - base);
      this.heap.set(piece.subarray(base, base + len), this.input);
      let from = 0;
      while (from < len) {
        const n = this.wasm.scan(from, len);
        for (let i = 0; i < n; i++) ends.push(base + this.cuts[i]!);
        from = this.wasm.stoppedAt();
      }
    }
    return ends;
  }

  /** Bytes of the chunk in progress: at the end of the stream, the size of the last chunk (0: none). */
  get pending(): number {
    return this.wasm.pending();
  }

  /** Drops the stream in progress; the next push starts a new one. */
  reset(): void {
    this.wasm.reset();
  }
}

/** casync's 256-entry buzhash table as the WebAssembly module holds it (for tests' reference chunker). */
export function buzhashTable(): Uint32Array {
  const wasm = instantiate();
  return new Uint32Array(wasm.memory.buffer.slice(wasm.tablePtr(), wasm.tablePtr() + 1024));
}
