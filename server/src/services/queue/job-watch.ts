/**
 * WatchJob's loop, shared by both queues: wait for a nudge (an event about
 * the job) or the poll interval, read the job again, and yield what
 * changed. Reading the job rather than trusting event payloads keeps the
 * stream in order and makes a lost event cost one poll interval at worst.
 */
import { FINAL_STATES, type JobEvent, type JobInfo } from './job-types.js';

/** How a queue lets the loop read and wait. */
export interface WatchSource {
  /** The job now; with its results only when asked (the last read). */
  read(withResults: boolean): Promise<JobInfo>;
  /** Calls `nudge` whenever something may have changed; returns the unsubscribe function. */
  subscribe(nudge: () => void): () => void;
  /** Longest wait without a nudge (default 1000 ms). */
  pollMs?: number;
}

/** Progress events while the job runs, then `finished`; stops quietly when `signal` aborts. */
export async function* watchJob(source: WatchSource, signal?: AbortSignal): AsyncGenerator<JobEvent> {
  let nudged = false;
  let wake: (() => void) | undefined;
  const nudge = () => {
    nudged = true;
    wake?.();
  };
  // Subscribed before the first read: a change between the two is not missed.
  const unsubscribe = source.subscribe(nudge);
  const onAbort = () => wake?.();
  signal?.addEventListener('abort', onAbort);
  try {
    let last = '';
    while (!signal?.aborted) {
      nudged = false;
      const job = await source.read(false);
      if (FINAL_STATES.has(job.state)) {
        // A completed BullMQ job carries its results already; others are read again with them.
        yield { kind: 'finished', job: job.results ? job : await source.read(true) };
        return;
      }
      const key = `${job.state}/${job.done}/${job.total}`;
      if (key !== last) {
        last = key;
        yield { kind: 'progress', state: job.state, done: job.done, total: job.total };
      }
      if (!nudged && !signal?.aborted) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, source.pollMs ?? 1000);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = undefined;
      }
    }
  } finally {
    unsubscribe();
    signal?.removeEventListener('abort', onAbort);
  }
}
