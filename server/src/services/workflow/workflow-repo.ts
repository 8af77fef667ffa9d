/**
 * SQL for SOP revisions, runs and steps (migration 3). A step is written
 * before its command runs (`startStep`) and after (`finishStep`, in the
 * same transaction as the run's move past it), so a restarted server reads
 * exactly which steps completed.
 */
import type { Database, Queryable } from '../data/index.js';
import type { Sop, SopValue } from './sop-types.js';
import { checkSop } from './validate-sop.js';

/** A stored SOP revision. */
export interface StoredSop {
  readonly sop: Sop;
  /** The document as stored (JSON; the database may have reordered object keys). */
  readonly json: string;
  readonly revision: number;
  readonly owner: string;
  readonly createdUnixMs: number;
}

/** Where a run is. */
export type RunStatus = 'running' | 'waiting' | 'paused' | 'completed' | 'failed' | 'cancelled';
/** Where a step is. */
export type StepStatus = 'running' | 'waiting' | 'completed' | 'failed' | 'cancelled';

/** A run as stored. */
export interface RunRecord {
  readonly id: string;
  readonly sopName: string;
  readonly sopRevision: number;
  readonly status: RunStatus;
  readonly state: Record<string, SopValue>;
  /** The current plan's command names. */
  readonly plan: readonly string[];
  /** The next command's position in `plan`. */
  readonly cursor: number;
  /** Commands that failed; repairs plan without them. */
  readonly banned: readonly string[];
  readonly repairs: number;
  readonly message: string;
  readonly owner: string;
  readonly createdUnixMs: number;
  readonly updatedUnixMs: number;
}

/** A step as stored. */
export interface StepRecord {
  readonly runId: string;
  readonly index: number;
  readonly command: string;
  readonly kind: string;
  readonly status: StepStatus;
  readonly idempotencyKey: string;
  readonly attempts: number;
  readonly stateBefore: Record<string, SopValue>;
  readonly stateAfter: Record<string, SopValue> | null;
  readonly message: string;
  readonly startedUnixMs: number;
  readonly endedUnixMs: number | null;
}

const json = (v: unknown): unknown => (typeof v === 'string' ? JSON.parse(v) : v);
const num = (v: unknown): number => Number(v);

function toRun(r: Record<string, unknown>): RunRecord {
  return {
    id: r.id as string, sopName: r.sop_name as string, sopRevision: num(r.sop_revision), status: r.status as RunStatus,
    state: json(r.state) as Record<string, SopValue>, plan: json(r.plan) as string[], cursor: num(r.plan_cursor), banned: json(r.banned) as string[],
    repairs: num(r.repairs), message: r.message as string, owner: r.owner as string, createdUnixMs: num(r.created_unix_ms), updatedUnixMs: num(r.updated_unix_ms),
  };
}

/** A stored revision, checked again: a stored SOP was valid when put, and is read back through the same checks. */
function toSop(r: Record<string, unknown>): StoredSop {
  const document = json(r.document);
  return { sop: checkSop(document), json: JSON.stringify(document), revision: num(r.revision), owner: r.owner as string, createdUnixMs: num(r.created_unix_ms) };
}

function toStep(r: Record<string, unknown>): StepRecord {
  return {
    runId: r.run_id as string, index: num(r.step_index), command: r.command as string, kind: r.kind as string, status: r.status as StepStatus,
    idempotencyKey: r.idempotency_key as string, attempts: num(r.attempts), stateBefore: json(r.state_before) as Record<string, SopValue>,
    stateAfter: r.state_after === null ? null : (json(r.state_after) as Record<string, SopValue>), message: r.message as string,
    startedUnixMs: num(r.started_unix_ms), endedUnixMs: r.ended_unix_ms === null ? null : num(r.ended_unix_ms),
  };
}

/** A run's changing fields. */
export type RunUpdate = Partial<Pick<RunRecord, 'status' | 'state' | 'plan' | 'cursor' | 'banned' | 'repairs' | 'message'>>;

/** SQL for the workflow tables. */
export class WorkflowRepo {
  constructor(private readonly db: Database) {}

  /** Stores the next revision of an SOP. */
  async putSop(sop: Sop, document: unknown, owner: string): Promise<StoredSop> {
    const t = this.db.t('workflow_sops');
    const now = Date.now();
    const rows = await this.db.transaction((tx) => tx.query<{ revision: number }>(
      `INSERT INTO ${t} (name, revision, version_label, document, owner, created_unix_ms)
       SELECT $1, COALESCE(MAX(revision), 0) + 1, $2, $3::text::jsonb, $4, $5 FROM ${t} WHERE name = $1 RETURNING revision`,
      [sop.name, sop.version, JSON.stringify(document), owner, now],
    ));
    return { sop, json: JSON.stringify(document), revision: num(rows[0].revision), owner, createdUnixMs: now };
  }

  /** An SOP revision; the latest when `revision` is 0. */
  async getSop(name: string, revision = 0): Promise<StoredSop | undefined> {
    const rows = await this.db.query(
      `SELECT revision, document, owner, created_unix_ms FROM ${this.db.t('workflow_sops')} WHERE name = $1 AND ($2 = 0 OR revision = $2) ORDER BY revision DESC LIMIT 1`,
      [name, revision],
    );
    return rows[0] && toSop(rows[0]);
  }

  /** Each SOP's latest revision, by name. */
  async listSops(limit: number): Promise<StoredSop[]> {
    const rows = await this.db.query(
      `SELECT DISTINCT ON (name) revision, document, owner, created_unix_ms FROM ${this.db.t('workflow_sops')} ORDER BY name, revision DESC LIMIT $1`,
      [limit],
    );
    return rows.map(toSop);
  }

  /** Records a new run. */
  async insertRun(run: RunRecord): Promise<void> {
    await this.db.query(
      `INSERT INTO ${this.db.t('workflow_runs')} (id, sop_name, sop_revision, status, state, plan, plan_cursor, banned, repairs, message, owner, created_unix_ms, updated_unix_ms)
       VALUES ($1, $2, $3, $4, $5::text::jsonb, $6::text::jsonb, $7, $8::text::jsonb, $9, $10, $11, $12, $13) ON CONFLICT (id) DO NOTHING`,
      [run.id, run.sopName, run.sopRevision, run.status, JSON.stringify(run.state), JSON.stringify(run.plan), run.cursor, JSON.stringify(run.banned),
        run.repairs, run.message, run.owner, run.createdUnixMs, run.updatedUnixMs],
      { idempotent: true },
    );
  }

  /** Changes a run's fields; the updated run. */
  async updateRun(id: string, u: RunUpdate, q: Queryable = this.db): Promise<RunRecord> {
    const cols: string[] = [];
    const params: unknown[] = [id];
    const set = (col: string, v: unknown, cast = '') => {
      params.push(v);
      cols.push(`${col} = $${params.length}${cast}`);
    };
    if (u.status !== undefined) set('status', u.status);
    if (u.state !== undefined) set('state', JSON.stringify(u.state), '::text::jsonb');
    if (u.plan !== undefined) set('plan', JSON.stringify(u.plan), '::text::jsonb');
    if (u.cursor !== undefined) set('plan_cursor', u.cursor);
    if (u.banned !== undefined) set('banned', JSON.stringify(u.banned), '::text::jsonb');
    if (u.repairs !== undefined) set('repairs', u.repairs);
    if (u.message !== undefined) set('message', u.message);
    set('updated_unix_ms', Date.now());
    const rows = await q.query(`UPDATE ${this.db.t('workflow_runs')} SET ${cols.join(', ')} WHERE id = $1 RETURNING *`, params);
    return toRun(rows[0]);
  }

  /** A run, or undefined. */
  async getRun(id: string): Promise<RunRecord | undefined> {
    const rows = await this.db.query(`SELECT * FROM ${this.db.t('workflow_runs')} WHERE id = $1`, [id]);
    return rows[0] && toRun(rows[0]);
  }

  /** Runs, newest first, optionally of one SOP or status. */
  async listRuns(filter: { sopName?: string; status?: RunStatus; limit: number }): Promise<RunRecord[]> {
    const rows = await this.db.query(
      `SELECT * FROM ${this.db.t('workflow_runs')} WHERE ($1 = '' OR sop_name = $1) AND ($2 = '' OR status = $2) ORDER BY created_unix_ms DESC, id LIMIT $3`,
      [filter.sopName ?? '', filter.status ?? '', filter.limit],
    );
    return rows.map(toRun);
  }

  /** Runs a restarted server must pick up: running or waiting for approval. */
  async unfinishedRuns(): Promise<RunRecord[]> {
    const rows = await this.db.query(`SELECT * FROM ${this.db.t('workflow_runs')} WHERE status IN ('running', 'waiting') ORDER BY created_unix_ms`);
    return rows.map(toRun);
  }

  /** A run's steps in order. */
  async steps(runId: string): Promise<StepRecord[]> {
    const rows = await this.db.query(`SELECT * FROM ${this.db.t('workflow_steps')} WHERE run_id = $1 ORDER BY step_index`, [runId]);
    return rows.map(toStep);
  }

  /**
   * Writes a step as running before its command runs: a new row, or, for a
   * step found running after a restart, one more attempt on the same row
   * (same index, same idempotency key).
   */
  async startStep(s: Pick<StepRecord, 'runId' | 'index' | 'command' | 'kind' | 'stateBefore'>): Promise<StepRecord> {
    const rows = await this.db.query(
      `INSERT INTO ${this.db.t('workflow_steps')} (run_id, step_index, command, kind, status, idempotency_key, attempts, state_before, started_unix_ms)
       VALUES ($1, $2, $3, $4, 'running', $5, 1, $6::text::jsonb, $7)
       ON CONFLICT (run_id, step_index) DO UPDATE SET attempts = ${this.db.t('workflow_steps')}.attempts + 1, status = 'running', started_unix_ms = EXCLUDED.started_unix_ms, ended_unix_ms = NULL
       RETURNING *`,
      [s.runId, s.index, s.command, s.kind, `${s.runId}:${s.index}`, JSON.stringify(s.stateBefore), Date.now()],
    );
    return toStep(rows[0]);
  }

  /** Ends a step and moves its run on, in one transaction: never one without the other. */
  /**
   * Ends a step and moves its run on, in one transaction: never one without
   * the other. Only a step still in status `from` is ended: undefined when
   * another call (an approval, a cancel) ended it first.
   */
  async finishStep(runId: string, index: number, from: StepStatus, step: { status: StepStatus; stateAfter: Record<string, SopValue> | null; message: string }, run: RunUpdate): Promise<{ step: StepRecord; run: RunRecord } | undefined> {
    return this.db.transaction(async (tx) => {
      const rows = await tx.query(
        `UPDATE ${this.db.t('workflow_steps')} SET status = $3, state_after = $4::text::jsonb, message = $5, ended_unix_ms = $6
         WHERE run_id = $1 AND step_index = $2 AND status = $7 RETURNING *`,
        [runId, index, step.status, step.stateAfter === null ? null : JSON.stringify(step.stateAfter), step.message, step.status === 'waiting' ? null : Date.now(), from],
      );
      if (rows.length === 0) return undefined;
      return { step: toStep(rows[0]), run: await this.updateRun(runId, run, tx) };
    });
  }
}
