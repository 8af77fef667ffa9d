/**
 * The ContextService gRPC adapter: decodes requests, calls the service,
 * encodes responses; Session runs the same calls one after another on a
 * stream. Failures go to status-mapping; no logic lives here.
 */
import type { ServerDuplexStream } from '@grpc/grpc-js';
import { once } from 'node:events';
import type {
  ContextServiceServer, OpenContextRequest, OpenContextResponse, PlanRequest, PlanResponse, SessionRequest, SessionResponse, UpdateRequest, UpdateResponse,
} from '../../../../gen/ts/aria/context/v1/context.js';
import { CallAbortedError, InvalidArgumentError } from '../../core/errors.js';
import type { ContextService } from '../../services/context/index.js';
import { todoToJson, stateToJson } from '../../pool/index.js';
import { bidiStream, messages, unary, type HandlerContext, type ServerContext } from '../handler.js';
import { decodeOptions } from '../engine/request-codec.js';
import { mapError, type MalformedMessageError } from '../status-mapping.js';
import { callerOf, decodeChanges, encodeContextPlan, encodeStateView } from './context-codec.js';

/** The handlers of aria.context.v1.ContextService. */
export function contextServiceHandlers(service: ContextService, ctx: ServerContext): ContextServiceServer {
  const calls = contextCalls(service);
  return {
    openContext: unary(ctx, 'OpenContext', (req, call) => calls.open(req, call)),
    update: unary(ctx, 'Update', (req, call) => calls.update(req, call)),
    plan: unary(ctx, 'Plan', (req, call) => calls.plan(req, call)),
    getState: unary(ctx, 'GetState', (req, call) => encodeStateView(service.getState(callerOf(call.principal), req.contextId))),
    closeContext: unary(ctx, 'CloseContext', (req, call) => ({ closed: service.close(callerOf(call.principal), req.contextId) })),
    session: bidiStream(ctx, 'Session', (stream, call) => session(ctx, service, stream, call)),
  };
}

/** The calls that both the unary methods and Session make. */
function contextCalls(service: ContextService) {
  return {
    open(req: OpenContextRequest, call: HandlerContext): OpenContextResponse {
      const o = service.open(callerOf(call.principal), req.domain, stateToJson(req.state), req.idleTimeoutMs);
      return { contextId: o.id, version: o.version, domainId: o.domainId, idleTimeoutMs: o.idleMs };
    },
    update(req: UpdateRequest, call: HandlerContext): UpdateResponse {
      const expected = req.check?.$case === 'expectedVersion' ? req.check.expectedVersion : undefined;
      const u = service.update(callerOf(call.principal), req.contextId, decodeChanges(req.changes), expected);
      return { version: u.version, stateBytes: u.bytes };
    },
    plan(req: PlanRequest, call: HandlerContext): PlanResponse | Promise<PlanResponse> {
      const todo = todoToJson(req.todo, 'todo');
      const options = decodeOptions(req.options, 'options', 0);
      const p = service.plan(callerOf(call.principal), req.contextId, todo, options, call);
      return p instanceof Promise ? p.then((r) => encodeContextPlan(r.entry, r.version, r.result)) : encodeContextPlan(p.entry, p.version, p.result);
    },
  };
}

type Session = ServerDuplexStream<SessionRequest | MalformedMessageError, SessionResponse>;

/**
 * Session: each request is answered before the next is read, so an update
 * is in place before the plan that follows it. A failed call answers its
 * ErrorDetail and the stream goes on; only an abort ends it.
 */
async function session(ctx: ServerContext, service: ContextService, stream: Session, call: HandlerContext): Promise<void> {
  const calls = contextCalls(service);
  let index = 0;
  for await (const req of messages(stream, call.signal)) {
    let answer: SessionResponse;
    try {
      answer = await sessionCall(calls, service, req, call);
    } catch (err) {
      if (err instanceof CallAbortedError) throw err;
      answer = { kind: { $case: 'error', error: mapError(err, ctx.log, { method: 'Session', index }).detail } };
    }
    index++;
    if (!stream.write(answer)) await once(stream, 'drain', { signal: call.signal });
  }
}

async function sessionCall(calls: ReturnType<typeof contextCalls>, service: ContextService, req: SessionRequest, call: HandlerContext): Promise<SessionResponse> {
  const kind = req.kind;
  const caller = callerOf(call.principal);
  switch (kind?.$case) {
    case 'open': return { kind: { $case: 'open', open: calls.open(kind.open, call) } };
    case 'update': return { kind: { $case: 'update', update: calls.update(kind.update, call) } };
    case 'plan': return { kind: { $case: 'plan', plan: await calls.plan(kind.plan, call) } };
    case 'getState': return { kind: { $case: 'getState', getState: encodeStateView(service.getState(caller, kind.getState.contextId)) } };
    case 'close': return { kind: { $case: 'close', close: { closed: service.close(caller, kind.close.contextId) } } };
    default: throw new InvalidArgumentError('kind', 'give one of open, update, plan, get_state or close');
  }
}
