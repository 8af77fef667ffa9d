/**
 * The InterpretService gRPC adapter: decodes requests, calls the service,
 * encodes answers. Every method needs a principal (the owner of a model is
 * its registrant).
 */
import type { InterpretServiceServer, ModelInfo, TensorSpec as WireSpec } from '../../../../gen/ts/aria/interpret/v1/interpret.js';
import { authedUnary, type ServerContext } from '../handler.js';
import type { InterpretService, ModelVersion, TensorSpec } from '../../services/interpret/index.js';
import { tensorFromWire, tensorToWire } from './tensor-codec.js';
import { inferStreamHandler } from './infer-stream.js';

/** The handlers of aria.interpret.v1.InterpretService. */
export function interpretServiceHandlers(service: InterpretService, ctx: ServerContext): InterpretServiceServer {
  const info = (m: ModelVersion): ModelInfo => {
    const f = service.figuresOf(m);
    return {
      name: m.name, version: m.version, digest: m.digest, sizeBytes: m.sizeBytes, inputs: m.inputs.map(spec), outputs: m.outputs.map(spec),
      owner: m.owner, createdUnixMs: m.createdUnixMs, figures: { calls: f.calls, errors: f.errors, totalMs: f.totalMs },
    };
  };
  return {
    registerModel: authedUnary(ctx, 'RegisterModel', async (req, call) => {
      const r = await service.register(req.name, req.onnx, call.principal.username, call.signal);
      return { model: info(r.model), created: r.created };
    }),
    getModel: authedUnary(ctx, 'GetModel', (req) => ({ model: info(service.get(req.name, req.version)), route: service.route(req.name) })),
    listModels: authedUnary(ctx, 'ListModels', () => ({ models: service.list().map(info) })),
    deleteModel: authedUnary(ctx, 'DeleteModel', async (req) => {
      await service.remove(req.name, req.version);
      return {};
    }),
    setRoute: authedUnary(ctx, 'SetRoute', async (req) => {
      const r = req.route;
      await service.setRoute(req.name, r && r.a !== 0 ? { a: r.a, b: r.b, shareB: r.shareB } : null);
      return {};
    }),
    infer: authedUnary(ctx, 'Infer', async (req, call) => {
      const inputs = req.inputs.map((t, i) => tensorFromWire(t, `inputs[${i}]`));
      const r = await service.infer(req.name, req.version, inputs, call.signal);
      return { version: r.model.version, outputs: r.outputs.map(tensorToWire) };
    }),
    inferStream: inferStreamHandler(ctx, service),
  };
}

function spec(s: TensorSpec): WireSpec {
  return { name: s.name, type: s.type, shape: s.shape.map((d) => (typeof d === 'number' ? { kind: { $case: 'size', size: d } } : { kind: { $case: 'symbol', symbol: d } })) };
}
