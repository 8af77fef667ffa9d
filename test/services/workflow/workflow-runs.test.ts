/**
 * Workflow runs on a real database (PGlite, or PostgreSQL in CI's
 * real-backend run): a run that completes, a failed command repaired
 * without re-running completed steps, approval, pause and resume, cancel,
 * and a service closed mid-run and opened again on the same database,
 * which resumes the run (the interrupted step run again under the same
 * idempotency key, completed ones never).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Database } from '../../../server/src/services/data/index.js';
import { WorkflowService, type WorkflowEvent } from '../../../server/src/services/workflow/index.js';
import { dataBackends } from '../../support/data-backends.js';
import { rejects, sop, until } from './workflow-fixtures.js';

const backend = dataBackends().at(-1)!;
let db: Database;
const open: WorkflowService[] = [];
/** Commands started, in order, across every service of a test. */
let started: string[] = [];

async function service(maxRepairs?: number): Promise<WorkflowService> {
  const s = await WorkflowService.open({ db, maxRepairs, onCommand: (_run, i, c) => started.push(`${i}:${c}`), onError: (err) => { throw err; } });
  open.push(s);
  return s;
}

test.before.each(async () => {
  db = await backend.open();
  started = [];
});
test.after.each(async () => {
  for (const s of open.splice(0)) await s.close();
});
test.after(async () => {
  await backend.cleanup();
});

const LINE = sop('line', {
  goals: ['g'], state: { who: 'ann' },
  tasks: { g: { methods: [{ name: 'm', subtasks: ['a', 'pause_here', 'b'] }] } },
  commands: { a: { kind: 'set', values: { x: 1 } }, pause_here: { kind: 'wait', ms: 1 }, b: { kind: 'set', values: { y: 'two', z: [1, 2] } } },
});

test('a run plans, executes each command, persists each step and completes', async () => {
  const svc = await service();
  const put = await svc.putSop(LINE, 'ann');
  assert.is(put.revision, 1);
  assert.is((await svc.putSop(LINE)).revision, 2);
  const run = await svc.startRun({ sop: 'line', state: { extra: true }, owner: 'ann' });
  assert.equal(run.plan, ['a', 'pause_here', 'b']);
  const done = await until(svc, run.id, ['completed', 'failed']);
  assert.is(done.status, 'completed', done.message);
  assert.equal(done.state, { who: 'ann', extra: true, x: 1, y: 'two', z: [1, 2] });
  const { steps } = await svc.getRun(run.id);
  assert.equal(steps.map((s) => [s.index, s.command, s.status, s.attempts]), [[0, 'a', 'completed', 1], [1, 'pause_here', 'completed', 1], [2, 'b', 'completed', 1]]);
  assert.equal(steps[2].stateBefore, { who: 'ann', extra: true, x: 1 });
  assert.equal(steps.map((s) => s.idempotencyKey), [0, 1, 2].map((i) => `${run.id}:${i}`));
  assert.ok(steps.every((s) => s.endedUnixMs !== null && s.endedUnixMs >= s.startedUnixMs));
  assert.equal((await svc.listRuns({ sopName: 'line' })).map((r) => r.id), [run.id]);
  assert.equal((await svc.listSops()).map((s) => [s.sop.name, s.revision]), [['line', 2]]);
  // Watching an ended run gives its spans and its last status, then ends.
  const events: WorkflowEvent[] = [];
  for await (const e of svc.watch(run.id, new AbortController().signal)) events.push(e);
  assert.equal(events.map((e) => (e.type === 'step' ? `${e.stepIndex}:${e.status}` : e.run.status)), ['0:completed', '1:completed', '2:completed', 'completed']);
  const span = events[0] as Extract<WorkflowEvent, { type: 'step' }>;
  assert.is(span.traceId, run.id.replace(/-/g, ''));
  assert.match(span.spanId, /^[0-9a-f]{16}$/);
});

test('a failed command is repaired: replanned without it, completed steps kept and not re-run', async () => {
  const svc = await service();
  await svc.putSop(sop('repair', {
    goals: ['g'],
    tasks: {
      g: {
        methods: [
          { name: 'flaky_way', subtasks: ['prep', 'flaky', 'finish'] },
          { name: 'safe_way', subtasks: ['prep', 'safe', 'finish'] },
        ],
      },
    },
    commands: { prep: { kind: 'set', values: { prepared: true } }, flaky: { kind: 'fail', message: 'the service is down' }, safe: { kind: 'set', values: { safe: true } }, finish: { kind: 'wait', ms: 0 } },
  }));
  const run = await svc.startRun({ sop: 'repair' });
  assert.equal(run.plan, ['prep', 'flaky', 'finish']);
  const done = await until(svc, run.id, ['completed', 'failed']);
  assert.is(done.status, 'completed', done.message);
  assert.equal([done.repairs, done.banned, done.plan], [1, ['flaky'], ['safe', 'finish']]);
  assert.match(done.message, /repaired after step 1 \(flaky\) failed: the service is down/);
  assert.equal(started, ['0:prep', '1:flaky', '2:safe', '3:finish']);
  const { steps } = await svc.getRun(run.id);
  assert.equal(steps.map((s) => `${s.command}:${s.status}`), ['prep:completed', 'flaky:failed', 'safe:completed', 'finish:completed']);
  assert.is(steps[1].message, 'the service is down');
});

test('a run fails for good when no repair is left, or no plan avoids the failed command', async () => {
  const svc = await service(0);
  await svc.putSop(sop('doomed', {
    goals: ['g'],
    tasks: { g: { methods: [{ name: 'a', subtasks: ['boom'] }, { name: 'b', subtasks: ['ok'] }] } },
    commands: { boom: { kind: 'fail' }, ok: { kind: 'set', values: {} } },
  }));
  const noRepairs = await until(svc, (await svc.startRun({ sop: 'doomed' })).id, ['completed', 'failed']);
  assert.is(noRepairs.status, 'failed');
  assert.match(noRepairs.message, /no repairs left \(0 made\)/);
  const svc2 = await service();
  await svc2.putSop(sop('hopeless', { goals: ['boom'], commands: { boom: { kind: 'fail', message: 'nope' } } }));
  const noPlan = await until(svc2, (await svc2.startRun({ sop: 'hopeless' })).id, ['completed', 'failed']);
  assert.is(noPlan.status, 'failed');
  assert.match(noPlan.message, /step 0 \(boom\) failed: nope; repair: no plan without the failed commands \(boom\)/);
});

const APPROVAL = sop('approval', {
  goals: ['g'],
  tasks: { g: { methods: [{ name: 'reviewed', subtasks: ['draft', 'review', 'publish'] }, { name: 'fallback', subtasks: ['draft', 'archive'] }] } },
  commands: {
    draft: { kind: 'set', values: { drafted: true } },
    review: { kind: 'approve', prompt: 'publish it?', into: 'review' },
    publish: { kind: 'set', values: { published: true } },
    archive: { kind: 'set', values: { archived: true } },
  },
});

test('an approval step waits for ApproveStep; approved, the run goes on; refused, it is repaired', async () => {
  const svc = await service();
  await svc.putSop(APPROVAL);
  const yes = await svc.startRun({ sop: 'approval' });
  const waiting = await until(svc, yes.id, ['waiting']);
  assert.is(waiting.cursor, 1);
  await rejects(svc.approveStep({ runId: yes.id, stepIndex: 0, approved: true, by: 'bob' }), /waits on step 1, not 0/);
  await rejects(svc.pauseRun(yes.id), /approve or cancel/);
  await svc.approveStep({ runId: yes.id, stepIndex: 1, approved: true, by: 'bob', comment: 'fine' });
  const ok = await until(svc, yes.id, ['completed', 'failed']);
  assert.equal([ok.status, ok.state.review, ok.state.published], ['completed', { approved: true, by: 'bob', comment: 'fine' }, true]);
  await rejects(svc.approveStep({ runId: yes.id, stepIndex: 1, approved: true, by: 'bob' }), /not waiting for an approval/);

  const no = await svc.startRun({ sop: 'approval' });
  await until(svc, no.id, ['waiting']);
  await svc.approveStep({ runId: no.id, stepIndex: 1, approved: false, by: 'carol', comment: 'too early' });
  const repaired = await until(svc, no.id, ['completed', 'failed']);
  assert.equal([repaired.status, repaired.state.archived, repaired.state.published], ['completed', true, undefined]);
  const { steps } = await svc.getRun(no.id);
  assert.equal(steps.map((s) => `${s.command}:${s.status}`), ['draft:completed', 'review:failed', 'archive:completed']);
  assert.is(steps[1].message, 'refused by carol: too early');
});

const SLOW = sop('slow', {
  goals: ['g'],
  tasks: { g: { methods: [{ name: 'm', subtasks: ['first', 'long', 'last'] }] } },
  commands: { first: { kind: 'set', values: { a: 1 } }, long: { kind: 'wait', ms: 600_000 }, last: { kind: 'set', values: { b: 2 } } },
});

/** Waits until a run's step `index` has started (its attempt `attempt`). */
async function stepStarted(svc: WorkflowService, id: string, index: number, attempt = 1): Promise<void> {
  const end = Date.now() + 30_000;
  while (!(await svc.getRun(id)).steps.some((s) => s.index === index && s.status === 'running' && s.attempts === attempt)) {
    if (Date.now() > end) throw new Error(`step ${index} of run ${id} did not start`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('cancel stops the running command; the run and its step end cancelled, and a watcher sees it', async () => {
  const svc = await service();
  await svc.putSop(SLOW);
  const run = await svc.startRun({ sop: 'slow' });
  const events: WorkflowEvent[] = [];
  const watching = (async () => {
    for await (const e of svc.watch(run.id, new AbortController().signal)) events.push(e);
  })();
  await stepStarted(svc, run.id, 1);
  const cancelled = await svc.cancelRun(run.id);
  assert.is(cancelled.status, 'cancelled');
  await watching;
  const last = events.at(-1);
  assert.is(last?.type === 'run' ? last.run.status : last?.type, 'cancelled');
  assert.ok(events.some((e) => e.type === 'step' && e.command === 'long' && e.status === 'cancelled'));
  const { steps } = await svc.getRun(run.id);
  assert.equal(steps.map((s) => `${s.command}:${s.status}`), ['first:completed', 'long:cancelled']);
  await rejects(svc.cancelRun(run.id), /already cancelled/);
});

test('pause takes effect after the current step; resume goes on from there', async () => {
  const svc = await service();
  // The first step waits, so that the pause is asked for while it runs, however slow the machine: the
  // run must then stop before the approval step (a run already waiting for approval is not paused).
  await svc.putSop(sop('slow-approval', {
    goals: ['g'],
    tasks: { g: { methods: [{ name: 'reviewed', subtasks: ['draft', 'review', 'publish'] }] } },
    commands: {
      draft: { kind: 'wait', ms: 3000 },
      review: { kind: 'approve', prompt: 'publish it?', into: 'review' },
      publish: { kind: 'set', values: { published: true } },
    },
  }));
  const run = await svc.startRun({ sop: 'slow-approval' });
  await stepStarted(svc, run.id, 0);
  await svc.pauseRun(run.id);
  const paused = await until(svc, run.id, ['paused', 'waiting']);
  assert.is(paused.status, 'paused');
  await svc.resumeRun(run.id);
  const waiting = await until(svc, run.id, ['waiting']);
  assert.is(waiting.cursor, 1);
  await rejects(svc.resumeRun(run.id), /only a paused run/);
  await svc.cancelRun(run.id);
  const { run: ended, steps } = await svc.getRun(run.id);
  assert.equal([ended.status, steps.at(-1)?.status], ['cancelled', 'cancelled']);
});

test('a service closed mid-run and opened again resumes the run: the interrupted step again, completed ones never', async () => {
  const slowOnce = sop('resume', {
    goals: ['g'],
    tasks: { g: { methods: [{ name: 'm', subtasks: ['first', 'long', 'review', 'last'] }] } },
    commands: {
      first: { kind: 'set', values: { a: 1 } }, long: { kind: 'wait', ms: 600_000 }, review: { kind: 'approve' }, last: { kind: 'set', values: { b: 2 } },
    },
  });
  const one = await service();
  await one.putSop(slowOnce);
  const run = await one.startRun({ sop: 'resume' });
  await stepStarted(one, run.id, 1);
  await one.close();
  open.splice(open.indexOf(one), 1);
  const { steps: mid } = await one.getRun(run.id);
  assert.equal(mid.map((s) => `${s.command}:${s.status}:${s.attempts}`), ['first:completed:1', 'long:running:1']);

  // Reopened: the interrupted wait starts again (a second attempt on the same row and key); `first` is not run again.
  const two = await service();
  await stepStarted(two, run.id, 1, 2);
  const again = (await two.getRun(run.id)).steps;
  assert.equal(again.map((s) => `${s.command}:${s.status}:${s.attempts}`), ['first:completed:1', 'long:running:2']);
  assert.is(again[1].idempotencyKey, `${run.id}:1`);
  assert.equal(started, ['0:first', '1:long', '1:long']);
  // Closed again mid-step: the run is still running in the database, for the next open.
  await two.close();
  open.splice(open.indexOf(two), 1);
  assert.is((await two.getRun(run.id)).run.status, 'running');
});

test('a run waiting for approval when the service stops still waits after it reopens, and finishes without re-running a step', async () => {
  const one = await service();
  await one.putSop(APPROVAL);
  const run = await one.startRun({ sop: 'approval' });
  await until(one, run.id, ['waiting']);
  await one.close();
  open.splice(open.indexOf(one), 1);
  const two = await service();
  assert.is((await two.getRun(run.id)).run.status, 'waiting');
  await two.approveStep({ runId: run.id, stepIndex: 1, approved: true, by: 'dan' });
  const done = await until(two, run.id, ['completed', 'failed']);
  assert.is(done.status, 'completed');
  assert.equal(started, ['0:draft', '1:review', '2:publish']);
});

test('two answers to one approval at once: one moves the run on, the other is refused, no step is doubled', async () => {
  const svc = await service();
  await svc.putSop(APPROVAL);
  const run = await svc.startRun({ sop: 'approval' });
  await until(svc, run.id, ['waiting']);
  const answers = await Promise.allSettled([
    svc.approveStep({ runId: run.id, stepIndex: 1, approved: true, by: 'a' }),
    svc.approveStep({ runId: run.id, stepIndex: 1, approved: false, by: 'b' }),
  ]);
  assert.is(answers.filter((x) => x.status === 'fulfilled').length, 1);
  const lost = answers.find((x) => x.status === 'rejected') as PromiseRejectedResult;
  assert.match((lost.reason as Error).message, /not waiting for an approval|answered or cancelled by another call/);
  const done = await until(svc, run.id, ['completed', 'failed']);
  assert.is(done.status, 'completed');
  const { steps } = await svc.getRun(run.id);
  assert.is(steps.filter((s) => s.command === 'review').length, 1);
  assert.is(steps.length, 3);
});

test('bad requests: unknown SOP, unknown run, malformed run id, bad state', async () => {
  const svc = await service();
  await rejects(svc.startRun({ sop: 'nothing' }), /no SOP 'nothing'/);
  await rejects(svc.getRun('00000000-0000-0000-0000-000000000000'), /no run/);
  await rejects(svc.getRun('x'), /run_id: must be a run id/);
  await svc.putSop(LINE);
  await rejects(svc.startRun({ sop: 'line', state: { 'Bad Key': 1 } }), /state\.Bad Key: 'Bad Key' is not a name/);
  await rejects(svc.getSop('line', 9), /revision 9/);
});

test.run();
