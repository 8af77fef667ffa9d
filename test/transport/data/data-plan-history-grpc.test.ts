/**
 * Plan history through the real server: Plan, Trace and PlanStream answers
 * are recorded with their outcome and plan length, failures that are
 * planning outcomes (a limit) too, bad requests not. Runs on PGlite, and on
 * PostgreSQL when DATABASE_URL is set.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { status, type Client, type ClientDuplexStream, type ClientReadableStream } from '@grpc/grpc-js';
import { DataServiceClient, ListPlanHistoryRequest, type ListPlanHistoryResponse } from '../../../gen/ts/aria/data/v1/data.js';
import {
  PlannerServiceClient, PlanRequest, TraceRequest, type PlanStreamRequest, type PlanStreamResponse, type TraceResponse,
} from '../../../gen/ts/aria/planner/v1/planner.js';
import { planHistoryOn } from '../../../server/src/app/serve-with-foundation.js';
import { call, clientFor, foundationServer, refused, type FoundationServer } from '../../support/foundation-server.js';

const TRAVEL = JSON.stringify({
  state: { loc: { alice: 'home_a', bob: 'home_b', taxi1: 'park', taxi2: 'station' }, cash: { alice: 20, bob: 15 }, owe: { alice: 0, bob: 0 } },
  todo: [['travel', 'alice', 'park']],
});

let fs: FoundationServer;
let planner: Client;
let data: Client;

test.before(async () => {
  fs = await foundationServer({ devNoAuth: true, libraryUrl: null });
  planner = clientFor(PlannerServiceClient, fs.address);
  data = clientFor(DataServiceClient, fs.address);
});
test.after(async () => {
  planner?.close();
  data?.close();
  await fs?.stop();
});

function traced(): Promise<TraceResponse[]> {
  const stream = (planner as unknown as { trace(r: TraceRequest): ClientReadableStream<TraceResponse> })
    .trace(TraceRequest.fromPartial({ problem: { domain: 'simple_htn', problemJson: TRAVEL } }));
  const out: TraceResponse[] = [];
  return new Promise((resolve, reject) => {
    stream.on('data', (m: TraceResponse) => out.push(m));
    stream.on('end', () => resolve(out));
    stream.on('error', reject);
  });
}

function streamed(n: number): Promise<PlanStreamResponse[]> {
  const s = (planner as unknown as { planStream(): ClientDuplexStream<PlanStreamRequest, PlanStreamResponse> }).planStream();
  const out: PlanStreamResponse[] = [];
  return new Promise((resolve, reject) => {
    s.on('data', (m: PlanStreamResponse) => out.push(m));
    s.on('end', () => resolve(out));
    s.on('error', reject);
    for (let i = 0; i < n; i++) s.write({ problem: PlanRequest.fromPartial({ domain: 'simple_htn', problemJson: TRAVEL }) });
    s.end();
  });
}

test('Plan, Trace and PlanStream answers and limits are recorded; bad requests are not', async () => {
  await call(planner, 'plan', PlanRequest.fromPartial({ domain: 'simple_htn', problemJson: TRAVEL }));
  const limited = await refused(call(planner, 'plan', PlanRequest.fromPartial({ domain: 'simple_htn', problemJson: TRAVEL, options: { limits: { maxExpansions: 1 } } })));
  assert.is(limited.code, status.RESOURCE_EXHAUSTED);
  assert.is((await refused(call(planner, 'plan', PlanRequest.fromPartial({ domain: 'simple_htn', problemJson: '{' })))).code, status.INVALID_ARGUMENT);
  assert.is((await traced()).length > 1, true);
  assert.is((await streamed(2)).length, 2);
  await fs.foundation.planHistory.flush();
  const h = await call<ListPlanHistoryResponse>(data, 'listPlanHistory', ListPlanHistoryRequest.fromPartial({ limit: 50 }));
  const rows = h.records.map((r) => `${r.method} ${r.domainName} ${r.status} ${r.planLength}`).sort();
  assert.equal(rows, [
    'Plan simple_htn limit 0', 'Plan simple_htn plan 3', 'PlanStream simple_htn plan 3', 'PlanStream simple_htn plan 3', 'Trace simple_htn plan 3',
  ]);
  assert.ok(h.records.every((r) => r.domainId.length === 64 && r.durationMs >= 0));
});

test('ARIA_PLAN_HISTORY=0 or off turns the record off', () => {
  assert.is(planHistoryOn({}), true);
  assert.is(planHistoryOn({ ARIA_PLAN_HISTORY: '1' }), true);
  for (const v of ['0', 'off', 'OFF', 'false']) assert.is(planHistoryOn({ ARIA_PLAN_HISTORY: v }), false, v);
});

test.run();
