/**
 * What a benchmark case is. Cases live in bench/cases/ and know nothing of
 * timing or reporting; the runner (bench/run.ts) measures whatever a case's
 * driver does.
 */
import type { Problem, DomainHandle } from '../../server/src/planner/index.js';

/** What one operation (one plan, or one batch of calls) produced. */
export interface OpResult {
  /** Actions in the plan; null when there was none (no_plan, error, limit). */
  planLength: number | null;
  /** The engine's peak working memory for this call (stats.peakMemoryBytes), when known. */
  engineBytes?: number;
  /**
   * Which of the case's problems this was, when it cycles through several:
   * the plan length is then averaged per problem, not per call, so that
   * the figure does not depend on where the cycle stopped.
   */
  problem?: number;
}

/** A set up case, ready to be timed. */
export interface CaseDriver {
  /** Operations kept in flight at once (client concurrency); 1 for in-process calls. */
  concurrency: number;
  /** Plans (or calls) one operation stands for; default 1. Batching keeps timer cost out of tiny calls. */
  opsPerCall?: number;
  /** A synchronous operation (in-process engine calls): timed in a tight loop. */
  sync?: () => OpResult;
  /** An asynchronous operation (pool, gRPC): `concurrency` loops run it at once. */
  async?: () => Promise<OpResult>;
  /** Current resident set size, in bytes, of the processes doing the work. */
  rss(): number;
  /**
   * CPU time used so far, in milliseconds, by the processes doing the work
   * (this one included); default: this process. Per plan it is steadier
   * than wall time on a busy machine, and it shows what bounds throughput.
   */
  cpuMs?(): number;
  /** Frees what setup made for this case only (shared resources are the context's). */
  close?(): Promise<void>;
}

/** Something costly that several cases share (a server, a pool), closed by the runner. */
export interface Resource {
  close(): Promise<void>;
}

/** What the runner gives a case's setup. */
export interface BenchContext {
  /** A compiled built-in domain, loaded once per run. */
  domain(name: string): DomainHandle;
  /**
   * The shared resource under `key`, made by `create` the first time. The
   * runner closes resources that the next case does not use, so cases that
   * share one should be listed together.
   */
  resource<T extends Resource>(key: string, create: () => Promise<T>): Promise<T>;
}

/** The same problems, for GTPyhop (run by bench/gtpyhop-driver.py). */
export interface GtpyhopSpec {
  /** GTPyhop's example domain (a module or package under its Examples/). */
  domain: string;
  problems: Problem[];
}

/** Where a case's throughput goes on a chart. */
export interface ChartPoint {
  /** Which chart (see bench/charts.ts): `n-blocks`, `concurrency`, ... */
  chart: string;
  /** The line it belongs to. */
  series: string;
  /** Its x value (N, concurrency, workers). */
  x: number;
}

/** One benchmark case. */
export interface BenchCase {
  /** Unique, slash-separated: `layer/what/size`, e.g. `wasm/blocks_gtn/blocks-100`. */
  name: string;
  /** The first part of the name: wasm, pool, grpc, baseline, multi. */
  layer: string;
  /** Shared resource key this case uses, if any (see BenchContext.resource). */
  uses?: string;
  chart?: ChartPoint;
  gtpyhop?: GtpyhopSpec;
  setup(ctx: BenchContext): Promise<CaseDriver>;
}
