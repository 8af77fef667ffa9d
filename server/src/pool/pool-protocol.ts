/**
 * What the main thread and the planner workers send each other. Kept in one
 * file so both sides agree.
 */
import type { MessagePort } from 'node:worker_threads';
import type { PlanOptions, PlanResult } from '../planner/index.js';
import type { ProblemSource } from './problem-source.js';

/** Options that cross the thread boundary (an AbortSignal or a callback cannot: a shared flag and a port replace them). */
export type WorkerPlanOptions = Omit<PlanOptions, 'signal' | 'cancelFlag' | 'onTrace'>;

/** Indices into the call's shared Int32Array. */
export const FLAG_CANCEL = 0;
/** Set by the worker when it starts the call, so the main thread knows the call left the queue. */
export const FLAG_STARTED = 1;
/** Trace events the caller has taken (added to by the main thread; the worker waits on it). */
export const FLAG_TRACE_TAKEN = 2;
/** Int32 slots in the shared buffer. */
export const FLAG_SLOTS = 3;

/** One planning call. */
export interface PlanTask {
  /** Correlates the worker's log lines with the main thread's. */
  callId: number;
  /** The domain's id (content hash): the worker's cache key. */
  domainId: string;
  /**
   * The domain model as JSON, for a worker that has not compiled it yet.
   * Left out at first (most calls hit the worker's cache); a worker without
   * the domain answers `need_domain` and the call is sent again with it.
   */
  domainJson?: string;
  /** Parsed, or JSON text that the worker parses. */
  problem: ProblemSource;
  options: WorkerPlanOptions;
  /** FLAG_SLOTS Int32 slots: FLAG_CANCEL is set by the main thread, FLAG_STARTED by the worker. */
  flags: SharedArrayBuffer;
  /**
   * Where the worker posts trace events while it plans (arrays of
   * TraceEvent), then `null` once it has posted the last: the reply may
   * overtake the port's messages, so the caller waits for that end mark.
   */
  tracePort?: MessagePort;
}

/** The worker's answer. Faults other than these end the worker (it is replaced) and fail the call. */
export type PlanTaskReply =
  | { ok: true; result: PlanResult }
  | { ok: false; error: 'domain'; where: string; message: string }
  | { ok: false; error: 'input'; field: string; message: string }
  | { ok: false; error: 'need_domain' };

/** One domain to parse, validate and compile (RegisterDomain, and stored domains at start). */
export interface LoadTask {
  /** The text form, with the file name its errors use ... */
  text?: string;
  file?: string;
  /** ... or the domain model as JSON. */
  domainJson?: string;
  /** FLAG_SLOTS Int32 slots, as PlanTask's (FLAG_STARTED tells the pool the load left the queue). */
  flags: SharedArrayBuffer;
}

/** The worker's answer to a LoadTask; the compiled domain stays in that worker's cache. */
export type LoadTaskReply =
  | { ok: true; hash: string; name: string; domainJson: string }
  | { ok: false; error: 'domain'; where: string; message: string };

/** What the pool's workerData carries. */
export interface WorkerConfig {
  /** URL of the planner library module (a stand-in in tests). */
  libraryUrl: string;
  /** How many compiled domains a worker keeps. */
  cacheSize: number;
  /** Whether a failing worker writes its cause to stderr (false when the server's log is silent). */
  logCrashes: boolean;
  /** Trace events a worker may have sent that the caller has not taken yet; past it the worker waits. */
  traceWindow: number;
}
