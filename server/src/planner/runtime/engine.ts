/**
 * The typed wrapper around one WASM engine instance holding one compiled
 * domain. It lays out memory, encodes a problem, runs the search, grows a
 * region and runs again when one was too small, and decodes the result. A
 * trap rebuilds the instance; the call that trapped reports an error.
 */
import type { CompiledDomain } from '../compile/compiled-domain.js';
import { SYM_STRIDE } from '../compile/compiled-domain.js';
import { instantiateEngine, type EngineExports } from './wasm-module.js';
import { RT_NAMES, LAYOUT_GLOBALS, MEMO_GLOBALS, WRITE_GLOBALS } from '../jit/runtime-imports.js';
import { memoBytes, memoShift } from '../jit/helper-memo.js';
import { align, computeLayout, CP_BYTES, FSTACK_CAP, INITIAL_CAPS, REC_BYTES, type Caps, type Layout } from './engine-layout.js';
import { SymbolTable, WordWriter, SpaceError, encodeValue, decodePlanStep } from './engine-values.js';
import { keepEmptyVars, readState } from './engine-state.js';
import { decodeTrace, TraceCollector } from './engine-trace.js';
import { ST, LIMIT_OF } from './engine-status.js';
import { InvalidArgumentError } from '../../core/errors.js';
import { describeError } from './engine-messages.js';
import { writeProblem, InputSpaceError } from './problem-writer.js';
import type { JsonState, JsonValue, PlanOptions, PlanResult, PlanStats, Problem, TraceEvent } from '../types.js';

const PAGE = 65536;
/** The limits of a call that sets none. */
export const PLAN_DEFAULTS = { maxExpansions: 10_000_000, maxDepth: 1_000_000, maxPlanLength: 1_000_000, maxMemoryBytes: 256 * 1024 * 1024 } as const;


/** One engine instance for one compiled domain. Not thread-safe: one call at a time. */
export class Engine {
  private ex!: EngineExports;
  private staticEnd = 0;
  private code = 0; private consts = 0; private funcs = 0; private methods = 0; private mgMethods = 0;
  readonly syms: SymbolTable;
  private caps: Caps = { ...INITIAL_CAPS };
  private deadline = 0;
  private cancelFlag: Int32Array | undefined;
  private signal: { readonly aborted: boolean } | undefined;

  /** State variables the domain declares: each may get a dense row. */
  private readonly domainVarCount: number;

  constructor(readonly domain: CompiledDomain) {
    this.syms = new SymbolTable(domain.symbols);
    this.domainVarCount = domain.varCount;
    this.build();
  }

  /** (Re)creates the instance and writes the domain's static tables. */
  private build(): void {
    this.ex = instantiateEngine({
      now: () => performance.now(),
      cancelled: () => ((this.cancelFlag && Atomics.load(this.cancelFlag, 0) !== 0) || this.signal?.aborted ? 1 : 0),
      traceFlush: () => this.trace?.flush() ?? 0,
    });
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

  /** Points the helper memo at this layout's table, emptied when it moved or changed size (old bytes could look like entries). */
  private placeMemo(l: Layout): void {
    if (!this.memoBase || (l.memo === this.memoAt && l.memoEntries === this.memoSize)) return;
    new Uint8Array(this.ex.memory.buffer, l.memo, memoBytes(l.memoEntries)).fill(0);
    this.memoBase.value = l.memo;
    this.memoShift!.value = memoShift(l.memoEntries);
    this.memoAt = l.memo;
    this.memoSize = l.memoEntries;
  }
  /** Table index of the compiled entries, or -1 (interpreted). */
  private jitBase = -1;

  private ensureMemory(bytes: number): void {
    const have = this.ex.memory.buffer.byteLength;
    if (bytes > have) this.ex.memory.grow(Math.ceil((bytes - have) / PAGE));
  }

  private layout(nsyms: number, stateEntries: number, denseVars = 0, denseK = 0): Layout {
    // A stream of similar problems asks for the same layout call after call: the last one is kept
    // (compared field by field: this runs on every call, and a key array would be garbage each time).
    const c = this.caps, k = this.layoutKey;
    if (this.lastLayout && k[0] === nsyms && k[1] === stateEntries && k[2] === denseVars && k[3] === denseK && k[4] === c.slots
      && k[5] === c.trail && k[6] === c.choices && k[7] === c.vstack && k[8] === c.plan && k[9] === c.arena && k[10] === c.trace
      && k[11] === c.keys) return this.lastLayout;
    const dense = { vars: denseVars, k: denseK };
    const l = computeLayout({ staticEnd: this.staticEnd, caps: c, nsyms, stateEntries, dense, jit: this.domain.jit !== undefined });
    this.lastSlots = l.slots;
    this.lastLayout = l;
    this.layoutKey = [nsyms, stateEntries, denseVars, denseK, c.slots, c.trail, c.choices, c.vstack, c.plan, c.arena, c.trace, c.keys];
    return l;
  }
  /** The last layout computed, and what it was computed from (staticEnd and the JIT never change). */
  private lastLayout: Layout | undefined;
  private layoutKey: number[] = [];

  /** Views of the engine's memory, made again only when it has grown (a new buffer). */
  private views(): { buf: ArrayBuffer; u32: Uint32Array; f64: Float64Array; i32: Int32Array } {
    const buf = this.ex.memory.buffer;
    if (this.viewCache?.buf !== buf) this.viewCache = { buf, u32: new Uint32Array(buf), f64: new Float64Array(buf), i32: new Int32Array(buf) };
    return this.viewCache;
  }
  private viewCache: { buf: ArrayBuffer; u32: Uint32Array; f64: Float64Array; i32: Int32Array } | undefined;

  /** This call's trace, with a trace level. */
  private trace: TraceCollector | undefined;

  /** The events now in the engine's trace buffer of layout l. */
  private readTrace(l: Layout): TraceEvent[] {
    return decodeTrace(this.views(), l.trace, this.ex.getTraceTop(), this.syms, this.domain.funcNames);
  }

  /** Bytes the engine's memory holds now. */
  memoryBytes(): number { return this.ex.memory.buffer.byteLength; }

  /** Plans one problem. Bad input throws InvalidArgumentError; everything else is a result. */
  plan(problem: Problem, options: PlanOptions = {}): PlanResult {
    const maxMemory = options.maxMemoryBytes ?? PLAN_DEFAULTS.maxMemoryBytes;
    const traceLevel = Math.max(0, Math.min(3, Math.trunc(options.traceLevel ?? 0)));
    if (traceLevel > 0 && this.caps.trace === 0) this.caps.trace = 1 << 20;
    const verify = options.verifyGoals ?? problem.verify_goals ?? true;
    this.cancelFlag = options.cancelFlag;
    this.signal = options.signal;
    this.trace = traceLevel > 0 ? new TraceCollector((l) => this.readTrace(l), options.onTrace) : undefined;
    // The clock is read only for a call with a deadline: a read costs about as much as planning a tiny problem's step.
    this.deadline = options.timeoutMs !== undefined && options.timeoutMs > 0 ? performance.now() + options.timeoutMs : 0;
    // Regions an earlier call grew may not fit this call's limit: start again from the initial sizes.
    if (this.grownEnd > maxMemory) { this.caps = { ...INITIAL_CAPS, trace: this.caps.trace }; this.grownEnd = 0; }
    try {
      for (;;) {
        let r;
        try {
          r = this.attempt(problem, traceLevel, verify, options);
        } catch (e) {
          // Compiled code ran out of native stack: the interpreter's own frame stack goes deeper.
          if (!(e instanceof RangeError) || !this.domain.jit) throw e;
          this.build();
          r = this.interpreted(() => this.attempt(problem, traceLevel, verify, options));
        }
        if (r.result?.status === 'error' && r.callDepth && this.domain.jit) {
          r = this.interpreted(() => this.attempt(problem, traceLevel, verify, options));
        }
        if (r.retry) continue;
        if (r.space === undefined) {
          let res = r.result!;
          // Memory is checked as regions grow; a limit below what the first regions held is checked here.
          if ((res.status === 'plan' || res.status === 'no_plan') && res.stats.peakMemoryBytes > maxMemory) {
            res = { status: 'limit', limit: 'memory', message: `the search needs more than the memory limit of ${maxMemory} bytes`, stats: res.stats };
          }
          this.trace?.end(res);
          return res;
        }
        const grown = this.grow(r.space, maxMemory);
        if (!grown) {
          return { status: 'limit', limit: 'memory', message: `the search needs more than the memory limit of ${maxMemory} bytes`, stats: r.stats! };
        }
      }
    } catch (e) {
      if (e instanceof InvalidArgumentError) throw e;
      if (e instanceof WebAssembly.RuntimeError || e instanceof RangeError) {
        // A trap leaves the instance in an unknown state: rebuild it.
        this.build();
        return { status: 'error', message: `engine trap (${(e as Error).message}); the engine instance was rebuilt`, stats: emptyStats() };
      }
      throw e;
    } finally {
      this.syms.resetCall();
      this.cancelFlag = undefined;
      this.signal = undefined;
      this.trace = undefined;
    }
  }

  /** Runs f with the domain's compiled code switched off (the bytecode interpreter). */
  private interpreted<T>(f: () => T): T {
    this.ex.setJitBase(-1);
    try { return f(); } finally { this.ex.setJitBase(this.jitBase); }
  }

  /** Doubles the region behind a space status; false when that would pass the memory limit. */
  private grow(space: number, maxMemory: number): boolean {
    const c = this.caps;
    const key: keyof Caps = space === ST.SPACE_SLOTS ? 'slots' : space === ST.SPACE_TRAIL ? 'trail' : space === ST.SPACE_CHOICES ? 'choices'
      : space === ST.SPACE_VSTACK ? 'vstack' : space === ST.SPACE_PLAN ? 'plan' : space === ST.SPACE_KEYS ? 'keys' : 'arena';
    const before = c[key];
    c[key] = before * 2;
    const l = this.layout(this.syms.count + 16, 0);
    if (l.end > maxMemory) { c[key] = before; return false; }
    this.grownEnd = Math.max(this.grownEnd, l.end);
    return true;
  }
  /** End of the largest layout a grown region has needed (0: regions at their initial sizes). */
  private grownEnd = 0;

  /**
   * One try at a call. The layout is sized from hints (symbols a problem
   * adds, state size, dense width) that grow when a problem outgrows them,
   * so a steady stream of similar problems is written in a single pass.
   */
  private attempt(problem: Problem, traceLevel: number, verify: boolean, options: PlanOptions):
    { result?: PlanResult; space?: number; stats?: PlanStats; callDepth?: boolean; retry?: boolean } {
    const ex = this.ex;
    const h = this.hints;
    const symCap = this.domain.symbols.length + h.extraSyms;
    const l = this.layout(symCap, h.entries, this.domainVarCount + h.vars, h.denseK);
    this.ensureMemory(l.end);
    const v = this.views();
    const w = this.arenaWriter.reset(v, l.arena, l.end);
    const input = this.inputWriter.reset(v, l.input, l.arena);
    let written;
    try {
      written = writeProblem(problem.state, problem.todo, this.syms, input, w);
    } catch (e) {
      if (e instanceof InputSpaceError) { h.entries *= 2; return { retry: true }; }
      if (e instanceof SpaceError) return { space: ST.SPACE_ARENA, stats: emptyStats() };
      throw e;
    }
    const nsyms = this.syms.count;
    let retry = false;
    if (nsyms > symCap) { h.extraSyms = Math.max(h.extraSyms * 2, (nsyms - this.domain.symbols.length) * 2); retry = true; }
    if (written.denseK > l.denseK) { h.denseK = written.denseK; retry = true; }
    if (written.vars > h.vars) { h.vars = written.vars; retry = true; }
    if (retry) { this.syms.resetCall(); return { retry: true }; }
    this.writeSymtab(l, nsyms);
    const ls = this.load(l, w, written.entries, this.caps.trace);
    if (ls !== 0) return { space: ls, stats: emptyStats() };
    ex.setDeadline(this.deadline);
    this.trace?.begin(l);
    const st = ex.plan(written.todo, traceLevel, verify ? 1 : 0, options.maxExpansions ?? PLAN_DEFAULTS.maxExpansions,
      options.maxDepth ?? PLAN_DEFAULTS.maxDepth, options.maxPlanLength ?? PLAN_DEFAULTS.maxPlanLength);
    const stats = this.stats(l);
    if (st >= 40) return { space: st, stats };
    const trace = this.trace?.finish();
    const result = this.toResult(st, l, stats);
    if (trace) result.trace = trace;
    return { result, callDepth: st === ST.ERR_CALL_DEPTH };
  }

  /**
   * Points the instance at layout l and loads the state the problem writer
   * wrote (w: the arena, with the problem's values); 0, or a space status.
   */
  private load(l: Layout, w: WordWriter, entries: number, traceBytes: number): number {
    const ex = this.ex;
    // The engine only reads these addresses: the same instance, layout, symbol count, arena start and trace
    // size as the last call need them set again no more than a stream of similar problems does.
    const cfg = this.configured;
    if (cfg.ex !== ex || cfg.l !== l || cfg.nsyms !== this.syms.count || cfg.top !== w.top || cfg.trace !== traceBytes) {
      ex.configure(this.code, this.consts, this.funcs, l.symtab, this.methods, this.mgMethods, this.syms.count,
        l.hash, l.hashCap, l.slots, this.caps.slots, l.varlist, l.trail, this.caps.trail, l.choices, this.caps.choices,
        w.top, l.end, l.vstack, this.caps.vstack, l.fstack, FSTACK_CAP, l.plan, this.caps.plan, l.trace, l.trace + traceBytes, l.result,
        l.keys, l.keys + this.caps.keys);
      ex.setDense(l.dense, l.denseRows, l.denseK, l.varrow);
      ex.setReadRegions(l.slotw, l.varw, l.rec, l.rec + REC_BYTES);
      cfg.ex = ex; cfg.l = l; cfg.nsyms = this.syms.count; cfg.top = w.top; cfg.trace = traceBytes;
    }
    this.placeMemo(l);
    for (let i = 0; i < w.mgCount; i++) ex.mgIndex(w.multigoals[i]);
    const ls = ex.loadState(l.input, entries);
    if (ls === 0) ex.arenaReset(w.top);
    return ls;
  }

  /** What the instance was last configured with (load). A layout's capacities are part of it (layout() makes a new one). */
  private readonly configured: { ex?: EngineExports; l?: Layout; nsyms: number; top: number; trace: number } = { nsyms: -1, top: -1, trace: -1 };

  /** The layout and instance whose symbol table holds records up to symtabCount. */
  private symtabLayout: Layout | undefined;
  private symtabCount = 0;
  private symtabEx: EngineExports | undefined;

  /** The writers of a call's problem (arena objects, state triples), reused from call to call. */
  private readonly arenaWriter = new WordWriter(new ArrayBuffer(0), 0, 0);
  private readonly inputWriter = new WordWriter(new ArrayBuffer(0), 0, 0);

  /** Layout sizes learnt from earlier problems. */
  private hints = { extraSyms: 64, entries: 256, vars: 8, denseK: 0 };

  private writeSymtab(l: Layout, nsyms: number): void {
    // The engine only reads the table: in the same layout (the same object: no other layout's
    // regions have been written since) the records already written still stand.
    if (l === this.symtabLayout && nsyms <= this.symtabCount && this.ex === this.symtabEx) return;
    this.symtabLayout = l; this.symtabCount = nsyms; this.symtabEx = this.ex;
    const i32 = this.views().i32;
    const base = l.symtab >>> 2;
    i32.set(this.domain.symtab, base);
    for (let s = this.domain.symbols.length; s < nsyms; s++) {
      const r = base + s * SYM_STRIDE;
      i32[r] = -1; i32[r + 1] = -1; i32[r + 2] = 0; i32[r + 3] = 0; i32[r + 4] = 0; i32[r + 5] = 0;
    }
  }

  private stats(l: Layout): PlanStats {
    this.ex.statsTo(l.stats);
    const f = this.views().f64, b = l.stats >>> 3;
    this.planLen = f[b + 4];
    // A slot is 24 bytes and its write stamp 4 (reads.ts).
    const peak = f[b] * 28 + f[b + 1] * 16 + f[b + 2] * CP_BYTES + (f[b + 3] - l.arena) + f[b + 4] * 8;
    return { expansions: f[b + 5], backtracks: f[b + 6], maxDepth: f[b + 7], peakMemoryBytes: peak };
  }

  /** Plan length of the last call, as stats() read it. */
  private planLen = 0;

  private toResult(st: number, l: Layout, stats: PlanStats): PlanResult {
    const { u32, f64 } = this.views();
    if (st === ST.PLAN) {
      const n = this.planLen;
      const plan: JsonValue[][] = [];
      for (let i = 0; i < n; i++) plan.push(decodePlanStep(u32, f64, this.syms, l.plan + i * 8));
      return { status: 'plan', plan, stats };
    }
    if (st === ST.NO_PLAN) return { status: 'no_plan', stats };
    const limit = LIMIT_OF[st];
    if (limit) return { status: 'limit', limit, message: limitMessage(limit), stats };
    return { status: 'error', message: describeError(st, l.result, u32, f64, this.syms, this.domain), stats };
  }

  /**
   * Applies a command (or, when the domain has none of that name, the
   * action) to a state: GTPyhop's acting step. Returns the new state, or
   * false when the command is not applicable.
   */
  execute(command: JsonValue[], state: JsonState): JsonState | false {
    const name = command[0];
    if (typeof name !== 'string') throw new InvalidArgumentError('command[0]', 'a command name must be a string');
    const fn = this.domain.commands.get(name) ?? this.domain.actions.get(name);
    if (fn === undefined) throw new InvalidArgumentError('command[0]', `'${name}' is neither a command nor an action of domain ${this.domain.name}`);
    try {
      for (;;) {
        const h = this.hints;
        const symCap = this.domain.symbols.length + h.extraSyms;
        const l = this.layout(symCap, h.entries, this.domainVarCount + h.vars, h.denseK);
        this.ensureMemory(l.end);
        const buf = this.ex.memory.buffer;
        const w = new WordWriter(buf, l.arena, l.end);
        const input = new WordWriter(buf, l.input, l.arena);
        try {
          let written;
          try {
            written = writeProblem(state, [], this.syms, input, w);
          } catch (e) {
            if (e instanceof InputSpaceError) { h.entries *= 2; this.syms.resetCall(); continue; }
            throw e;
          }
          const cell = w.alloc(1);
          encodeValue(w, this.syms, command, cell, 'command', 'tuple');
          if (this.syms.count > symCap) {
            h.extraSyms = Math.max(h.extraSyms * 2, (this.syms.count - this.domain.symbols.length) * 2);
            this.syms.resetCall();
            continue;
          }
          this.writeSymtab(l, this.syms.count);
          const ls = this.load(l, w, written.entries, 0);
          if (ls !== 0) { if (!this.grow(ls, PLAN_DEFAULTS.maxMemoryBytes)) throw new Error('state too large'); continue; }
          const u32 = new Uint32Array(buf);
          const item = (BigInt(u32[(cell >>> 2) + 1]) << 32n) | BigInt(u32[cell >>> 2]);
          const r = this.ex.apply(fn, item);
          if (r === 0) return false;
          if (r === 1) {
            const mem = this.ex.memory.buffer;
            return keepEmptyVars(readState(new Uint32Array(mem), new Float64Array(mem), this.syms, this.slotsAddr(), this.ex.getSlotCount()), state);
          }
          if (r >= 40) { if (!this.grow(r, PLAN_DEFAULTS.maxMemoryBytes)) throw new Error('command needs too much memory'); continue; }
          throw new InvalidArgumentError('command', describeError(r, l.result, new Uint32Array(buf), new Float64Array(buf), this.syms, this.domain));
        } catch (e) {
          if (e instanceof SpaceError) { if (!this.grow(ST.SPACE_ARENA, PLAN_DEFAULTS.maxMemoryBytes)) throw new Error('state too large'); continue; }
          throw e;
        }
      }
    } finally {
      this.syms.resetCall();
    }
  }

  private slotsAddr(): number { return this.lastSlots; }
  /** Slots address of the last layout, which the last call ran on. */
  private lastSlots = 0;
}

const jitModules = new WeakMap<Uint8Array, WebAssembly.Module>();
/** The compiled module of a domain's code, compiled once per process for all its engines. */
function jitModule(bytes: Uint8Array): WebAssembly.Module {
  let m = jitModules.get(bytes);
  if (!m) { m = new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>); jitModules.set(bytes, m); }
  return m;
}

function emptyStats(): PlanStats { return { expansions: 0, backtracks: 0, maxDepth: 0, peakMemoryBytes: 0 }; }

function limitMessage(limit: string): string {
  switch (limit) {
    case 'expansions': return 'the search reached the limit on node expansions';
    case 'depth': return 'the search reached the depth limit';
    case 'plan_length': return 'the plan reached the plan-length limit';
    case 'deadline': return 'the search ran past its deadline';
    default: return 'the call was cancelled';
  }
}


