/**
 * The pool of planner worker threads (piscina), one per CPU by default.
 * Each call gets a shared flag: when the call's signal aborts, the flag
 * stops the search inside the worker; a call still queued is dropped at
 * once; a worker that ignores the flag for `killGraceMs` is terminated (and
 * replaced), so a cancelled call never holds a thread for long.
 */
import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import { MessageChannel, type MessagePort, type Worker } from 'node:worker_threads';
import type { PlanOptions, PlanResult, TraceEvent } from '../planner/index.js';
import type { ProblemSource } from './problem-source.js';
import { DomainError, DEFAULT_LIBRARY_URL } from '../planner/index.js';
import { InvalidArgumentError, OverloadError, WorkerCrashError } from '../core/errors.js';
import { abortReason, throwIfAborted } from '../core/signals.js';
import { FLAG_CANCEL, FLAG_SLOTS, FLAG_STARTED, FLAG_TRACE_TAKEN, type LoadTask, type LoadTaskReply, type PlanTask, type PlanTaskReply, type WorkerConfig } from './pool-protocol.js';

/** Pool settings; every field has a default. */
export interface PoolOptions {
  /** Worker threads (default: the CPU count). */
  size?: number;
  /** Calls waiting for a worker before new ones are refused with OverloadError (default 4096). */
  maxQueue?: number;
  /** How long a cancelled call may keep its worker before the worker is terminated (default 2000 ms). */
  killGraceMs?: number;
  /** Compiled domains each worker keeps (default 64). */
  cacheSize?: number;
  /** The planner library module (default: the real one). */
  libraryUrl?: string;
  /** V8 heap limit of each worker in MiB (default 1024); exceeding it ends that worker only. */
  maxHeapMb?: number;
  /** Whether a failing worker writes its cause to stderr (default true). */
  logCrashes?: boolean;
  /** Trace events a worker may run ahead of a call's onTrace (default 100,000); see PlanOptions.onTrace. */
  traceWindow?: number;
  /** Told about workers that failed outside a call. */
  onWorkerError?: (err: unknown) => void;
}

/** The domain a call plans in: its id and its model as JSON. */
export interface PoolDomain {
  id: string;
  domainJson: string;
}

const WORKER_URL = new URL('./planner-worker.js', import.meta.url).href;

/** Plans on worker threads. */
export class PlannerPool {
  private readonly piscina: Piscina<PlanTask | LoadTask, PlanTaskReply | LoadTaskReply>;
  private readonly killGraceMs: number;
  private nextCallId = 1;

  constructor(options: PoolOptions = {}) {
    const size = Math.max(1, options.size ?? availableParallelism());
    this.killGraceMs = options.killGraceMs ?? 2000;
    const workerData: WorkerConfig = {
      libraryUrl: options.libraryUrl ?? DEFAULT_LIBRARY_URL, cacheSize: options.cacheSize ?? 64, logCrashes: options.logCrashes ?? true,
      traceWindow: options.traceWindow ?? 100_000,
    };
    this.piscina = new Piscina<PlanTask | LoadTask, PlanTaskReply | LoadTaskReply>({
      filename: WORKER_URL,
      minThreads: size,
      maxThreads: size,
      idleTimeout: Number.MAX_SAFE_INTEGER,
      maxQueue: options.maxQueue ?? 4096,
      concurrentTasksPerWorker: 1,
      workerData,
      resourceLimits: { maxOldGenerationSizeMb: options.maxHeapMb ?? 1024 },
    });
    // Without a listener, a worker failing between calls would be an uncaught 'error' event.
    this.piscina.on('error', (err: unknown) => options.onWorkerError?.(err));
  }

  /** Worker threads. */
  get size(): number {
    return this.piscina.maxThreads;
  }

  /** The live worker threads (tests terminate one to check that it is replaced). */
  get threads(): Worker[] {
    return this.piscina.threads;
  }

  /** Calls waiting for a worker. */
  get queued(): number {
    return this.piscina.queueSize;
  }

  /** The share of the workers' time spent on tasks since the pool started (0-1; piscina's figure). */
  get utilization(): number {
    return this.piscina.utilization;
  }

  /**
   * Plans one problem on a worker. Throws DomainError or InvalidArgumentError as
   * the library does, the signal's CallAbortedError when it aborted,
   * OverloadError when the queue is full, WorkerCrashError when the worker failed.
   */
  async plan(
    domain: PoolDomain, problem: ProblemSource, options: Omit<PlanOptions, 'signal' | 'cancelFlag'>, signal?: AbortSignal,
  ): Promise<PlanResult> {
    const { onTrace, ...rest } = options;
    // Most calls find the domain compiled in the worker; only a worker that lacks it gets the model.
    const first = await this.run({ domainId: domain.id, problem, options: rest }, signal, onTrace);
    const reply = first.ok || first.error !== 'need_domain' ? first
      : await this.run({ domainId: domain.id, domainJson: domain.domainJson, problem, options: rest }, signal, onTrace);
    if (reply.ok) return reply.result;
    if (reply.error === 'domain') throw new DomainError(reply.where, reply.message);
    if (reply.error === 'input') throw new InvalidArgumentError(reply.field, reply.message);
    throw new WorkerCrashError(`a worker without domain ${domain.id} was sent it and still lacked it`);
  }

  /**
   * Parses, validates and compiles a domain on a worker (a large one takes
   * seconds: never on the event loop). Throws DomainError as the library
   * does, OverloadError for a domain too large for a worker's memory, the
   * signal's CallAbortedError, WorkerCrashError.
   */
  async load(source: { text: string; file?: string } | { domainJson: string }, signal?: AbortSignal): Promise<{ hash: string; name: string; domainJson: string }> {
    throwIfAborted(signal);
    const flags = new SharedArrayBuffer(FLAG_SLOTS * Int32Array.BYTES_PER_ELEMENT);
    const kill = new AbortController();
    let killTimer: NodeJS.Timeout | undefined;
    // Compiling checks no cancel flag: a cancelled load that already runs gets the grace time, then its worker ends.
    const onAbort = () => {
      if (Atomics.load(new Int32Array(flags), FLAG_STARTED) === 0) kill.abort();
      else killTimer = setTimeout(() => kill.abort(), this.killGraceMs);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const task: LoadTask = 'text' in source ? { text: source.text, file: source.file, flags } : { domainJson: source.domainJson, flags };
      const reply = (await this.piscina.run(task, { name: 'load', signal: kill.signal })) as LoadTaskReply;
      if (reply.ok) return reply;
      throw new DomainError(reply.where, reply.message);
    } catch (err) {
      if (err instanceof DomainError) throw err;
      if (signal?.aborted) throw abortReason(signal);
      if (err instanceof Error && err.message === 'Task queue is at limit') throw new OverloadError('the planner queue is full');
      if ((err as { code?: string })?.code === 'ERR_WORKER_OUT_OF_MEMORY') {
        throw new OverloadError('the domain is too large to compile within a planner worker\'s memory limit');
      }
      throw new WorkerCrashError('planner worker failed while loading a domain', { cause: err });
    } finally {
      signal?.removeEventListener('abort', onAbort);
      if (killTimer) clearTimeout(killTimer);
    }
  }

  private async run(
    call: Pick<PlanTask, 'domainId' | 'domainJson' | 'problem' | 'options'>, signal?: AbortSignal, onTrace?: PlanOptions['onTrace'],
  ): Promise<PlanTaskReply> {
    throwIfAborted(signal);
    const flagsBuffer = new SharedArrayBuffer(FLAG_SLOTS * Int32Array.BYTES_PER_ELEMENT);
    const flags = new Int32Array(flagsBuffer);
    const trace = onTrace && traceChannel(onTrace, flags);
    const kill = new AbortController();
    let killTimer: NodeJS.Timeout | undefined;
    const onAbort = () => {
      Atomics.store(flags, FLAG_CANCEL, 1);
      // Still queued: drop it now. Running: give the flag time to work first.
      if (Atomics.load(flags, FLAG_STARTED) === 0) kill.abort();
      else killTimer = setTimeout(() => kill.abort(), this.killGraceMs);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    const callId = this.nextCallId++;
    try {
      // Written out, not spread (a spread with added fields makes hidden classes per call).
      const task: PlanTask = {
        callId, domainId: call.domainId, domainJson: call.domainJson, problem: call.problem, options: call.options, flags: flagsBuffer, tracePort: trace?.port,
      };
      const reply = (await this.piscina.run(task, { signal: kill.signal, transferList: trace ? [trace.port] : undefined })) as PlanTaskReply;
      // The reply may overtake the last trace events: wait for the worker's end mark.
      await trace?.ended;
      return reply;
    } catch (err) {
      if (signal?.aborted) throw abortReason(signal);
      if (err instanceof Error && err.message === 'Task queue is at limit') {
        throw new OverloadError(`the planner queue is full (${this.piscina.queueSize} calls waiting)`);
      }
      throw new WorkerCrashError(`planner worker failed during call ${callId}`, { cause: err });
    } finally {
      trace?.close();
      signal?.removeEventListener('abort', onAbort);
      if (killTimer) clearTimeout(killTimer);
    }
  }

  /** Stops the workers; calls still running fail. */
  async close(): Promise<void> {
    await this.piscina.destroy();
  }
}

/**
 * A channel for one call's trace events: the worker's end, and a promise of
 * its end mark. Each chunk counts as taken (FLAG_TRACE_TAKEN, which the
 * worker waits on when it is too far ahead) once onTrace's promise settles.
 */
function traceChannel(onTrace: NonNullable<PlanOptions['onTrace']>, flags: Int32Array): { port: MessagePort; ended: Promise<void>; close(): void } {
  const { port1, port2 } = new MessageChannel();
  const ended = new Promise<void>((resolve) => {
    port1.on('message', (events: TraceEvent[] | null) => {
      if (events === null) { resolve(); return; }
      const taken = () => {
        Atomics.add(flags, FLAG_TRACE_TAKEN, events.length);
        Atomics.notify(flags, FLAG_TRACE_TAKEN);
      };
      let pending;
      try {
        pending = onTrace(events);
      } catch {
        // A failing consumer must not leave the worker waiting.
      }
      if (pending instanceof Promise) pending.then(taken, taken);
      else taken();
    });
    // A worker that died never sends the mark; the run has failed then, and nothing waits.
    port1.on('close', () => resolve());
  });
  return { port: port2, ended, close: () => port1.close() };
}
