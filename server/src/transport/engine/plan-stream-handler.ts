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
import { mapError, type MalformedMessageError } from '../status-mapping.js';
import { report } from './plan-report.js';
import type { PlannerContext } from './planner-context.js';
import { decodePlanRequest } from './request-codec.js';
import { encodePlanAnswer } from './response-codec.js';

type Call = ServerDuplexStream<PlanStreamRequest | MalformedMessageError, PlanStreamResponse>;

/** The PlanStream handler. */
export function planStreamHandler(ctx: PlannerContext): handleBidiStreamingCall<PlanStreamRequest, PlanStreamResponse> {
  return bidiStream(ctx, 'PlanStream', (call, cs) => new Promise<void>((resolve, reject) => runStream(ctx, call, cs, (err) => (err === undefined ? resolve() : reject(err)))));
}

function runStream(ctx: PlannerContext, call: Call, cs: HandlerContext, settle: (err?: unknown) => void): void {
  let entry: DomainEntry | undefined;
  let received = 0;
  let inFlight = 0;
  let clientDone = false;
  let finished = false;
  // Answers are written by this chain, so they leave in request order whatever order they finish in.
  let tail: Promise<void> = Promise.resolve();

  const finish = (err?: unknown) => {
    if (finished) return;
    finished = true;
    settle(err);
  };

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

  call.on('data', (message: PlanStreamRequest | MalformedMessageError) => {
    if (finished) return;
    const pending = answer(received++, message);
    inFlight++;
    if (inFlight >= ctx.streamWindow) call.pause();
    tail = tail
      .then(() => pending)
      .then((response) => {
        inFlight--;
        if (response instanceof CallAbortedError) return finish(response);
        if (finished) return;
        call.write(response);
        if (call.isPaused() && inFlight < ctx.streamWindow) call.resume();
        if (clientDone && inFlight === 0) finish();
      })
      .catch((err: unknown) => finish(err));
  });
  call.on('end', () => {
    clientDone = true;
    tail = tail.then(() => {
      if (inFlight === 0) finish();
    });
  });
  call.on('error', () => finish(new CallAbortedError('cancelled')));
  cs.signal.addEventListener('abort', () => finish(cs.signal.reason), { once: true });
}
