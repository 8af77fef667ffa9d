/**
 * PlanStream: many problems for one domain over one stream. Problems are
 * planned concurrently on the pool (up to the stream window; reading pauses
 * beyond it) and answered in request order. A problem that fails gets an
 * ErrorDetail in its answer; only an abort (cancel, deadline, shutdown)
 * ends the stream.
 */
import type { handleBidiStreamingCall, ServerDuplexStream } from '@grpc/grpc-js';
import { PlanRequest, type PlanStreamRequest, type PlanStreamResponse } from '../../../../gen/ts/aria/planner/v1/planner.js';
import { CallAbortedError, InvalidArgumentError } from '../../core/errors.js';
import type { DomainEntry } from '../../services/engine/index.js';
import { bidiStream, decoded, type HandlerContext } from '../handler.js';
import { answerInOrder } from '../ordered-answers.js';
import { mapError, type MalformedMessageError } from '../status-mapping.js';
import { report } from './plan-report.js';
import type { PlannerContext } from './planner-context.js';
import { decodePlanRequest } from './request-codec.js';
import { encodePlanAnswer } from './response-codec.js';

type Call = ServerDuplexStream<PlanStreamRequest | MalformedMessageError, PlanStreamResponse>;

/** The PlanStream handler. */
export function planStreamHandler(ctx: PlannerContext): handleBidiStreamingCall<PlanStreamRequest, PlanStreamResponse> {
  return bidiStream(ctx, 'PlanStream', (call, cs) => runStream(ctx, call, cs));
}

function runStream(ctx: PlannerContext, call: Call, cs: HandlerContext): Promise<void> {
  let entry: DomainEntry | undefined;

  // Never rejects: an abort comes back as a value, since the promise may wait in the chain unobserved.
  const answer = async (index: number, message: PlanStreamRequest | MalformedMessageError): Promise<PlanStreamResponse | CallAbortedError> => {
    const base = { method: 'PlanStream' as const, call: cs, domainRef: '', started: performance.now() };
    try {
      const req = decoded(message);
      base.domainRef = req.problem?.domain || entry?.id || '';
      const planCall = decodePlanRequest(req.problem ?? PlanRequest.fromPartial({}), 'problem.');
      if (!entry) entry = ctx.service.registry.resolve(planCall.domain, 'problem.domain');
      else if (planCall.domain && ctx.service.registry.resolve(planCall.domain, 'problem.domain').id !== entry.id) {
        throw new InvalidArgumentError('problem.domain', `this stream plans in ${entry.name}@${entry.version}; open another stream for another domain`);
      }
      const result = await ctx.service.planIn(entry, planCall.problem, planCall.options, cs.signal);
      const response = encodePlanAnswer(entry, result);
      report(ctx.observe, base, { response });
      return { index, outcome: { $case: 'result', result: response } };
    } catch (err) {
      if (err instanceof CallAbortedError) return err;
      const detail = mapError(err, ctx.log, { method: 'PlanStream', index }).detail;
      report(ctx.observe, base, { code: detail.code });
      return { index, outcome: { $case: 'error', error: detail } };
    }
  };

  return answerInOrder(call, cs.signal, ctx.streamWindow, answer);
}
