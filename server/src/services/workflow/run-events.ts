/**
 * Step events as a watcher sees them, shaped like OpenTelemetry spans: the
 * run's id is the trace id, each step attempt a span with start and end
 * times; and the run's own changes of status.
 */
import { createHash } from 'node:crypto';
import { on, type EventEmitter } from 'node:events';
import type { RunRecord, StepRecord } from './workflow-repo.js';

/** One step's span. */
export interface StepEvent {
  readonly type: 'step';
  readonly runId: string;
  /** The run's id as a 32-hex-digit trace id. */
  readonly traceId: string;
  /** 16 hex digits, one per step attempt. */
  readonly spanId: string;
  readonly stepIndex: number;
  readonly command: string;
  readonly kind: string;
  readonly status: StepRecord['status'];
  readonly attempt: number;
  readonly startUnixMs: number;
  /** 0 while the step has not ended. */
  readonly endUnixMs: number;
  readonly message: string;
}

/** A run's new status (and the rest of it). */
export interface RunEvent {
  readonly type: 'run';
  readonly run: RunRecord;
}

/** What WatchRun streams. */
export type WorkflowEvent = StepEvent | RunEvent;

/** A step record as its span event. */
export function stepEvent(s: StepRecord): StepEvent {
  return {
    type: 'step', runId: s.runId, traceId: s.runId.replace(/-/g, ''),
    spanId: createHash('sha256').update(`${s.runId}/${s.index}/${s.attempts}`).digest('hex').slice(0, 16),
    stepIndex: s.index, command: s.command, kind: s.kind, status: s.status, attempt: s.attempts,
    startUnixMs: s.startedUnixMs, endUnixMs: s.endedUnixMs ?? 0, message: s.message,
  };
}

/** True for a status a run never leaves. */
export function isFinal(status: RunRecord['status']): boolean {
  return status === 'completed' || status === 'failed' || status === 'cancelled';
}

/**
 * A run's events from `events` (emitted under the run's id): its steps so
 * far and its status, then each change, until the run ends or the signal
 * aborts. Listening starts before the snapshot is read, and events the
 * snapshot already gave are not sent twice.
 */
export async function* watchRun(events: EventEmitter, id: string, snapshot: () => Promise<{ run: RunRecord; steps: StepRecord[] }>, signal: AbortSignal): AsyncGenerator<WorkflowEvent> {
  const live = on(events, id, { signal });
  const seen = new Set<string>();
  const key = (e: WorkflowEvent) => (e.type === 'step' ? `${e.stepIndex}/${e.attempt}/${e.status}` : `run/${e.run.status}/${e.run.updatedUnixMs}`);
  try {
    const { run, steps } = await snapshot();
    for (const s of steps) {
      const e = stepEvent(s);
      seen.add(key(e));
      yield e;
    }
    yield { type: 'run', run };
    if (isFinal(run.status)) return;
    for await (const [e] of live as AsyncIterable<[WorkflowEvent]>) {
      if (seen.has(key(e))) continue;
      seen.add(key(e));
      yield e;
      if (e.type === 'run' && isFinal(e.run.status)) return;
    }
  } finally {
    await (live as AsyncIterator<unknown>).return?.();
  }
}
