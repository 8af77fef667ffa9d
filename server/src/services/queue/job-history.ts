/**
 * Where finished job problems are recorded as plan history. The queue only
 * needs an awaited, idempotent `record`; the data layer's plan_history table
 * is one binding (sql-job-history.ts), the in-memory one serves tests and
 * processes without a database.
 *
 * Why not the data layer's batching PlanHistory (services/data/plan-history.ts)? It
 * queues rows in memory and gives each a random id: a worker killed before
 * its flush would lose rows whose results were already saved, and a problem
 * planned again by the next worker would get a second row.
 *
 * Records have ids derived from (job id, problem index), and `record` must
 * ignore an id it already has: a job whose worker died is finished by
 * another worker, which may plan a problem the first one had recorded but
 * not yet saved, and the history must still hold it once.
 */
import { createHash } from 'node:crypto';
import type { JobDomain, ProblemOutcome } from './job-types.js';

/** One planning call, as the data layer's plan_history table holds it. */
export interface PlanHistoryRecord {
  /** A UUID (see historyRecordId). */
  id: string;
  createdUnixMs: number;
  username: string;
  /** The RPC that planned; "SubmitPlanJob" for jobs. */
  method: string;
  domainId: string;
  domainName: string;
  /** plan, no_plan, error or limit. */
  status: 'plan' | 'no_plan' | 'error' | 'limit';
  planLength: number;
  durationMs: number;
}

/** The plan history, as the queue writes it. */
export interface JobHistory {
  /** Stores a record durably before resolving; a record whose id is already stored is ignored. */
  record(entry: PlanHistoryRecord): Promise<void>;
}

/** The method name job records carry. */
export const JOB_METHOD = 'SubmitPlanJob';

/** A UUID (version 8, name-based) for problem `index` of job `jobId`: the same pair always gives the same id. */
export function historyRecordId(jobId: string, index: number): string {
  const h = createHash('sha256').update(`aria-job\0${jobId}\0${index}`).digest();
  h[6] = (h[6] & 0x0f) | 0x80;
  h[8] = (h[8] & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The history record of one problem's outcome; undefined for a malformed
 * problem, which never reached the planner.
 */
export function historyRecordOf(jobId: string, index: number, domain: JobDomain, username: string, outcome: ProblemOutcome): PlanHistoryRecord | undefined {
  if (outcome.status === 'invalid') return undefined;
  return {
    id: historyRecordId(jobId, index),
    createdUnixMs: Date.now(),
    username,
    method: JOB_METHOD,
    domainId: domain.id,
    domainName: domain.name,
    // A planner fault is recorded as an error: the call ran and gave no answer.
    status: outcome.status === 'crash' ? 'error' : outcome.status,
    planLength: outcome.status === 'plan' ? outcome.plan.length : 0,
    durationMs: outcome.durationMs,
  };
}

/** Plan history in memory (newest last), for the embedded queue without a database and for tests. */
export class MemoryJobHistory implements JobHistory {
  private readonly byId = new Map<string, PlanHistoryRecord>();

  constructor(private readonly maxRecords = 100_000) {}

  async record(entry: PlanHistoryRecord): Promise<void> {
    if (this.byId.has(entry.id)) return;
    this.byId.set(entry.id, entry);
    // Maps iterate in insertion order: the first key is the oldest record.
    while (this.byId.size > this.maxRecords) this.byId.delete(this.byId.keys().next().value as string);
  }

  /** The records, oldest first. */
  all(): PlanHistoryRecord[] {
    return [...this.byId.values()];
  }
}

/** A history that keeps nothing (workers told to record no history). */
export const NO_HISTORY: JobHistory = { record: async () => undefined };
