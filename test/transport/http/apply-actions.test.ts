/**
 * PlannerService.ApplyActions over the JSON API (the same handler as gRPC):
 * the state after each action, and INVALID_ARGUMENT naming the action's
 * index for an unknown action, a not applicable one and a bad state.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { foundationServer, type FoundationServer } from '../../support/foundation-server.js';
import { httpRequest } from '../../support/http-get.js';

const STATE = JSON.stringify({ loc: { alice: 'home_a', taxi1: 'park' }, cash: { alice: 20 }, owe: { alice: 0 } });
const walk = (from: string, to: string) => ({ name: 'walk', args: [{ symbol: 'alice' }, { symbol: from }, { symbol: to }] });
let s: FoundationServer;
let base: string;
let auth: Record<string, string>;
test.before(async () => {
  s = await foundationServer({ libraryUrl: null, httpPort: 0 });
  base = `http://${s.server.http!.address}/v1`;
  const r = await post('aria.auth.v1.AuthService/Login', { username: 'admin', password: 'bootstrap-admin-password' });
  assert.is(r.status, 200, r.body);
  auth = { authorization: `Bearer ${(JSON.parse(r.body) as { tokens: { accessToken: string } }).tokens.accessToken}` };
});
test.after(async () => {
  await s.stop();
});

const post = (route: string, body: unknown, headers: Record<string, string> = {}) =>
  httpRequest(`${base}/${route}`, 'POST', 30_000, JSON.stringify(body), { 'content-type': 'application/json', ...headers });
const apply = (body: unknown) => post('aria.planner.v1.PlannerService/ApplyActions', body, auth);

test('the state after each action, in order', async () => {
  const r = await apply({ domain: 'simple_htn', stateJson: STATE, actions: [walk('home_a', 'park'), walk('park', 'home_a')] });
  assert.is(r.status, 200, r.body);
  const states = (JSON.parse(r.body) as { statesJson: string[] }).statesJson.map((t) => JSON.parse(t) as { loc: Record<string, string>; cash: Record<string, number> });
  assert.is(states.length, 2);
  assert.is(states[0].loc.alice, 'park');
  assert.is(states[1].loc.alice, 'home_a');
  assert.is(states[1].cash.alice, 20);
  const none = await apply({ domain: 'simple_htn', stateJson: STATE, actions: [] });
  assert.equal(JSON.parse(none.body), { statesJson: [] });
});

test('an action that is not applicable is INVALID_ARGUMENT naming its index', async () => {
  const r = await apply({ domain: 'simple_htn', stateJson: STATE, actions: [walk('home_a', 'park'), walk('home_a', 'park')] });
  assert.is(r.status, 400, r.body);
  const body = JSON.parse(r.body) as { code: string; message: string };
  assert.is(body.code, 'INVALID_ARGUMENT');
  assert.match(body.message, /^actions\[1\]: \["walk","alice","home_a","park"\] is not applicable in the state after actions\[0\]$/, body.message);
});

test('an unknown action, a bad state and an unknown domain', async () => {
  const unknown = await apply({ domain: 'simple_htn', stateJson: STATE, actions: [walk('home_a', 'park'), { name: 'fly', args: [] }] });
  assert.is(unknown.status, 400);
  assert.match(JSON.parse(unknown.body).message, /^actions\[1\]: .*'fly' is neither a command nor an action of domain simple_htn/);
  const bad = await apply({ domain: 'simple_htn', stateJson: '{"loc": ', actions: [] });
  assert.is(bad.status, 400);
  assert.match(JSON.parse(bad.body).message, /^state_json: is not JSON/);
  const missing = await apply({ domain: 'no_such', stateJson: STATE, actions: [] });
  assert.is(missing.status, 404);
});

test('no token is 401; a viewer may not apply actions (the plan permission, as Plan): 403', async () => {
  const r = await post('aria.planner.v1.PlannerService/ApplyActions', { domain: 'simple_htn', stateJson: STATE, actions: [] });
  assert.is(r.status, 401);
  const made = await post('aria.auth.v1.AuthService/CreateUser', { username: 'val', password: 'a long enough password', role: 'ROLE_VIEWER' }, auth);
  assert.is(made.status, 200, made.body);
  const login = await post('aria.auth.v1.AuthService/Login', { username: 'val', password: 'a long enough password' });
  const viewer = { authorization: `Bearer ${(JSON.parse(login.body) as { tokens: { accessToken: string } }).tokens.accessToken}` };
  const refused = await post('aria.planner.v1.PlannerService/ApplyActions', { domain: 'simple_htn', stateJson: STATE, actions: [] }, viewer);
  assert.is(refused.status, 403, refused.body);
  assert.is((await post('aria.planner.v1.PlannerService/ListDomains', {}, viewer)).status, 200, 'a viewer reads');
});

test.run();
