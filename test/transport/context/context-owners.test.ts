/**
 * ContextService's owners over gRPC with authentication on: a planner's
 * context is refused to another planner (PERMISSION_DENIED), open to an
 * admin; a viewer may not open one (the role table); no token is
 * UNAUTHENTICATED.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { status, type Client } from '@grpc/grpc-js';
import { AuthServiceClient, CreateUserRequest, LoginRequest, Role, type LoginResponse } from '../../../gen/ts/aria/auth/v1/auth.js';
import { ContextServiceClient, OpenContextRequest, PlanRequest, type OpenContextResponse, type PlanResponse } from '../../../gen/ts/aria/context/v1/context.js';
import { jsonToState, jsonToTodo } from '../../../server/src/pool/index.js';
import { TRAVEL } from '../../support/queue-fixtures.js';
import { call, clientFor, foundationServer, refused, type FoundationServer } from '../../support/foundation-server.js';

const PW = 'a long enough password';
let fs: FoundationServer;
let auth: Client;
let ctx: Client;
const tokens: Record<string, string> = {};

test.before(async () => {
  fs = await foundationServer({ libraryUrl: null });
  auth = clientFor(AuthServiceClient, fs.address);
  ctx = clientFor(ContextServiceClient, fs.address);
  const login = async (username: string, password = PW) => (await call<LoginResponse>(auth, 'login', LoginRequest.fromPartial({ username, password }))).tokens!.accessToken;
  tokens.admin = await login('admin', 'bootstrap-admin-password');
  for (const [name, role] of [['pat', Role.ROLE_PLANNER], ['kim', Role.ROLE_PLANNER], ['val', Role.ROLE_VIEWER]] as const) {
    await call(auth, 'createUser', CreateUserRequest.fromPartial({ username: name, password: PW, role }), tokens.admin);
    tokens[name] = await login(name);
  }
});
test.after(async () => {
  auth?.close();
  ctx?.close();
  await fs?.stop();
});

const open = (token?: string) => call<OpenContextResponse>(ctx, 'openContext', OpenContextRequest.fromPartial({ domain: 'simple_htn', state: jsonToState(TRAVEL.state) }), token);
const plan = (contextId: string, token?: string) => call<PlanResponse>(ctx, 'plan', PlanRequest.fromPartial({ contextId, todo: jsonToTodo(TRAVEL.todo) }), token);

test("only the owner or an admin may use a context; a viewer may not open one", async () => {
  const { contextId } = await open(tokens.pat);
  assert.is((await plan(contextId, tokens.pat)).result?.plan.length, 3);
  const other = await refused(plan(contextId, tokens.kim));
  assert.equal([other.code, other.details], [status.PERMISSION_DENIED, `context ${contextId} belongs to another user`]);
  assert.is((await refused(call(ctx, 'closeContext', { contextId }, tokens.kim))).code, status.PERMISSION_DENIED);
  assert.is((await plan(contextId, tokens.admin)).version, 1);
  assert.is((await refused(open(tokens.val))).code, status.PERMISSION_DENIED);
  assert.is((await refused(open())).code, status.UNAUTHENTICATED);
  assert.equal(await call(ctx, 'closeContext', { contextId }, tokens.pat), { closed: true });
});

test.run();
