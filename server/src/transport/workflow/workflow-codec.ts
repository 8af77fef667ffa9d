/**
 * WorkflowService messages to and from the workflow service's plain
 * records. Field names in errors are the request's (state_json, status).
 */
import {
  RunStatus as PbRunStatus, StepStatus as PbStepStatus, type Run, type Sop, type Step,
} from '../../../../gen/ts/aria/workflow/v1/workflow.js';
import { InvalidArgumentError } from '../../core/errors.js';
import type { RunRecord, RunStatus, StepEvent, StoredSop } from '../../services/workflow/index.js';

const RUN: Record<RunStatus, PbRunStatus> = {
  running: PbRunStatus.RUN_STATUS_RUNNING,
  waiting: PbRunStatus.RUN_STATUS_WAITING,
  paused: PbRunStatus.RUN_STATUS_PAUSED,
  completed: PbRunStatus.RUN_STATUS_COMPLETED,
  failed: PbRunStatus.RUN_STATUS_FAILED,
  cancelled: PbRunStatus.RUN_STATUS_CANCELLED,
};

const STEP: Record<StepEvent['status'], PbStepStatus> = {
  running: PbStepStatus.STEP_STATUS_RUNNING,
  waiting: PbStepStatus.STEP_STATUS_WAITING,
  completed: PbStepStatus.STEP_STATUS_COMPLETED,
  failed: PbStepStatus.STEP_STATUS_FAILED,
  cancelled: PbStepStatus.STEP_STATUS_CANCELLED,
};

/** A stored SOP revision as a message. */
export function encodeSop(s: StoredSop): Sop {
  const m = s.sop.metadata;
  return {
    name: s.sop.name, revision: s.revision, version: s.sop.version, sopJson: s.json, owner: s.owner, createdUnixMs: s.createdUnixMs,
    lastUpdated: m.lastUpdated, nextReview: m.nextReview, approvedBy: m.approvedBy, contact: m.contact, goals: [...s.sop.goals],
  };
}

/** A run as a message. */
export function encodeRun(r: RunRecord): Run {
  return {
    id: r.id, sopName: r.sopName, sopRevision: r.sopRevision, status: RUN[r.status], stateJson: JSON.stringify(r.state), plan: [...r.plan],
    cursor: r.cursor, banned: [...r.banned], repairs: r.repairs, message: r.message, owner: r.owner, createdUnixMs: r.createdUnixMs, updatedUnixMs: r.updatedUnixMs,
  };
}

/** A step's span as a message. */
export function encodeStep(e: StepEvent, idempotencyKey: string): Step {
  return {
    runId: e.runId, stepIndex: e.stepIndex, command: e.command, kind: e.kind, status: STEP[e.status], attempt: e.attempt, idempotencyKey,
    startUnixMs: e.startUnixMs, endUnixMs: e.endUnixMs, message: e.message, traceId: e.traceId, spanId: e.spanId,
  };
}

/** A protobuf RunStatus as the service's; undefined for UNSPECIFIED. */
export function decodeRunStatus(s: PbRunStatus, field: string): RunStatus | undefined {
  if (s === PbRunStatus.RUN_STATUS_UNSPECIFIED) return undefined;
  const found = (Object.keys(RUN) as RunStatus[]).find((k) => RUN[k] === s);
  if (!found) throw new InvalidArgumentError(field, `unknown run status ${s}`);
  return found;
}

/** An optional JSON object given as text (StartRun's state_json). */
export function decodeStateJson(text: string, field: string): Record<string, unknown> | undefined {
  if (!text) return undefined;
  if (text.length > 256 * 1024) throw new InvalidArgumentError(field, `at most ${256 * 1024} characters, got ${text.length}`);
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (err) {
    throw new InvalidArgumentError(field, `not JSON: ${(err as Error).message}`);
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new InvalidArgumentError(field, 'must be a JSON object');
  return v as Record<string, unknown>;
}
