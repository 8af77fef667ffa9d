/**
 * InterpretService over a real socket on a whole server (auth on): a
 * model built here is registered, read back with its signature and run,
 * with the same answers as the MLP in TypeScript; bad tensors and bad model
 * files are INVALID_ARGUMENT naming the field; unknown models NOT_FOUND;
 * roles decide who registers and who runs; an A/B route splits calls; the
 * models survive a restart on the same data folder.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { status, type Client } from '@grpc/grpc-js';
import { CreateUserRequest, LoginRequest, Role, AuthServiceClient, type CreateUserResponse, type LoginResponse } from '../../../gen/ts/aria/auth/v1/auth.js';
import {
  DataType, DeleteModelRequest, Tensor, GetModelRequest, InferRequest, InferStreamRequest, InterpretServiceClient, ListModelsRequest, RegisterModelRequest,
  SetRouteRequest, type InferStreamResponse, type GetModelResponse, type InferResponse, type ListModelsResponse, type RegisterModelResponse,
} from '../../../gen/ts/aria/interpret/v1/interpret.js';
import { mlpModel } from '../../../server/src/services/interpret/index.js';
import { bearer, call, clientFor, foundationServer, refused, type FoundationServer } from '../../support/foundation-server.js';
import { forward, mlpLayers } from '../../services/interpret/mlp-fixtures.js';

const PW = 'a long enough password';
let fs: FoundationServer;
let auth: Client;
let models: Client;
const tokens = { admin: '', planner: '', viewer: '' };
const login = async (username: string, password = PW) => (await call<LoginResponse>(auth, 'login', LoginRequest.fromPartial({ username, password }))).tokens!.accessToken;

test.before(async () => {
  fs = await foundationServer();
  auth = clientFor(AuthServiceClient, fs.address);
  models = clientFor(InterpretServiceClient, fs.address);
  tokens.admin = await login('admin', 'bootstrap-admin-password');
  for (const [name, role] of [['pat', Role.ROLE_PLANNER], ['val', Role.ROLE_VIEWER]] as const) {
    await call<CreateUserResponse>(auth, 'createUser', CreateUserRequest.fromPartial({ username: name, password: PW, role }), tokens.admin);
  }
  tokens.planner = await login('pat');
  tokens.viewer = await login('val');
});
test.after(async () => {
  auth?.close();
  models?.close();
  await fs?.stop();
});

const ROWS = [[0.5, -1, 2, 0], [1, 1, 1, 1], [-3, 0.25, 0, 2]];
const x = (rows = ROWS): Tensor => Tensor.fromPartial({ name: 'x', type: DataType.DATA_TYPE_FLOAT32, dims: [rows.length, rows[0].length], floatData: rows.flat() });
const register = (name: string, onnx: Uint8Array, token = tokens.planner) =>
  call<RegisterModelResponse>(models, 'registerModel', RegisterModelRequest.fromPartial({ name, onnx: Buffer.from(onnx) }), token);
const infer = (req: Partial<InferRequest>, token = tokens.planner) => call<InferResponse>(models, 'infer', InferRequest.fromPartial(req), token);

test('register, read back the signature, run: the answers of the MLP in TypeScript', async () => {
  const layers = mlpLayers(11);
  const r = await register('npc.mood', mlpModel({ layers }));
  assert.ok(r.created);
  assert.is(r.model?.version, 1);
  assert.is(r.model?.owner, 'pat');
  assert.equal(r.model?.inputs, [{ name: 'x', type: 'float32', shape: [{ kind: { $case: 'symbol', symbol: 'batch' } }, { kind: { $case: 'size', size: 4 } }] }]);
  const out = await infer({ name: 'npc.mood', inputs: [x()] });
  assert.is(out.version, 1);
  assert.equal(out.outputs[0].dims, [3, 1]);
  ROWS.forEach((row, i) => assert.ok(Math.abs(out.outputs[0].floatData[i] - forward(layers, row)[0]) < 1e-5));
  const got = await call<GetModelResponse>(models, 'getModel', GetModelRequest.fromPartial({ name: 'npc.mood' }), tokens.viewer);
  assert.is(got.model?.figures?.calls, 1);
  const list = await call<ListModelsResponse>(models, 'listModels', ListModelsRequest.fromPartial({}), tokens.viewer);
  assert.ok(list.models.some((m) => m.name === 'npc.mood'));
});

test('InferStream: many requests, answered in order with their index; a bad one is an error answer and the stream goes on', async () => {
  const layers = mlpLayers(31);
  await register('npc.stream', mlpModel({ layers }));
  const stream = (models as InterpretServiceClient).inferStream(bearer(tokens.planner));
  const answers: InferStreamResponse[] = [];
  const ended = new Promise<void>((resolve, reject) => {
    stream.on('data', (a: InferStreamResponse) => answers.push(a));
    stream.on('end', () => resolve());
    stream.on('error', reject);
  });
  const n = 100;
  const rowOf = (i: number) => [i / 10, -1, (i % 7) - 3, 0.5];
  for (let i = 0; i < n; i++) {
    const req = i === 40 ? { name: 'npc.stream', inputs: [x([[1, 2, 3]])] } : i === 41 ? { name: 'no.such.model', inputs: [x()] } : { name: 'npc.stream', inputs: [x([rowOf(i)])] };
    stream.write(InferStreamRequest.fromPartial({ request: req }));
  }
  stream.end();
  await ended;
  assert.equal(answers.map((a) => a.index), Array.from({ length: n }, (_, i) => i));
  for (const a of answers) {
    const i = a.index;
    if (i === 40) assert.is(a.result?.$case === 'error' && a.result.error.code, status.INVALID_ARGUMENT);
    else if (i === 41) assert.is(a.result?.$case === 'error' && a.result.error.code, status.NOT_FOUND);
    else {
      assert.is(a.result?.$case, 'response', JSON.stringify(a));
      const out = a.result?.$case === 'response' ? a.result.response.outputs[0].floatData[0] : NaN;
      assert.ok(Math.abs(out - forward(layers, rowOf(i))[0]) < 1e-5, `row ${i}`);
    }
  }
  // A viewer may not run models, streamed or not.
  const viewer = (models as InterpretServiceClient).inferStream(bearer(tokens.viewer));
  const code = await new Promise<number>((resolve) => { viewer.on('error', (e: { code: number }) => resolve(e.code)); viewer.on('data', () => undefined); viewer.end(); });
  assert.is(code, status.PERMISSION_DENIED);
});

test('bad tensors and bad files are INVALID_ARGUMENT naming the field; unknown models NOT_FOUND', async () => {
  await register('strict', mlpModel({ layers: mlpLayers(12) }));
  const cases: [Partial<InferRequest>, string][] = [
    [{ name: 'strict', inputs: [{ ...x(), type: DataType.DATA_TYPE_UNSPECIFIED }] }, 'inputs[0].type: must be set'],
    [{ name: 'strict', inputs: [{ ...x(), doubleData: [1] }] }, 'inputs[0].double_data: the values of a float32 tensor go in float_data'],
    [{ name: 'strict', inputs: [{ ...x(), dims: [3, 3] }] }, 'inputs[0].dims[1]: input "x" has shape [batch, 4]: dimension 1 must be 4, got 3'],
    [{ name: 'strict', inputs: [] }, 'inputs: missing input "x" (float32 [batch, 4])'],
    [{ name: 'bad name!', inputs: [x()] }, 'name: a model name is'],
  ];
  for (const [req, message] of cases) {
    const f = await refused(infer(req));
    assert.is(f.code, status.INVALID_ARGUMENT, message);
    assert.ok(f.details.startsWith(message), `${f.details} should start with ${message}`);
  }
  const file = await refused(register('broken', Buffer.from('definitely not onnx')));
  assert.is(file.code, status.INVALID_ARGUMENT);
  assert.match(file.details, /^model: onnxruntime cannot load it: /);
  assert.is((await refused(infer({ name: 'missing', inputs: [x()] }))).code, status.NOT_FOUND);
  assert.is((await refused(infer({ name: 'strict', version: 7, inputs: [x()] }))).code, status.NOT_FOUND);
});

test('roles: a viewer reads but cannot register or run; a planner registers and runs', async () => {
  assert.is((await refused(register('v', mlpModel({ layers: mlpLayers(1) }), tokens.viewer))).code, status.PERMISSION_DENIED);
  assert.is((await refused(infer({ name: 'npc.mood', inputs: [x()] }, tokens.viewer))).code, status.PERMISSION_DENIED);
  const anonymous = call<InferResponse>(models, 'infer', InferRequest.fromPartial({ name: 'npc.mood', inputs: [x()] }));
  assert.is((await refused(anonymous)).code, status.UNAUTHENTICATED);
});

test('an A/B route sends calls to both versions; deleting a version ends its route', async () => {
  await register('ab', mlpModel({ layers: mlpLayers(21) }));
  await register('ab', mlpModel({ layers: mlpLayers(22) }));
  await call(models, 'setRoute', SetRouteRequest.fromPartial({ name: 'ab', route: { a: 1, b: 2, shareB: 0.5 } }), tokens.planner);
  const seen = new Set<number>();
  // Each call picks b with probability 1/2: 60 calls all on one side happen once in 2^59.
  for (let i = 0; i < 60 && seen.size < 2; i++) seen.add((await infer({ name: 'ab', inputs: [x()] })).version);
  assert.equal([...seen].sort(), [1, 2]);
  const got = await call<GetModelResponse>(models, 'getModel', GetModelRequest.fromPartial({ name: 'ab', version: 2 }), tokens.viewer);
  assert.equal(got.route, { a: 1, b: 2, shareB: 0.5 });
  await call(models, 'deleteModel', DeleteModelRequest.fromPartial({ name: 'ab', version: 2 }), tokens.planner);
  const after = await call<GetModelResponse>(models, 'getModel', GetModelRequest.fromPartial({ name: 'ab' }), tokens.viewer);
  assert.is(after.route, undefined);
  assert.is(after.model?.version, 1);
});

test.run();
