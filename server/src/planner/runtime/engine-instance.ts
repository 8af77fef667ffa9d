/**
 * One WASM engine instance with a compiled domain's static tables written
 * into it and its compiled code linked in. It points the instance at a
 * call's layout, setting again only what changed, so that a stream of
 * similar problems costs no more than the planning itself. A trap leaves an
 * instance in an unknown state: `build` makes a fresh one.
 */
import type { CompiledDomain } from '../compile/compiled-domain.js';
import { instantiateEngine, type EngineExports, type EngineHost } from './wasm-module.js';
import { RT_NAMES, LAYOUT_GLOBALS, MEMO_GLOBALS, WRITE_GLOBALS } from '../jit/runtime-imports.js';
import { memoBytes, memoShift } from '../jit/helper-memo.js';
import { align, FSTACK_CAP, REC_BYTES, type Caps, type Layout } from './engine-layout.js';
import type { WordWriter } from './engine-memory.js';
import {
  SYM_ACTION, SYM_COMMAND, SYM_COST, SYM_GOAL_COUNT, SYM_GOAL_START, SYM_STRIDE, SYM_TASK_COUNT, SYM_TASK_START,
} from './engine-abi.js';

const PAGE = 65536;

/** Typed views of the engine's memory. */
export interface MemoryViews { buf: ArrayBuffer; u32: Uint32Array; f64: Float64Array; i32: Int32Array }

/** A domain's engine instance. Not thread-safe: one call at a time. */
export class EngineInstance {
  /** The instance's exports; replaced by `build`. */
  ex!: EngineExports;
  /** First free byte after the domain's static tables. */
  staticEnd = 0;
  private code = 0; private consts = 0; private funcs = 0; private methods = 0; private mgMethods = 0;

  constructor(private readonly domain: CompiledDomain, private readonly host: EngineHost) {
    this.build();
  }

  /** (Re)creates the instance and writes the domain's static tables. */
  build(): void {
    this.ex = instantiateEngine(this.host);
    const d = this.domain;
    if (align(this.ex.getHeapBase()) > d.constHeapBase) throw new Error('engine heap base moved: recompile the domain');
    let p = d.constHeapBase + d.constHeap.byteLength;
    p = align(p); this.code = p; p += d.code.byteLength;
    p = align(p); this.consts = p; p += d.consts.byteLength;
    p = align(p); this.funcs = p; p += d.funcs.byteLength;
    p = align(p); this.methods = p; p += d.methods.byteLength;
    p = align(p); this.mgMethods = p; p += d.mgMethods.byteLength;
    this.staticEnd = align(p, 64);
    this.ensureMemory(this.staticEnd);
    const mem = new Uint8Array(this.ex.memory.buffer);
    mem.set(d.constHeap, d.constHeapBase);
    mem.set(new Uint8Array(d.code.buffer, d.code.byteOffset, d.code.byteLength), this.code);
    mem.set(new Uint8Array(d.consts.buffer, d.consts.byteOffset, d.consts.byteLength), this.consts);
    mem.set(new Uint8Array(d.funcs.buffer, d.funcs.byteOffset, d.funcs.byteLength), this.funcs);
    mem.set(new Uint8Array(d.methods.buffer, d.methods.byteOffset, d.methods.byteLength), this.methods);
    mem.set(new Uint8Array(d.mgMethods.buffer, d.mgMethods.byteOffset, d.mgMethods.byteLength), this.mgMethods);
    if (d.jit) this.linkJit(d.jit);
  }

  /** Instantiates the domain's compiled code against this engine and puts its entries in the table. */
  private linkJit(bytes: Uint8Array): void {
    const ex = this.ex;
    const rt: Record<string, unknown> = { memory: ex.memory, status: ex.status, retVal: (ex as unknown as Record<string, unknown>).retVal };
    for (const n of RT_NAMES) rt[n] = ex[n];
    for (const g of [...LAYOUT_GLOBALS, ...MEMO_GLOBALS, ...WRITE_GLOBALS]) rt[g] = (ex as unknown as Record<string, unknown>)[g];
    const inst = new WebAssembly.Instance(jitModule(bytes), { rt: rt as WebAssembly.ModuleImports });
    const n = this.domain.funcNames.length;
    const base = ex.table.length;
    ex.table.grow(n);
    for (let i = 0; i < n; i++) ex.table.set(base + i, inst.exports[`e${i}`] as Function);
    ex.setJitBase(base);
    this.jitBase = base;
    this.memoBase = inst.exports.memoBase as WebAssembly.Global;
    this.memoShift = inst.exports.memoShift as WebAssembly.Global;
    this.memoAt = -1;
  }
  /** The compiled code's helper memo: its table address and hash shift (globals of that module), and where the table is now. */
  private memoBase: WebAssembly.Global | undefined;
  private memoShift: WebAssembly.Global | undefined;
  private memoAt = -1;
  private memoSize = 0;
  /** Table index of the compiled entries, or -1 (interpreted). */
  private jitBase = -1;

  /** Points the helper memo at this layout's table, emptied when it moved or changed size (old bytes could look like entries). */
  private placeMemo(l: Layout): void {
    if (!this.memoBase || (l.memo === this.memoAt && l.memoEntries === this.memoSize)) return;
    new Uint8Array(this.ex.memory.buffer, l.memo, memoBytes(l.memoEntries)).fill(0);
    this.memoBase.value = l.memo;
    this.memoShift!.value = memoShift(l.memoEntries);
    this.memoAt = l.memo;
    this.memoSize = l.memoEntries;
  }

  /** Runs f with the domain's compiled code switched off (the bytecode interpreter). */
  interpreted<T>(f: () => T): T {
    this.ex.setJitBase(-1);
    try { return f(); } finally { this.ex.setJitBase(this.jitBase); }
  }

  /** Grows the memory to at least `bytes`. */
  ensureMemory(bytes: number): void {
    const have = this.ex.memory.buffer.byteLength;
    if (bytes > have) this.ex.memory.grow(Math.ceil((bytes - have) / PAGE));
  }

  /** Bytes the engine's memory holds now. */
  memoryBytes(): number { return this.ex.memory.buffer.byteLength; }

  /** Views of the engine's memory, made again only when it has grown (a new buffer). */
  views(): MemoryViews {
    const buf = this.ex.memory.buffer;
    if (this.viewCache?.buf !== buf) this.viewCache = { buf, u32: new Uint32Array(buf), f64: new Float64Array(buf), i32: new Int32Array(buf) };
    return this.viewCache;
  }
  private viewCache: MemoryViews | undefined;

  /**
   * Points the instance at layout l (capacities c, nsyms symbols) and loads
   * the state the problem writer wrote (w: the arena, with the problem's
   * values); 0, or a space status.
   */
  load(l: Layout, c: Caps, nsyms: number, w: WordWriter, entries: number, traceBytes: number): number {
    const ex = this.ex;
    // The engine only reads these addresses: the same instance, layout, symbol count, arena start and trace
    // size as the last call need them set again no more than a stream of similar problems does.
    const cfg = this.configured;
    if (cfg.ex !== ex || cfg.l !== l || cfg.nsyms !== nsyms || cfg.top !== w.top || cfg.trace !== traceBytes) {
      ex.configure(this.code, this.consts, this.funcs, l.symtab, this.methods, this.mgMethods, nsyms,
        l.hash, l.hashCap, l.slots, c.slots, l.varlist, l.trail, c.trail, l.choices, c.choices,
        w.top, l.end, l.vstack, c.vstack, l.fstack, FSTACK_CAP, l.plan, c.plan, l.trace, l.trace + traceBytes, l.result,
        l.keys, l.keys + c.keys);
      ex.setDense(l.dense, l.denseRows, l.denseK, l.varrow);
      ex.setReadRegions(l.slotw, l.varw, l.rec, l.rec + REC_BYTES);
      cfg.ex = ex; cfg.l = l; cfg.nsyms = nsyms; cfg.top = w.top; cfg.trace = traceBytes;
    }
    this.placeMemo(l);
    for (let i = 0; i < w.mgCount; i++) ex.mgIndex(w.multigoals[i]);
    const ls = ex.loadState(l.input, entries);
    if (ls === 0) ex.arenaReset(w.top);
    return ls;
  }

  /** What the instance was last configured with (load). A layout's capacities are part of it (a new layout is a new object). */
  private readonly configured: { ex?: EngineExports; l?: Layout; nsyms: number; top: number; trace: number } = { nsyms: -1, top: -1, trace: -1 };

  /** Writes the symbol table of layout l for nsyms symbols: the domain's records, then empty ones for a problem's own symbols. */
  writeSymtab(l: Layout, nsyms: number): void {
    // The engine only reads the table: in the same layout (the same object: no other layout's
    // regions have been written since) the records already written still stand.
    if (l === this.symtabLayout && nsyms <= this.symtabCount && this.ex === this.symtabEx) return;
    this.symtabLayout = l; this.symtabCount = nsyms; this.symtabEx = this.ex;
    const i32 = this.views().i32;
    const base = l.symtab >>> 2;
    i32.set(this.domain.symtab, base);
    for (let s = this.domain.symbols.length; s < nsyms; s++) {
      const r = base + s * SYM_STRIDE;
      i32[r + SYM_ACTION] = -1; i32[r + SYM_COMMAND] = -1; i32[r + SYM_COST] = -1; i32[r + SYM_TASK_START] = 0; i32[r + SYM_TASK_COUNT] = 0;
      i32[r + SYM_GOAL_START] = 0; i32[r + SYM_GOAL_COUNT] = 0;
    }
  }
  /** The layout and instance whose symbol table holds records up to symtabCount. */
  private symtabLayout: Layout | undefined;
  private symtabCount = 0;
  private symtabEx: EngineExports | undefined;
}

const jitModules = new WeakMap<Uint8Array, WebAssembly.Module>();
/** The compiled module of a domain's code, compiled once per process for all its engines. */
function jitModule(bytes: Uint8Array): WebAssembly.Module {
  let m = jitModules.get(bytes);
  if (!m) { m = new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>); jitModules.set(bytes, m); }
  return m;
}
