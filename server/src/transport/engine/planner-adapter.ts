/**
 * The PlannerService gRPC adapter: decodes requests, calls the service,
 * encodes responses. Failures go to status-mapping; no logic lives here.
 */
import { once } from 'node:events';
import type { ServerWritableStream } from '@grpc/grpc-js';
import type { PlannerServiceServer, TraceRequest, TraceResponse } from '../../../../gen/ts/aria/planner/v1/planner.js';
import { PlanRequest } from '../../../../gen/ts/aria/planner/v1/planner.js';
import { callSignal } from '../call-signal.js';
import { toStatus } from '../status-mapping.js';
import { actHandler } from './act-handler.js';
import { domainToProto } from './domain-to-proto.js';
import { checkDecoded, type HandlerContext, unaryHandler } from './handler-context.js';
import { planStreamHandler } from './plan-stream-handler.js';
import { decodePlanRequest, decodeRegisterRequest, MAX_TRACE_LEVEL } from './request-codec.js';
import { report } from '../../services/engine/plan-observer.js';
import { encodeDomainInfo, encodePlanAnswer, encodeTraceEvent } from './response-codec.js';

/** The handlers of aria.planner.v1.PlannerService. */
export function plannerServiceHandlers(ctx: HandlerContext): PlannerServiceServer {
  const { service } = ctx;
  return {
    registerDomain: unaryHandler(ctx, 'RegisterDomain', async (req, signal) => {
      const { entry, created } = await service.register(decodeRegisterRequest(req), signal);
      return { info: encodeDomainInfo(entry), created };
    }),
    getDomain: unaryHandler(ctx, 'GetDomain', (req) => {
      const entry = service.get(req.domain);
      return { info: encodeDomainInfo(entry), domain: domainToProto(entry.domain), text: entry.text ?? '' };
    }),
    listDomains: unaryHandler(ctx, 'ListDomains', (req) => ({ domains: service.list(req.name || undefined).map(encodeDomainInfo) })),
    deleteDomain: unaryHandler(ctx, 'DeleteDomain', async (req) => ({ deleted: (await service.delete(req.domain)).map(encodeDomainInfo) })),
    plan: unaryHandler(ctx, 'Plan', (req, signal) => {
      const planned = service.plan(decodePlanRequest(req), signal);
      return planned instanceof Promise ? planned.then((p) => encodePlanAnswer(p.entry, p.result)) : encodePlanAnswer(planned.entry, planned.result);
    }, ctx.observe && ((call, result, started) => {
      const domainRef = typeof call.request?.domain === 'string' ? call.request.domain : '';
      report(ctx.observe, { method: 'Plan', metadata: call.metadata, domainRef, started }, result);
    })),
    planStream: planStreamHandler(ctx),
    trace: (call) => trace(ctx, call),
    act: actHandler(ctx),
  };
}

/**
 * Trace: plans with a trace (level 3 unless asked otherwise) and streams the
 * events as the worker's engine produces them, then the result. The search
 * keeps pace with the client: past the pool's trace window of events not
 * yet written out, the worker waits for the stream to drain.
 */
async function trace(ctx: HandlerContext, call: ServerWritableStream<TraceRequest, TraceResponse>): Promise<void> {
  const cs = callSignal(call, ctx.shutdown);
  const base = { method: 'Trace' as const, metadata: call.metadata, domainRef: '', started: performance.now() };
  try {
    const req = checkDecoded(call.request);
    base.domainRef = req.problem?.domain ?? '';
    const planCall = decodePlanRequest(req.problem ?? PlanRequest.fromPartial({}), 'problem.', MAX_TRACE_LEVEL);
    planCall.options.onTrace = (events) => {
      if (cs.signal.aborted) return undefined;
      let room = true;
      for (const event of events) room = call.write({ kind: { $case: 'event', event: encodeTraceEvent(event) } });
      // A client that reads slowly: the worker waits (see traceWindow) until the stream drains or the call ends.
      return room ? undefined : once(call, 'drain', { signal: cs.signal }).then(() => undefined, () => undefined);
    };
    const { entry, result } = await ctx.service.plan(planCall, cs.signal);
    const response = encodePlanAnswer(entry, result, false);
    call.write({ kind: { $case: 'result', result: response } });
    call.end();
    report(ctx.observe, base, { response });
  } catch (err) {
    const st = toStatus(err, ctx.log, { method: 'Trace' });
    call.emit('error', st);
    report(ctx.observe, base, { code: st.code });
  } finally {
    cs.dispose();
  }
}
