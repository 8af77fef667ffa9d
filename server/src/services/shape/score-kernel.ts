/**
 * The host side of the scoring kernel (wasm/scorer, built to
 * build/scorer.wasm). The memory layout is defined here, once: the tables
 * of kernel-tables.ts, then the candidate rows, the picks, and the
 * per-candidate outputs, each reached through a named view. The module
 * reads their addresses from its header.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { KernelTables } from './kernel-tables.js';

/** The module's exports: numbers in, numbers out. */
interface ScorerExports {
  memory: WebAssembly.Memory;
  header(): number;
  headerFloats(): number;
  heapBase(): number;
  reserve(bytes: number): number;
  score(from: number, to: number): number;
  nearest(i: number, from: number, to: number, limit: number): number;
  sample(seed: number, from: number, to: number): number;
}

/** Header fields (i32), in wasm/scorer/header.ts's order. */
const FIELDS = [
  'slots', 'rows', 'picked', 'conds', 'constraints', 'slotOffsets', 'pref', 'style', 'num', 'cum',
  'condOp', 'condSlot', 'condArg', 'condLit', 'mask', 'consKind', 'consWhen', 'consFirst', 'consLen', 'consBound',
  'slotCons', 'consList', 'candidates', 'picks', 'scores', 'violations', 'minDistance', 'aliasProb', 'aliasIdx',
] as const;
type Field = (typeof FIELDS)[number];
const F_PENALTY = 0;
const F_DIVERSITY = 1;

/** The table arrays copied into the module, by header field. */
const TABLES = ['slotOffsets', 'pref', 'style', 'num', 'cum', 'condOp', 'condSlot', 'condArg', 'condLit', 'mask',
  'consKind', 'consWhen', 'consFirst', 'consLen', 'consBound', 'slotCons', 'consList', 'aliasProb', 'aliasIdx'] as const;

let compiled: WebAssembly.Module | undefined;

/** Path of build/scorer.wasm, found by walking up from this file to the repository root. */
function scorerWasmPath(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 7; i++) {
    const p = join(dir, 'build', 'scorer.wasm');
    if (existsSync(p)) return p;
    dir = dirname(dir);
  }
  throw new Error('build/scorer.wasm not found: run `npm run build:wasm` (npm install does it)');
}

/**
 * One kernel instance, laid out for `rows` candidates and up to `maxPicks`
 * picks. Its own WebAssembly instance; views stay valid (the memory grows
 * once, here). Not for concurrent use.
 */
export class ScoreKernel {
  /** Candidate rows: rows × slots value indices. */
  readonly candidates: Uint16Array;
  /** Rows picked so far (row numbers); the first `picked` count. */
  readonly picks: Int32Array;
  /** Per row, after score(): its score, broken constraints, distance to the nearest pick. */
  readonly scores: Float64Array;
  readonly violations: Int32Array;
  readonly minDistance: Int32Array;
  readonly slots: number;
  readonly rows: number;
  private readonly wasm: ScorerExports;
  private readonly header: Int32Array;

  constructor(tables: KernelTables, rows: number, maxPicks: number) {
    compiled ??= new WebAssembly.Module(readFileSync(scorerWasmPath()));
    this.wasm = new WebAssembly.Instance(compiled, {}).exports as unknown as ScorerExports;
    this.slots = tables.slots;
    this.rows = rows;
    // Lay every region out from the heap base, 8-byte aligned.
    const at: Partial<Record<Field, number>> = {};
    let end = this.wasm.heapBase();
    const place = (field: Field, bytes: number) => {
      end = (end + 7) & ~7;
      at[field] = end;
      end += Math.max(8, bytes);
    };
    for (const name of TABLES) place(name, tables[name].byteLength);
    place('candidates', rows * tables.slots * 2);
    place('picks', maxPicks * 4);
    place('scores', rows * 8);
    place('violations', rows * 4);
    place('minDistance', rows * 4);
    if (end > 0xffff_0000 || this.wasm.reserve(end) < 0) throw new RangeError(`scoring ${rows} candidates needs ${end} bytes, more than the kernel can have`);
    const buf = this.wasm.memory.buffer;
    for (const name of TABLES) new Uint8Array(buf, at[name]!, tables[name].byteLength).set(new Uint8Array(tables[name].buffer, tables[name].byteOffset, tables[name].byteLength));
    this.header = new Int32Array(buf, this.wasm.header(), FIELDS.length);
    for (const name of FIELDS) if (at[name] !== undefined) this.set(name, at[name]!);
    this.set('slots', tables.slots);
    this.set('rows', rows);
    this.set('picked', 0);
    this.set('conds', tables.condOp.length);
    this.set('constraints', tables.consKind.length);
    const floats = new Float64Array(buf, this.wasm.headerFloats(), 2);
    floats[F_PENALTY] = tables.penalty;
    floats[F_DIVERSITY] = tables.diversity;
    this.candidates = new Uint16Array(buf, at.candidates!, rows * tables.slots);
    this.picks = new Int32Array(buf, at.picks!, maxPicks);
    this.scores = new Float64Array(buf, at.scores!, rows);
    this.violations = new Int32Array(buf, at.violations!, rows);
    this.minDistance = new Int32Array(buf, at.minDistance!, rows);
  }

  private set(field: Field, value: number): void {
    this.header[FIELDS.indexOf(field)] = value;
  }

  /** How many entries of `picks` the scorer measures diversity against. */
  setPicked(n: number): void {
    this.set('picked', n);
  }

  /** Fills rows from..to-1 with sampled candidates (deterministic per seed and row); how many ran out of tries. */
  sample(seed: number, from: number, to: number): number {
    return this.wasm.sample(seed >>> 0, from, to);
  }

  /** Scores rows from..to-1 into scores / violations / minDistance; how many break no constraint. */
  score(from: number, to: number): number {
    return this.wasm.score(from, to);
  }

  /** Row i's distance to the nearest of picks[from..to), at most `limit`. */
  nearest(i: number, from: number, to: number, limit: number): number {
    return this.wasm.nearest(i, from, to, limit);
  }

  /** Row i's value indices (a copy). */
  row(i: number): number[] {
    return Array.from(this.candidates.subarray(i * this.slots, (i + 1) * this.slots));
  }
}
