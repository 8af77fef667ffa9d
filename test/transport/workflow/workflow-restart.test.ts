/**
 * A whole server stopped mid-run and started again on the same data folder
 * (and schema): the run resumes at boot, its interrupted step runs again
 * (attempt 2, same idempotency key), its completed step is not run again.
 * The wiring under test: WorkflowService opened after the engine, closed
 * before the planner pool at shutdown.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { credentials, Metadata, type ServiceError } from '@grpc/grpc-js';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { pino } from 'pino';
import { StartRunRequest, StepStatus, WorkflowServiceClient, type GetRunResponse, type StartRunResponse } from '../../../gen/ts/aria/workflow/v1/workflow.js';
import { startServerWithFoundation, type FoundationAriaServer } from '../../../server/src/app/serve-with-foundation.js';
import { uniqueSchema } from '../../support/data-backends.js';

const fakeLibrary = new URL('../../support/fake-planner.js', import.meta.url).href;
const dataDir = await mkdtemp(join(tmpdir(), 'aria-workflow-restart-'));
const schema = uniqueSchema();
const env: NodeJS.ProcessEnv = process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {};

function start(): Promise<FoundationAriaServer> {
  return startServerWithFoundation({ port: 0, workers: 1, libraryUrl: fakeLibrary, logger: pino({ level: 'silent' }), dataDir, schema, env, devNoAuth: true });
}

function unary<Res>(client: WorkflowServiceClient, method: string, req: unknown): Promise<Res> {
  const fn = (client as unknown as Record<string, (r: unknown, md: Metadata, cb: (e: ServiceError | null, r: Res) => void) => void>)[method].bind(client);
  return new Promise((resolve, reject) => fn(req, new Metadata(), (e, r) => (e ? reject(e) : resolve(r))));
}

async function untilStep(client: WorkflowServiceClient, runId: string, index: number, attempt: number): Promise<GetRunResponse> {
  const end = Date.now() + 30_000;
  for (;;) {
    const r = await unary<GetRunResponse>(client, 'getRun', { runId });
    if (r.steps.some((s) => s.stepIndex === index && s.attempt === attempt && s.status === StepStatus.STEP_STATUS_RUNNING)) return r;
    if (Date.now() > end) throw new Error(`step ${index} attempt ${attempt} of run ${runId} did not start`);
    await new Promise((res) => setTimeout(res, 20));
  }
}

test.after(async () => {
  if (env.DATABASE_URL) {
    const pool = new pg.Pool({ connectionString: env.DATABASE_URL, max: 1 });
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).finally(() => pool.end());
  }
  await rm(dataDir, { recursive: true, force: true });
});

test('a run interrupted by a server stop resumes when the server starts again on the same folder', async () => {
  const sop = JSON.stringify({
    name: 'restart', version: '1', metadata: { last_updated: '2026-12-01', approved_by: 't', contact: 't' },
    goals: ['g'], tasks: { g: { methods: [{ name: 'm', subtasks: ['first', 'long', 'last'] }] } },
    commands: { first: { kind: 'set', values: { a: 1 } }, long: { kind: 'wait', ms: 600_000 }, last: { kind: 'set', values: { b: 2 } } },
  });
  const one = await start();
  const c1 = new WorkflowServiceClient(one.address, credentials.createInsecure());
  await unary(c1, 'putSop', { sopJson: sop });
  const { run } = await unary<StartRunResponse>(c1, 'startRun', StartRunRequest.fromPartial({ sopName: 'restart' }));
  const before = await untilStep(c1, run!.id, 1, 1);
  c1.close();
  await one.shutdown(1000);

  const two = await start();
  const c2 = new WorkflowServiceClient(two.address, credentials.createInsecure());
  try {
    const after = await untilStep(c2, run!.id, 1, 2);
    assert.equal(after.steps.map((s) => [s.command, s.attempt]), [['first', 1], ['long', 2]]);
    assert.is(after.steps[0].endUnixMs, before.steps[0].endUnixMs, 'the completed step was not run again');
    assert.is(after.steps[1].idempotencyKey, `${run!.id}:1`);
    assert.equal(JSON.parse(after.run!.stateJson), { a: 1 });
    await unary(c2, 'cancelRun', { runId: run!.id });
  } finally {
    c2.close();
    await two.shutdown(1000);
  }
});

test.run();
