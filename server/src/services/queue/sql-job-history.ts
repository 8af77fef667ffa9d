/**
 * Job outcomes in the data layer's plan_history table (migration 1 of
 * server/src/services/data/migrations.ts), through its Database interface: PostgreSQL
 * or PGlite alike. Each insert is awaited (the row is durable before the
 * outcome is saved) and idempotent (ON CONFLICT DO NOTHING on the id), so the
 * data layer may retry it after a lost connection, and a problem planned
 * twice (by a worker that died and the one that took its job over) is still
 * recorded once. The data layer's own PlanHistory reads these rows back
 * (ListPlanHistory) like any other.
 */
import type { Database } from '../data/index.js';
import type { JobHistory, PlanHistoryRecord } from './job-history.js';

/** A JobHistory on the data layer. */
export class SqlJobHistory implements JobHistory {
  constructor(private readonly db: Database) {}

  async record(r: PlanHistoryRecord): Promise<void> {
    await this.db.query(
      `INSERT INTO ${this.db.t('plan_history')}
         (id, created_at, username, method, domain_id, domain_name, status, plan_length, duration_ms)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (id) DO NOTHING`,
      [r.id, new Date(r.createdUnixMs), r.username, r.method, r.domainId, r.domainName, r.status, r.planLength, r.durationMs],
      { idempotent: true },
    );
  }
}
