/** SOPs the workflow tests share. */

/** Metadata every test SOP carries. */
export const META = { last_updated: '2026-12-01', next_review: '2027-01-01', approved_by: 'tests', contact: 'tests@example.org' };

/** An SOP document with the given goals, tasks and commands. */
export function sop(name: string, body: { goals: string[]; tasks?: object; commands: object; state?: object }): string {
  return JSON.stringify({ name, version: '1', metadata: META, docs: '# test', ...body });
}
