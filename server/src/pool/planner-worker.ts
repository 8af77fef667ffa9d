/**
 * A planner worker thread (piscina). It compiles each domain once, keeps
 * the engines by domain id, and plans synchronously. Cancellation arrives
 * through a shared flag, since a thread busy planning never sees a message.
 *
 * A fault that is not a domain or input error (a WebAssembly trap, a stack
 * or memory overflow) may leave the engine broken, so the worker logs it and
 * exits before answering: piscina fails that one call and starts a new
 * worker.
 */
import { threadId, workerData, type MessagePort } from 'node:worker_threads';
import { writeSync } from 'node:fs';
import type { PlanOptions, DomainHandleLike, PlannerLibrary } from '../planner/index.js';
import { resolveProblem } from './problem-source.js';
import { FLAG_CANCEL, FLAG_STARTED, FLAG_TRACE_TAKEN, type LoadTask, type LoadTaskReply, type PlanTask, type PlanTaskReply, type WorkerConfig } from './pool-protocol.js';
import { LruCache } from './lru-cache.js';

const config = workerData as WorkerConfig;
const library = (await import(config.libraryUrl)) as PlannerLibrary;
/** Compiled domains by id. */
const cache = new LruCache<DomainHandleLike>(config.cacheSize, (h) => h.dispose?.());

async function handleFor(task: PlanTask): Promise<DomainHandleLike | undefined> {
  const cached = cache.get(task.domainId);
  if (cached) return cached;
  if (task.domainJson === undefined) return undefined;
  const handle = await library.loadDomain(JSON.parse(task.domainJson));
  cache.set(task.domainId, handle);
  return handle;
}

/**
 * Posts trace chunks to the caller; when more than the window of them is
 * still not taken (a client reading a streamed trace slowly), waits, so
 * that the search goes at the reader's pace instead of filling memory. A
 * cancelled call stops waiting (the search then ends at its next check).
 */
function traceSender(port: MessagePort, flags: Int32Array): (events: unknown[]) => void {
  let sent = 0;
  return (events) => {
    port.postMessage(events);
    sent += events.length;
    for (;;) {
      const taken = Atomics.load(flags, FLAG_TRACE_TAKEN);
      if (sent - taken <= config.traceWindow || Atomics.load(flags, FLAG_CANCEL) !== 0) return;
      Atomics.wait(flags, FLAG_TRACE_TAKEN, taken, 100);
    }
  };
}

/** Plans one task; see PlanTaskReply. */
export default async function plan(task: PlanTask): Promise<PlanTaskReply> {
  const flags = new Int32Array(task.flags);
  Atomics.store(flags, FLAG_STARTED, 1);
  const port = task.tracePort;
  try {
    const handle = await handleFor(task);
    if (!handle) return { ok: false, error: 'need_domain' };
    // The library reads index 0 (FLAG_CANCEL) of the flag it is given.
    const onTrace = port && traceSender(port, flags);
    // The task's options are this thread's own copy: completed in place, not spread into a new
    // object (a spread with added fields makes hidden classes per call).
    const options: PlanOptions = task.options;
    options.cancelFlag = flags;
    options.onTrace = onTrace;
    return { ok: true, result: handle.plan(resolveProblem(task.problem), options) };
  } catch (err) {
    const e = err as { name?: string; message?: string; where?: string; field?: string };
    if (e?.name === 'DomainError') return { ok: false, error: 'domain', where: e.where ?? '', message: innerMessage(e.message ?? '', e.where) };
    if (e?.name === 'InvalidArgumentError') return { ok: false, error: 'input', field: e.field ?? '', message: innerMessage(e.message ?? '', e.field) };
    return crash(task, err);
  } finally {
    port?.postMessage(null);
    port?.close();
  }
}

/**
 * Parses, validates and compiles one domain (piscina's `load` task), off the
 * server's main thread: a large domain takes seconds to compile. The
 * compiled domain stays in this worker's cache, so the first plans in it
 * here need no second compile.
 */
export async function load(task: LoadTask): Promise<LoadTaskReply> {
  Atomics.store(new Int32Array(task.flags), FLAG_STARTED, 1);
  try {
    const source = task.text ?? JSON.parse(task.domainJson ?? 'null');
    const handle = await library.loadDomain(source, task.text !== undefined ? { file: task.file } : {});
    cache.set(handle.hash, handle);
    return { ok: true, hash: handle.hash, name: handle.name, domainJson: JSON.stringify(handle.domain) };
  } catch (err) {
    const e = err as { name?: string; message?: string; where?: string };
    if (e?.name === 'DomainError') return { ok: false, error: 'domain', where: e.where ?? '', message: innerMessage(e.message ?? '', e.where) };
    return crash({ callId: 0, domainId: 'load' } as PlanTask, err);
  }
}

/** The message without the `where: ` prefix the library's errors add. */
function innerMessage(message: string, prefix: string | undefined): string {
  return prefix && message.startsWith(`${prefix}: `) ? message.slice(prefix.length + 2) : message;
}

function crash(task: PlanTask, err: unknown): never {
  const e = err as { name?: string; message?: string; stack?: string };
  const line = JSON.stringify({
    level: 50, time: Date.now(), name: 'aria-worker', threadId, callId: task.callId, domainId: task.domainId,
    err: { type: e?.name, message: e?.message, stack: e?.stack }, msg: 'planner worker failed; exiting so that it is replaced',
  });
  // Synchronous: the thread ends right after, and an async write would be lost.
  if (config.logCrashes) writeSync(2, `${line}\n`);
  process.exit(70);
}
