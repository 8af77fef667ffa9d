/** SOPs the workflow tests share, and a bounded wait for a run's status. */
import type { RunRecord, WorkflowService } from '../../../server/src/services/workflow/index.js';

/** Metadata every test SOP carries. */
export const META = { last_updated: '2026-12-01', next_review: '2027-01-01', approved_by: 'tests', contact: 'tests@example.org' };

/** An SOP document with the given goals, tasks and commands. */
export function sop(name: string, body: { goals: string[]; tasks?: object; commands: object; state?: object }): string {
  return JSON.stringify({ name, version: '1', metadata: META, docs: '# test', ...body });
}

/**
 * Waits until a run reaches one of `statuses`, polling the database: no
 * timing assumption beyond a generous bound (a loaded 2-core machine).
 */
export async function until(svc: WorkflowService, id: string, statuses: RunRecord['status'][], boundMs = 30_000): Promise<RunRecord> {
  const end = Date.now() + boundMs;
  for (;;) {
    const { run } = await svc.getRun(id);
    if (statuses.includes(run.status)) return run;
    if (Date.now() > end) throw new Error(`run ${id} is ${run.status} after ${boundMs} ms, expected ${statuses.join(' or ')}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Asserts that a promise rejects with a message matching `re`. */
export async function rejects(p: Promise<unknown>, re: RegExp): Promise<Error> {
  try {
    await p;
  } catch (err) {
    if (!re.test((err as Error).message)) throw new Error(`rejected with '${(err as Error).message}', expected ${re}`);
    return err as Error;
  }
  throw new Error(`resolved; expected a rejection matching ${re}`);
}
