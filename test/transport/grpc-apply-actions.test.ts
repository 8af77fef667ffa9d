/**
 * PlannerService.ApplyActions over native gRPC: the state after each action,
 * INVALID_ARGUMENT naming the index of a not applicable action (with the
 * ErrorDetail's field), the action rather than a command of its name, the 10,000-action bound, and FAILED_PRECONDITION on
 * a server that runs without the inline planner.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { status } from '@grpc/grpc-js';
import type { AriaServer } from '../../server/src/app/start-server.js';
import type { ApplyActionsRequest, ApplyActionsResponse } from '../../gen/ts/aria/planner/v1/planner.js';
import { jsonToStep } from '../../server/src/pool/index.js';
import { clientOf, failure, testServer, unary } from '../support/test-server.js';

const STATE = JSON.stringify({ loc: { alice: 'home_a', taxi1: 'park' }, cash: { alice: 20 }, owe: { alice: 0 } });
const call = (server: AriaServer, req: ApplyActionsRequest) => {
  const client = clientOf(server);
  return unary<ApplyActionsRequest, ApplyActionsResponse>(client, 'applyActions', req, { deadlineMs: 30_000 }).finally(() => client.close());
};

let server: AriaServer;
test.before(async () => {
  server = await testServer({ workers: 1 });
});
test.after(async () => {
  await server.shutdown(1000);
});

test('call_taxi then ride_taxi: the state after each', async () => {
  const actions = [['call_taxi', 'alice', 'home_a'], ['ride_taxi', 'alice', 'park']].map((a, i) => jsonToStep(a, `a${i}`));
  const res = await call(server, { domain: 'simple_htn', stateJson: STATE, actions });
  const states = res.statesJson.map((t) => JSON.parse(t) as { loc: Record<string, string>; owe: Record<string, number> });
  assert.is(states.length, 2);
  assert.equal(states[0].loc, { alice: 'taxi1', taxi1: 'home_a' });
  assert.equal(states[1].loc, { alice: 'taxi1', taxi1: 'park' });
  assert.ok(states[1].owe.alice > 0, 'the ride is owed');
});

test('a not applicable action: INVALID_ARGUMENT with its index in the message and the detail', async () => {
  const actions = [['walk', 'alice', 'home_a', 'park'], ['walk', 'alice', 'home_a', 'park']].map((a, i) => jsonToStep(a, `a${i}`));
  const f = await failure(call(server, { domain: 'simple_htn', stateJson: STATE, actions }));
  assert.is(f.code, status.INVALID_ARGUMENT);
  assert.is(f.details, 'actions[1]: ["walk","alice","home_a","park"] is not applicable in the state after actions[0]');
  assert.is(f.detail?.field, 'actions[1]');
});

test('the action, not the command of the same name: what planning applied (simple_htn\'s command walk allows x == y, its action does not)', async () => {
  const f = await failure(call(server, { domain: 'simple_htn', stateJson: STATE, actions: [jsonToStep(['walk', 'alice', 'home_a', 'home_a'], 'a')] }));
  assert.is(f.code, status.INVALID_ARGUMENT);
  assert.is(f.details, 'actions[0]: ["walk","alice","home_a","home_a"] is not applicable in the given state');
});

test('more than 10,000 actions, and a state that is not a JSON object', async () => {
  const many = Array.from({ length: 10_001 }, () => jsonToStep(['walk', 'alice', 'home_a', 'park'], 'a'));
  const f = await failure(call(server, { domain: 'simple_htn', stateJson: STATE, actions: many }));
  assert.is(f.code, status.INVALID_ARGUMENT);
  assert.is(f.details, 'actions: at most 10000 actions, got 10001');
  const g = await failure(call(server, { domain: 'simple_htn', stateJson: '[1]', actions: [] }));
  assert.is(g.code, status.INVALID_ARGUMENT);
  assert.match(g.details, /^state_json: must be a JSON object/);
});

test('a server without the inline planner: FAILED_PRECONDITION, not a crash', async () => {
  const bare = await testServer({ workers: 1, inline: false });
  try {
    const f = await failure(call(bare, { domain: 'simple_htn', stateJson: STATE, actions: [] }));
    assert.is(f.code, status.FAILED_PRECONDITION);
  } finally {
    await bare.shutdown(1000);
  }
});

test.run();
