/**
 * Job outcomes in the data layer's plan history: written through the
 * Database interface (PGlite always, PostgreSQL when DATABASE_URL is set),
 * once per (job, problem) however often they are recorded, and read back by
 * the data layer's own PlanHistory (ListPlanHistory).
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { PlanHistory } from '../../../server/src/services/data/plan-history.js';
import { historyRecordId, historyRecordOf } from '../../../server/src/services/queue/job-history.js';
import { SqlJobHistory } from '../../../server/src/services/queue/sql-job-history.js';
import { dataBackends } from '../../support/data-backends.js';

const domain = { id: 'a'.repeat(64), name: 'simple_htn', version: 1 };
const stats = { expansions: 3, backtracks: 0, maxDepth: 3, peakMemoryBytes: 0 };

test_ids();

for (const backend of dataBackends()) {
  const test = suite(`job history on ${backend.name}`);
  test.after(() => backend.cleanup());

  test('each (job, problem) is stored once, and ListPlanHistory reads it', async () => {
    const db = await backend.open();
    const history = new SqlJobHistory(db);
    const plan = historyRecordOf('job-1', 0, domain, 'ann', { status: 'plan', plan: [['a'], ['b']], stats, durationMs: 1.5 });
    const limit = historyRecordOf('job-1', 1, domain, 'ann', { status: 'limit', limit: 'deadline', message: 'late', stats, durationMs: 100 });
    assert.ok(plan && limit);
    await history.record(plan);
    // The worker that took the job over records the same problem again: ignored.
    await history.record({ ...plan, durationMs: 9 });
    await history.record(limit);
    const rows = await new PlanHistory(db).list({ domainName: 'simple_htn' });
    assert.is(rows.length, 2);
    const byId = new Map(rows.map((r) => [r.id, r]));
    assert.equal(
      [byId.get(plan.id)?.status, byId.get(plan.id)?.planLength, byId.get(plan.id)?.durationMs, byId.get(plan.id)?.method, byId.get(plan.id)?.username],
      ['plan', 2, 1.5, 'SubmitPlanJob', 'ann'],
    );
    assert.is(byId.get(limit.id)?.status, 'limit');
  });

  test.run();
}

function test_ids(): void {
  const test = suite('job history ids');
  test('ids are UUIDs, the same for the same (job, problem), different otherwise', () => {
    const id = historyRecordId('job-1', 0);
    assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.is(historyRecordId('job-1', 0), id);
    assert.is.not(historyRecordId('job-1', 1), id);
    assert.is.not(historyRecordId('job-10', 0), historyRecordId('job-1', 0));
  });
  test('a malformed problem never reached the planner: no record', () => {
    assert.is(historyRecordOf('j', 0, domain, '', { status: 'invalid', field: 'state', message: 'x', durationMs: 0 }), undefined);
    assert.is(historyRecordOf('j', 0, domain, '', { status: 'crash', message: 'x', durationMs: 0 })?.status, 'error');
  });
  test.run();
}
