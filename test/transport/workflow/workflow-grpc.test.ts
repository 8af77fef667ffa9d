/**
 * WorkflowService over gRPC on a whole server (`aria serve`'s wiring, auth
 * on, the real planner): an SOP put and read back, a run with a `plan`
 * command planning in a registered domain, watched to its end as spans;
 * approval with the approver's name; an invalid SOP refused with
 * INVALID_ARGUMENT and its path; the role table (a viewer reads and
 * watches, may not start or approve); health and reflection list it.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { credentials, makeGenericClientConstructor, Metadata, status, type Client, type ClientReadableStream, type ServiceError } from '@grpc/grpc-js';
import { service as healthService } from 'grpc-health-check';
import { AuthServiceClient, CreateUserRequest, LoginRequest, Role, type LoginResponse } from '../../../gen/ts/aria/auth/v1/auth.js';
import {
  ListSopsRequest, RunStatus, StartRunRequest, StepStatus, WorkflowServiceClient,
  type GetRunResponse, type GetSopResponse, type ListRunsResponse, type PutSopResponse, type StartRunResponse, type ApproveStepResponse, type WatchRunResponse,
} from '../../../gen/ts/aria/workflow/v1/workflow.js';
import { readErrorDetail } from '../../../server/src/transport/status-mapping.js';
import { bearer, call, clientFor, foundationServer, refused, type FoundationServer } from '../../support/foundation-server.js';

const PW = 'a long enough password';
const META = { last_updated: '2026-12-01', approved_by: 'tests', contact: 'tests@example.org' };
let fs: FoundationServer;
let auth: Client;
let wf: WorkflowServiceClient;
const tokens: Record<string, string> = {};

test.before(async () => {
  fs = await foundationServer({ libraryUrl: null });
  auth = clientFor(AuthServiceClient, fs.address);
  wf = clientFor(WorkflowServiceClient, fs.address);
  const login = async (username: string, password = PW) => (await call<LoginResponse>(auth, 'login', LoginRequest.fromPartial({ username, password }))).tokens!.accessToken;
  tokens.admin = await login('admin', 'bootstrap-admin-password');
  for (const [name, role] of [['pat', Role.ROLE_PLANNER], ['val', Role.ROLE_VIEWER]] as const) {
    await call(auth, 'createUser', CreateUserRequest.fromPartial({ username: name, password: PW, role }), tokens.admin);
    tokens[name] = await login(name);
  }
});
test.after(async () => {
  auth?.close();
  wf?.close();
  await fs?.stop();
});

const SOP = JSON.stringify({
  name: 'travel-approved', version: '2.0', metadata: META, docs: '# Plan a trip, then have it approved',
  goals: ['trip'],
  tasks: { trip: { methods: [{ name: 'planned', subtasks: ['route', 'ok', 'book'] }] } },
  commands: {
    route: {
      kind: 'plan', domain: 'simple_htn', into: 'route',
      state: { loc: { alice: 'home_a', bob: 'home_b', taxi1: 'park', taxi2: 'station' }, cash: { alice: 20, bob: 15 }, owe: { alice: 0, bob: 0 } },
      todo: [['travel', 'alice', 'park']],
    },
    ok: { kind: 'approve', prompt: 'book this route?', into: 'approval' },
    book: { kind: 'set', values: { booked: true } },
  },
});

async function watchAll(runId: string, token: string): Promise<WatchRunResponse[]> {
  const stream: ClientReadableStream<WatchRunResponse> = wf.watchRun({ runId }, bearer(token));
  const out: WatchRunResponse[] = [];
  for await (const m of stream) out.push(m as WatchRunResponse);
  return out;
}

async function untilStatus(runId: string, want: RunStatus): Promise<GetRunResponse> {
  const end = Date.now() + 30_000;
  for (;;) {
    const r = await call<GetRunResponse>(wf, 'getRun', { runId }, tokens.val);
    if (r.run!.status === want) return r;
    if (Date.now() > end) throw new Error(`run ${runId} is ${RunStatus[r.run!.status]}, expected ${RunStatus[want]}`);
    await new Promise((res) => setTimeout(res, 20));
  }
}

test('put, start, plan in a registered domain, wait for approval, approve, watch to the end', async () => {
  const put = await call<PutSopResponse>(wf, 'putSop', { sopJson: SOP }, tokens.pat);
  assert.equal([put.sop?.name, put.sop?.revision, put.sop?.version, put.sop?.owner, put.sop?.goals], ['travel-approved', 1, '2.0', 'pat', ['trip']]);
  const got = await call<GetSopResponse>(wf, 'getSop', { name: 'travel-approved', revision: 0 }, tokens.val);
  assert.is(JSON.parse(got.sop!.sopJson).commands.ok.kind, 'approve');
  const { run } = await call<StartRunResponse>(wf, 'startRun', { sopName: 'travel-approved', sopRevision: 0, stateJson: '{"who": "alice"}' }, tokens.pat);
  assert.equal(run!.plan, ['route', 'ok', 'book']);
  const waiting = await untilStatus(run!.id, RunStatus.RUN_STATUS_WAITING);
  const route = JSON.parse(waiting.run!.stateJson).route as unknown[][];
  assert.ok(route.length > 0 && route.every((a) => Array.isArray(a)), JSON.stringify(route));
  assert.equal(waiting.steps.map((s) => [s.command, s.status]), [['route', StepStatus.STEP_STATUS_COMPLETED], ['ok', StepStatus.STEP_STATUS_WAITING]]);
  // A viewer watches, but may not approve.
  const denied = await refused(call(wf, 'approveStep', { runId: run!.id, stepIndex: 1, approved: true, comment: '' }, tokens.val));
  assert.is(denied.code, status.PERMISSION_DENIED);
  const watching = watchAll(run!.id, tokens.val);
  const approved = await call<ApproveStepResponse>(wf, 'approveStep', { runId: run!.id, stepIndex: 1, approved: true, comment: 'go' }, tokens.pat);
  assert.ok([RunStatus.RUN_STATUS_RUNNING, RunStatus.RUN_STATUS_COMPLETED].includes(approved.run!.status));
  const events = await watching;
  const last = events.at(-1)!;
  assert.is(last.run?.status, RunStatus.RUN_STATUS_COMPLETED);
  const state = JSON.parse(last.run!.stateJson);
  assert.equal([state.who, state.booked, state.approval], ['alice', true, { approved: true, by: 'pat', comment: 'go' }]);
  const spans = events.filter((e) => e.step).map((e) => e.step!);
  const done = spans.filter((s) => s.status === StepStatus.STEP_STATUS_COMPLETED);
  assert.equal(done.map((s) => s.command), ['route', 'ok', 'book']);
  for (const s of done) {
    assert.is(s.traceId, run!.id.replace(/-/g, ''));
    assert.match(s.spanId, /^[0-9a-f]{16}$/);
    assert.ok(s.endUnixMs >= s.startUnixMs && s.startUnixMs > 0);
    assert.is(s.idempotencyKey, `${run!.id}:${s.stepIndex}`);
  }
  const listed = await call<ListRunsResponse>(wf, 'listRuns', { sopName: 'travel-approved', status: RunStatus.RUN_STATUS_COMPLETED, limit: 0 }, tokens.val);
  assert.equal(listed.runs.map((r) => r.id), [run!.id]);
});

test('bad input: an invalid SOP is INVALID_ARGUMENT with its path; unknown runs NOT_FOUND; wrong status FAILED_PRECONDITION', async () => {
  const bad = JSON.parse(SOP);
  bad.tasks.trip.methods[0].subtasks[2] = 'nothing_here';
  for (const [req, code, field] of [
    [{ sopJson: JSON.stringify(bad) }, status.INVALID_ARGUMENT, 'sop.tasks.trip.methods[0].subtasks[2]'],
    [{ sopJson: '{"name": 1}' }, status.INVALID_ARGUMENT, 'sop.name'],
    [{ sopJson: 'x'.repeat(300_000) }, status.INVALID_ARGUMENT, 'sop'],
  ] as const) {
    const e = await refused(call(wf, 'putSop', req, tokens.pat)).catch((err) => err);
    assert.is(e.code, code, `${e.code} ${e.details}`);
    const md = await new Promise<Metadata>((resolve) => wf.putSop(req, bearer(tokens.pat), (err) => resolve(err!.metadata)));
    assert.is(readErrorDetail(md)?.field, field);
  }
  assert.is((await refused(call(wf, 'getRun', { runId: '00000000-0000-0000-0000-000000000000' }, tokens.val))).code, status.NOT_FOUND);
  assert.is((await refused(call(wf, 'getRun', { runId: 'nope' }, tokens.val))).code, status.INVALID_ARGUMENT);
  assert.is((await refused(call(wf, 'getSop', { name: 'unknown', revision: 0 }, tokens.val))).code, status.NOT_FOUND);
  assert.is((await refused(call(wf, 'startRun', StartRunRequest.fromPartial({ sopName: 'travel-approved', stateJson: '[1]' }), tokens.pat))).code, status.INVALID_ARGUMENT);
  const { run } = await call<StartRunResponse>(wf, 'startRun', StartRunRequest.fromPartial({ sopName: 'travel-approved' }), tokens.pat);
  await untilStatus(run!.id, RunStatus.RUN_STATUS_WAITING);
  assert.is((await refused(call(wf, 'resumeRun', { runId: run!.id }, tokens.pat))).code, status.FAILED_PRECONDITION);
  const cancelled = await call<{ run: { status: RunStatus } }>(wf, 'cancelRun', { runId: run!.id }, tokens.pat);
  assert.is(cancelled.run.status, RunStatus.RUN_STATUS_CANCELLED);
  assert.is((await refused(call(wf, 'cancelRun', { runId: run!.id }, tokens.pat))).code, status.FAILED_PRECONDITION);
});

test('roles: a viewer may not put an SOP or start a run; no token is UNAUTHENTICATED', async () => {
  const viewerPut = await refused(call(wf, 'putSop', { sopJson: SOP }, tokens.val));
  assert.is(viewerPut.code, status.PERMISSION_DENIED, viewerPut.details);
  assert.is((await refused(call(wf, 'startRun', StartRunRequest.fromPartial({ sopName: 'travel-approved' }), tokens.val))).code, status.PERMISSION_DENIED);
  assert.is((await refused(call(wf, 'listSops', ListSopsRequest.fromPartial({})))).code, status.UNAUTHENTICATED);
});

test('health reports WorkflowService SERVING', async () => {
  type HealthClient = { check(req: { service: string }, md: Metadata, cb: (e: ServiceError | null, r: { status: string }) => void): void; close(): void };
  const h = new (makeGenericClientConstructor(healthService, 'Health'))(fs.address, credentials.createInsecure()) as unknown as HealthClient;
  const st = await new Promise<string>((resolve, reject) => h.check({ service: 'aria.workflow.v1.WorkflowService' }, new Metadata(), (e, r) => (e ? reject(e) : resolve(r.status))));
  h.close();
  assert.is(st, 'SERVING');
});

test.run();
