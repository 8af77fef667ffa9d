/**
 * The typed wrapper around one WASM engine instance holding one compiled
 * domain. It lays out memory, encodes a problem, runs the search, grows a
 * region and runs again when one was too small, and decodes the result. A
 * trap rebuilds the instance; the call that trapped reports an error.
 * The instance itself is engine-instance.ts, its sizes layout-cache.ts, the
 * decoding engine-result.ts and acting engine-acting.ts.
 */
import type { CompiledDomain } from '../compile/compiled-domain.js';
import { SymbolTable, WordWriter, SpaceError } from './engine-memory.js';
import { decodeTrace, TraceCollector } from './engine-trace.js';
import { ST, isSpaceStatus } from './engine-status.js';
import { InvalidArgumentError } from '../../core/errors.js';
import { writeProblem, InputSpaceError } from './problem-writer.js';
import { EngineInstance } from './engine-instance.js';
import { LayoutCache } from './layout-cache.js';
import { readStats, toResult, emptyStats, memoryLimitResult } from './engine-result.js';
import { applyCommand } from './engine-acting.js';
import { settleOnHost } from './host-settled.js';
import { costsOn, improve } from './engine-anytime.js';
import { SYM_COST, SYM_STRIDE } from './engine-abi.js';
import type { Layout } from './engine-layout.js';
import type { JsonState, JsonValue, PlanOptions, PlanResult, PlanStats, Problem, TraceEvent } from '../types.js';

/** The limits of a call that sets none. */
export const PLAN_DEFAULTS = { maxExpansions: 10_000_000, maxDepth: 1_000_000, maxPlanLength: 1_000_000, maxMemoryBytes: 256 * 1024 * 1024 } as const;

/** Memory limits below this always go to the engine, which reports them (a host-settled call holds none). */
const HOST_SETTLED_MIN_MEMORY = 1 << 20;

/** One try at a call: a result, a region to grow (with the figures so far), or a rerun with new hints. */
interface Attempt { result?: PlanResult; space?: number; stats?: PlanStats; callDepth?: boolean; retry?: boolean }

/** One engine instance for one compiled domain. Not thread-safe: one call at a time. */
export class Engine {
  readonly syms: SymbolTable;
  private readonly inst: EngineInstance;
  private readonly layouts: LayoutCache;
  private deadline = 0;
  private start = 0;
  /** Whether an action of the domain declares a cost (then every plan's cost is summed by the engine). */
  private readonly hasCosts: boolean;
  private cancelFlag: Int32Array | undefined;
  private signal: { readonly aborted: boolean } | undefined;
  /** This call's trace, with a trace level. */
  private trace: TraceCollector | undefined;

  constructor(readonly domain: CompiledDomain) {
    this.syms = new SymbolTable(domain.symbols);
    this.hasCosts = domain.symtab.some((v, i) => i % SYM_STRIDE === SYM_COST && v >= 0);
    this.inst = new EngineInstance(domain, {
      now: () => performance.now(),
      cancelled: () => ((this.cancelFlag && Atomics.load(this.cancelFlag, 0) !== 0) || this.signal?.aborted ? 1 : 0),
      traceFlush: () => this.trace?.flush() ?? 0,
    });
    this.layouts = new LayoutCache(() => this.inst.staticEnd, domain.symbols.length, domain.varCount, domain.jit !== undefined);
  }

  /** The events now in the engine's trace buffer of layout l. */
  private readTrace(l: Layout): TraceEvent[] {
    return decodeTrace(this.inst.views(), l.trace, this.inst.ex.getTraceTop(), this.syms, this.domain.funcNames);
  }

  /** Bytes the engine's memory holds now. */
  memoryBytes(): number { return this.inst.memoryBytes(); }

  /** Plans one problem. Bad input throws InvalidArgumentError; everything else is a result. */
  plan(problem: Problem, options: PlanOptions = {}): PlanResult {
    const maxMemory = options.maxMemoryBytes ?? PLAN_DEFAULTS.maxMemoryBytes;
    const traceLevel = Math.max(0, Math.min(3, Math.trunc(options.traceLevel ?? 0)));
    const caps = this.layouts.caps;
    if (traceLevel > 0 && caps.trace === 0) caps.trace = 1 << 20;
    // A call settled before the first expansion needs no state in engine memory (host-settled.ts); a
    // trace, an anytime report, or a memory limit below what any engine call holds, is the engine's to report.
    if (traceLevel === 0 && maxMemory >= HOST_SETTLED_MIN_MEMORY && !options.optimize) {
      const settled = settleOnHost(this.domain, this.syms, problem.state, problem.todo, options.maxDepth ?? PLAN_DEFAULTS.maxDepth);
      if (settled) return settled;
    }
    const verify = options.verifyGoals ?? problem.verify_goals ?? true;
    this.cancelFlag = options.cancelFlag;
    this.signal = options.signal;
    this.trace = traceLevel > 0 ? new TraceCollector((l) => this.readTrace(l), options.onTrace) : undefined;
    // The clock is read only for a call with a deadline or an anytime budget: a read costs about as much as
    // planning a tiny problem's step.
    const timed = (options.timeoutMs !== undefined && options.timeoutMs > 0) || options.optimize !== undefined;
    this.start = timed ? performance.now() : 0;
    this.deadline = options.timeoutMs !== undefined && options.timeoutMs > 0 ? this.start + options.timeoutMs : 0;
    this.layouts.fitLimit(maxMemory);
    const inst = this.inst;
    const attempt = (): Attempt => this.attempt(problem, traceLevel, verify, options);
    try {
      for (;;) {
        let r;
        try {
          r = attempt();
        } catch (e) {
          // Compiled code ran out of native stack: the interpreter's own frame stack goes deeper.
          if (!(e instanceof RangeError) || !this.domain.jit) throw e;
          inst.build();
          r = inst.interpreted(attempt);
        }
        if (r.result?.status === 'error' && r.callDepth && this.domain.jit) r = inst.interpreted(attempt);
        if (r.retry) continue;
        if (r.space === undefined) {
          let res = r.result!;
          // Memory is checked as regions grow; a limit below what the first regions held is checked here.
          if ((res.status === 'plan' || res.status === 'no_plan') && res.stats.peakMemoryBytes > maxMemory) res = memoryLimitResult(maxMemory, res.stats);
          this.trace?.end(res);
          return res;
        }
        if (!this.layouts.grow(r.space, maxMemory, this.syms.count)) return memoryLimitResult(maxMemory, r.stats!);
      }
    } catch (e) {
      if (e instanceof InvalidArgumentError) throw e;
      if (e instanceof WebAssembly.RuntimeError || e instanceof RangeError) {
        // A trap leaves the instance in an unknown state: rebuild it.
        inst.build();
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

  /**
   * One try at a call. The layout is sized from hints (symbols a problem
   * adds, state size, dense width) that grow when a problem outgrows them,
   * so a steady stream of similar problems is written in a single pass.
   */
  private attempt(problem: Problem, traceLevel: number, verify: boolean, options: PlanOptions): Attempt {
    const inst = this.inst, ex = inst.ex, layouts = this.layouts;
    const h = layouts.hints;
    const symCap = layouts.symCap();
    const l = layouts.forCall();
    inst.ensureMemory(l.end);
    const v = inst.views();
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
    if (nsyms > symCap) { layouts.fitSymbols(nsyms); retry = true; }
    if (written.denseK > l.denseK) { h.denseK = written.denseK; retry = true; }
    if (written.vars > h.vars) { h.vars = written.vars; retry = true; }
    if (retry) { this.syms.resetCall(); return { retry: true }; }
    inst.writeSymtab(l, nsyms);
    const ls = inst.load(l, layouts.caps, nsyms, w, written.entries, layouts.caps.trace);
    if (ls !== 0) return { space: ls, stats: emptyStats() };
    ex.setDeadline(this.deadline);
    this.trace?.begin(l);
    const costs = costsOn(options, this.hasCosts);
    ex.costMode(costs ? 1 : 0, Infinity);
    const st = ex.plan(written.todo, traceLevel, verify ? 1 : 0, options.maxExpansions ?? PLAN_DEFAULTS.maxExpansions,
      options.maxDepth ?? PLAN_DEFAULTS.maxDepth, options.maxPlanLength ?? PLAN_DEFAULTS.maxPlanLength);
    ex.statsTo(l.stats);
    const { stats, planLen, cost } = readStats(inst.views().f64, l);
    if (isSpaceStatus(st)) return { space: st, stats };
    let result = toResult(st, planLen, l, stats, inst.views(), this.syms, this.domain, costs ? cost : planLen);
    if (options.optimize && result.status === 'plan') {
      result = improve({
        ex, l, f64: () => inst.views().f64, start: this.start, deadline: this.deadline,
        maxExpansions: options.maxExpansions ?? PLAN_DEFAULTS.maxExpansions,
        result: (s2, c) => toResult(s2, c.planLen, l, c.stats, inst.views(), this.syms, this.domain, c.cost),
      }, result, options);
    }
    const trace = this.trace?.finish();
    if (trace) result.trace = trace;
    return { result, callDepth: st === ST.ERR_CALL_DEPTH };
  }

  /** The writers of a call's problem (arena objects, state triples), reused from call to call. */
  private readonly arenaWriter = new WordWriter(new ArrayBuffer(0), 0, 0);
  private readonly inputWriter = new WordWriter(new ArrayBuffer(0), 0, 0);

  /**
   * Applies a command (or, when the domain has none of that name, the
   * action) to a state: GTPyhop's acting step. Returns the new state, or
   * false when the command is not applicable. `actionsFirst`: the action
   * before the command of that name (see applyCommand).
   */
  execute(command: JsonValue[], state: JsonState, actionsFirst = false): JsonState | false {
    return applyCommand({ domain: this.domain, syms: this.syms, inst: this.inst, layouts: this.layouts, maxMemory: PLAN_DEFAULTS.maxMemoryBytes },
      command, state, actionsFirst);
  }
}
