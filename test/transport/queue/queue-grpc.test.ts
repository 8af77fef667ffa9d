/**
 * QueueService over a real socket, on the in-process queue: submit, watch,
 * get, list and cancel; each problem's failure with the same status and
 * field as Plan gives it; bad requests answered with the right status.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { credentials, Metadata, Server, ServerCredentials, status, type ClientReadableStream, type ServiceError } from '@grpc/grpc-js';
import { pino } from 'pino';
import { PlanStatus } from '../../../gen/ts/aria/planner/v1/planner.js';
import {
  JobState, QueueServiceClient, SubmitPlanJobRequest,
  type CancelJobResponse, type GetJobResponse, type ListJobsResponse, type SubmitPlanJobResponse, type WatchJobResponse,
} from '../../../gen/ts/aria/queue/v1/queue.js';
import { readErrorDetail } from '../../../server/src/transport/status-mapping.js';
import { DomainRegistry } from '../../../server/src/services/engine/domain-registry.js';
import { MemoryDomainStore } from '../../../server/src/services/engine/domain-store.js';
import { importLibrary } from '../../../server/src/planner/library.js';
import { jsonToState, jsonToTodo } from '../../../server/src/pool/value-proto.js';
import { PlannerPool } from '../../../server/src/pool/planner-pool.js';
import { addQueueService } from '../../../server/src/app/queue-service.js';
import { DIG, SLOW_TEXT, TRAVEL } from '../../support/queue-fixtures.js';

const log = pino({ level: 'silent' });
const pool = new PlannerPool({ size: 2, logCrashes: false, killGraceMs: 500 });
const registry = await DomainRegistry.open(await importLibrary(), new MemoryDomainStore(), log);
const slow = (await registry.register({ text: SLOW_TEXT })).entry;
const shutdown = new AbortController();
const server = new Server();
// The in-process queue, whatever REDIS_URL says: this file tests the adapter.
const { queue } = await addQueueService(server, { domains: registry, planner: pool, log, shutdown: shutdown.signal, config: {} });
const port = await new Promise<number>((resolve, reject) => server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))));
const client = new QueueServiceClient(`127.0.0.1:${port}`, credentials.createInsecure());

test.after(async () => {
  client.close();
  await new Promise<void>((r) => server.tryShutdown(() => r()));
  await queue.close();
  await pool.close();
});

type Unary<Req, Res> = (req: Req, md: Metadata, cb: (err: ServiceError | null, res: Res) => void) => unknown;
function call<Req, Res>(method: keyof QueueServiceClient, req: Req): Promise<Res> {
  const fn = (client[method] as unknown as Unary<Req, Res>).bind(client);
  return new Promise((resolve, reject) => fn(req, new Metadata(), (err, res) => (err ? reject(err) : resolve(res))));
}
/** Submits a request given as a partial message (fromPartial fills the rest; its strict typing does not suit a helper's parameter). */
const submit = (req: object) => call<SubmitPlanJobRequest, SubmitPlanJobResponse>('submitPlanJob', SubmitPlanJobRequest.fromPartial(req as never));

async function watchAll(jobId: string): Promise<WatchJobResponse[]> {
  const stream: ClientReadableStream<WatchJobResponse> = client.watchJob({ jobId });
  const out: WatchJobResponse[] = [];
  for await (const m of stream) out.push(m as WatchJobResponse);
  return out;
}

async function failure(p: Promise<unknown>): Promise<{ code: status; field?: string }> {
  try {
    await p;
  } catch (err) {
    const e = err as ServiceError;
    return { code: e.code, field: readErrorDetail(e.metadata)?.field };
  }
  throw new Error('the call succeeded; a failure was expected');
}

test('a batch: submit, watch progress to the end, read it again, list it', async () => {
  const { job, created } = await submit({
    domain: 'simple_htn',
    problems: [
      { state: jsonToState(TRAVEL.state), todo: jsonToTodo(TRAVEL.todo) },
      { problemJson: '{"state": 3, "todo": []}' },
      { problemJson: JSON.stringify(TRAVEL) },
    ],
  });
  assert.ok(created);
  assert.ok(job?.state === JobState.JOB_STATE_QUEUED || job?.state === JobState.JOB_STATE_RUNNING);
  assert.equal([job?.total, job?.domainName], [3, 'simple_htn']);
  const messages = await watchAll(job!.id);
  const last = messages.at(-1)?.event;
  assert.ok(last?.$case === 'finished');
  assert.ok(messages.slice(0, -1).every((m) => m.event?.$case === 'progress'));
  const finished = last.finished;
  assert.equal([finished.state, finished.done, finished.results.map((r) => r.index)], [JobState.JOB_STATE_COMPLETED, 3, [0, 1, 2]]);
  const [r0, r1] = finished.results;
  assert.ok(r0.outcome?.$case === 'result' && r0.outcome.result.status === PlanStatus.PLAN_STATUS_PLAN);
  assert.is(r0.outcome.result.plan.map((s) => s.name).join(','), 'call_taxi,ride_taxi,pay_driver');
  assert.ok(r1.outcome?.$case === 'error');
  assert.equal([r1.outcome.error.code, r1.outcome.error.field], [status.INVALID_ARGUMENT, 'problems[1].problem_json.state']);
  const again = await call<{ jobId: string }, GetJobResponse>('getJob', { jobId: job!.id });
  assert.equal(again.job, finished);
  const listed = await call<object, ListJobsResponse>('listJobs', { state: JobState.JOB_STATE_COMPLETED, limit: 0, domainName: 'simple_htn' });
  assert.ok(listed.jobs.some((j) => j.id === job!.id && j.results.length === 0));
});

test('a limit reached in a job has the status Plan gives it', async () => {
  const { job } = await submit({ domain: slow.id, problems: [{ problemJson: JSON.stringify(DIG) }], options: { limits: { timeoutMs: 50 } } });
  const last = (await watchAll(job!.id)).at(-1)?.event;
  assert.ok(last?.$case === 'finished');
  const r = last.finished.results[0];
  assert.ok(r.outcome?.$case === 'error');
  assert.equal([r.outcome.error.code, r.outcome.error.limit], [status.DEADLINE_EXCEEDED, 'deadline']);
  assert.is(last.finished.domainId, slow.id);
});

test('CancelJob stops a running job; the job says CANCELLED', async () => {
  const { job } = await submit({ domain: slow.name, problems: [{ problemJson: JSON.stringify(DIG) }], options: { limits: { maxExpansions: 1e15 } } });
  const watching = watchAll(job!.id);
  await new Promise((r) => setTimeout(r, 200));
  const c = await call<{ jobId: string }, CancelJobResponse>('cancelJob', { jobId: job!.id });
  assert.ok(c.cancelled);
  const last = (await watching).at(-1)?.event;
  assert.ok(last?.$case === 'finished');
  assert.equal([last.finished.state, last.finished.error?.code], [JobState.JOB_STATE_CANCELLED, status.CANCELLED]);
});

test('bad requests get the right status and field', async () => {
  assert.equal(await failure(submit({ domain: 'no_such_domain', problems: [{}] })), { code: status.NOT_FOUND, field: 'domain' });
  assert.equal(await failure(submit({ domain: 'simple_htn', problems: [] })), { code: status.INVALID_ARGUMENT, field: 'problems' });
  assert.equal(await failure(submit({ domain: 'simple_htn', problems: [{}], options: { traceLevel: 2 } })), { code: status.INVALID_ARGUMENT, field: 'options.trace_level' });
  assert.equal(await failure(submit({ domain: 'simple_htn', problems: [{}], jobId: '12345' })), { code: status.INVALID_ARGUMENT, field: 'job_id' });
  assert.equal(
    await failure(submit({ domain: 'simple_htn', problems: [{}, { problemJson: '{}', todo: jsonToTodo([['x']]) }] })),
    { code: status.INVALID_ARGUMENT, field: 'problems[1].problem_json' },
  );
  assert.is((await failure(call('getJob', { jobId: 'nope' }))).code, status.NOT_FOUND);
  assert.is((await failure(call('getJob', { jobId: '' }))).code, status.INVALID_ARGUMENT);
  const stream = client.watchJob({ jobId: 'nope' });
  const streamed = await failure((async () => {
    for await (const _ of stream) void _;
  })());
  assert.is(streamed.code, status.NOT_FOUND);
});

test.run();
