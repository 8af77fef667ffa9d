/**
 * Loads the engine's compiled WebAssembly module once per process (or
 * worker thread) and creates instances from it.
 */
import { readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

/** The engine's exports, typed. Addresses and counts are numbers; 64-bit values are bigint. */
export interface EngineExports {
  memory: WebAssembly.Memory;
  configure(...args: number[]): void;
  loadState(ptr: number, n: number): number;
  arenaReset(top: number): void;
  mgIndex(p: number): void;
  setDense(dense: number, rows: number, k: number, varrow: number): void;
  setReadRegions(slotw: number, varw: number, rec: number, recEnd: number): void;
  setDeadline(ms: number): void;
  plan(todo: number, traceLevel: number, verify: number, maxExpansions: number, maxDepth: number, maxPlan: number): number;
  apply(fn: number, item: bigint): number;
  /** Costs on (1) or off (0) and the branch-and-bound's bound, for the next plan call. */
  costMode(on: number, bound: number): void;
  /** A new bound and expansion limit before resumeSearch. */
  setBound(bound: number, maxExpansions: number): void;
  /** After a plan: backtracks from it and searches on for the next (cheaper) plan. */
  resumeSearch(): number;
  statsTo(p: number): void;
  getSlotCount(): number;
  getTraceTop(): number;
  getHeapBase(): number;
  setJitBase(base: number): void;
  /** The function table compiled domain code is placed in. */
  table: WebAssembly.Table;
  status: WebAssembly.Global;
  [rt: `rt_${string}`]: Function;
}

let cached: WebAssembly.Module | undefined;

/** Path of build/planner.wasm, found by walking up from this file to the repository root. */
export function wasmPath(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const p = join(dir, 'build', 'planner.wasm');
    if (existsSync(p)) return p;
    dir = dirname(dir);
  }
  throw new Error('build/planner.wasm not found: run `npm run build:wasm` (npm install does it)');
}

/** The compiled engine module, compiled on first use. */
export function engineModule(): WebAssembly.Module {
  cached ??= new WebAssembly.Module(readFileSync(wasmPath()));
  return cached;
}

/** Host functions the engine imports: a clock and a cancellation check. */
export interface EngineHost {
  now(): number;
  cancelled(): number;
  /** The trace buffer is full: take its events (1), or let the engine drop the rest (0). */
  traceFlush(): number;
}

/** A fresh engine instance with its own memory. */
export function instantiateEngine(host: EngineHost): EngineExports {
  const table = new WebAssembly.Table({ initial: 1, element: 'anyfunc' });
  const inst = new WebAssembly.Instance(engineModule(), {
    env: {
      table,
      now: () => host.now(),
      cancelled: () => host.cancelled(),
      traceFlush: () => host.traceFlush(),
      abort: () => { throw new Error('engine abort'); },
    },
  });
  return Object.assign(Object.create(null), inst.exports, { table }) as EngineExports;
}
