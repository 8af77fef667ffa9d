/**
 * The PlannerService gRPC adapter: decodes requests, calls the service,
 * encodes responses. Failures go to status-mapping; no logic lives here.
 */
import { once } from 'node:events';
import type { ServerWritableStream } from '@grpc/grpc-js';
import type { PlannerServiceServer, PlanResponse, TraceRequest, TraceResponse } from '../../../../gen/ts/aria/planner/v1/planner.js';
import { PlanRequest } from '../../../../gen/ts/aria/planner/v1/planner.js';
import { serverStream, unary, type HandlerContext } from '../handler.js';
import { actHandler } from './act-handler.js';
import { domainToProto } from './domain-to-proto.js';
import { planStreamHandler } from './plan-stream-handler.js';
import { report } from './plan-report.js';
import type { PlannerContext } from './planner-context.js';
import { parseState } from './apply-actions-codec.js';
import { stepToJson } from '../../pool/index.js';
import { decodePlanRequest, decodeRegisterRequest, MAX_TRACE_LEVEL } from './request-codec.js';
import { encodeDomainInfo, encodePlanAnswer, encodeTraceEvent } from './response-codec.js';

/** The handlers of aria.planner.v1.PlannerService. */
export function plannerServiceHandlers(ctx: PlannerContext): PlannerServiceServer {
  const { service } = ctx;
  return {
    registerDomain: unary(ctx, 'RegisterDomain', async (req, call) => {
      const { entry, created } = await service.register(decodeRegisterRequest(req), call);
      return { info: encodeDomainInfo(entry), created };
    }),
    getDomain: unary(ctx, 'GetDomain', (req) => {
      const entry = service.get(req.domain);
      return { info: encodeDomainInfo(entry), domain: domainToProto(entry.domain), text: entry.text ?? '' };
    }),
    listDomains: unary(ctx, 'ListDomains', (req) => ({ domains: service.list(req.name || undefined).map(encodeDomainInfo) })),
    deleteDomain: unary(ctx, 'DeleteDomain', async (req) => ({ deleted: (await service.delete(req.domain)).map(encodeDomainInfo) })),
    plan: unary(ctx, 'Plan', (req, call) => {
      const planned = service.plan(decodePlanRequest(req), call);
      return planned instanceof Promise ? planned.then((p) => encodePlanAnswer(p.entry, p.result)) : encodePlanAnswer(planned.entry, planned.result);
    }, ctx.observe && {
      done: (req, call, result, started) => report(ctx.observe, { method: 'Plan', call, domainRef: typeof req?.domain === 'string' ? req.domain : '', started }, result),
    }),
    planStream: planStreamHandler(ctx),
    trace: serverStream(ctx, 'Trace', (req, call, stream) => trace(ctx, req, call, stream), ctx.observe && {
      done: (req, call, result, started) => report(ctx.observe, { method: 'Trace', call, domainRef: req?.problem?.domain ?? '', started }, result),
    }),
    act: actHandler(ctx),
    applyActions: unary(ctx, 'ApplyActions', async (req, call) => {
      const state = parseState(req.stateJson);
      const actions = req.actions.map((a, i) => stepToJson(a, `actions[${i}]`));
      const { states } = await service.applyActions(req.domain, state, actions, call);
      return { statesJson: states.map((s) => JSON.stringify(s)) };
    }),
  };
}

/**
 * Trace: plans with a trace (level 3 unless asked otherwise) and streams the
 * events as the worker's engine produces them, then the result. The search
 * keeps pace with the client: past the pool's trace window of events not
 * yet written out, the worker waits for the stream to drain.
 */
async function trace(ctx: PlannerContext, req: TraceRequest, call: HandlerContext, stream: ServerWritableStream<TraceRequest, TraceResponse>): Promise<PlanResponse> {
  const planCall = decodePlanRequest(req.problem ?? PlanRequest.fromPartial({}), 'problem.', MAX_TRACE_LEVEL);
  planCall.options.onTrace = (events) => {
    if (call.aborted) return undefined;
    let room = true;
    for (const event of events) room = stream.write({ kind: { $case: 'event', event: encodeTraceEvent(event) } });
    // A client that reads slowly: the worker waits (see traceWindow) until the stream drains or the call ends.
    return room ? undefined : once(stream, 'drain', { signal: call.signal }).then(() => undefined, () => undefined);
  };
  const { entry, result } = await ctx.service.plan(planCall, call);
  const response = encodePlanAnswer(entry, result, false);
  stream.write({ kind: { $case: 'result', result: response } });
  return response;
}
