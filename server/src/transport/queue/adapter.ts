/**
 * The QueueService gRPC adapter: decodes requests, calls the job service,
 * encodes answers. Every failure goes through status-mapping; no logic
 * lives here.
 */
import { once } from 'node:events';
import type { handleUnaryCall, Metadata, sendUnaryData, ServerUnaryCall, ServerWritableStream } from '@grpc/grpc-js';
import type { Logger } from 'pino';
import type { QueueServiceServer, WatchJobRequest, WatchJobResponse } from '../../../../gen/ts/aria/queue/v1/queue.js';
import { principalOf } from '../../services/auth/principal.js';
import { callSignal } from '../call-signal.js';
import { MalformedMessageError, toStatus } from '../status-mapping.js';
import { abortReason } from '../../core/signals.js';
import type { PlanJobService } from '../../services/queue/plan-job-service.js';
import { decodeListRequest, decodeSubmitRequest } from './request-codec.js';
import { encodeJob, encodeJobEvent } from './response-codec.js';

/** What the QueueService handlers share. */
export interface QueueHandlerContext {
  service: PlanJobService;
  log: Logger;
  /** Aborts every call when the server stops waiting for them. */
  shutdown: AbortSignal;
}

/** The service's full name (health reports it). */
export const QUEUE_SERVICE_NAME = 'aria.queue.v1.QueueService';

/** The handlers of aria.queue.v1.QueueService. */
export function queueServiceHandlers(ctx: QueueHandlerContext): QueueServiceServer {
  const { service, log } = ctx;
  return {
    submitPlanJob: unary(ctx, 'SubmitPlanJob', async (req, call) => {
      // The auth interceptor, when the server runs one, says who submits: plan history keeps it.
      const { job, created } = await service.submit(decodeSubmitRequest(req, principalOf(call)?.username ?? ''));
      return { job: encodeJob(job, log), created };
    }),
    getJob: unary(ctx, 'GetJob', async (req) => ({ job: encodeJob(await service.get(req.jobId), log) })),
    cancelJob: unary(ctx, 'CancelJob', async (req) => {
      const { job, cancelled } = await service.cancel(req.jobId);
      return { job: encodeJob(job, log), cancelled };
    }),
    listJobs: unary(ctx, 'ListJobs', async (req) => ({
      jobs: (await service.list(decodeListRequest(req))).map((j) => encodeJob(j, log, false)),
    })),
    watchJob: (call) => void watch(ctx, call),
  };
}

/** WatchJob: progress messages, then the ended job; the stream ends with the job. */
async function watch(ctx: QueueHandlerContext, call: ServerWritableStream<WatchJobRequest, WatchJobResponse>): Promise<void> {
  const cs = callSignal(call, ctx.shutdown);
  try {
    const req = call.request as WatchJobRequest | MalformedMessageError;
    if (req instanceof MalformedMessageError) throw req;
    for await (const event of ctx.service.watch(req.jobId, cs.signal)) {
      // A slow reader holds the loop here rather than letting messages pile up.
      if (!call.write(encodeJobEvent(event, ctx.log))) await once(call, 'drain', { signal: cs.signal }).catch(() => undefined);
    }
    if (cs.signal.aborted) throw abortReason(cs.signal);
    call.end();
  } catch (err) {
    call.emit('error', toStatus(err, ctx.log, { method: 'WatchJob' }));
  } finally {
    cs.dispose();
  }
}

/**
 * A unary handler from an async function: one signal for the call, every
 * failure mapped by status-mapping, nothing thrown past it.
 */
function unary<Req, Res>(
  ctx: QueueHandlerContext,
  method: string,
  fn: (request: Req, call: { metadata: Metadata }, signal: AbortSignal) => Promise<Res>,
): handleUnaryCall<Req, Res> {
  return (call: ServerUnaryCall<Req, Res>, callback: sendUnaryData<Res>) => {
    const cs = callSignal(call, ctx.shutdown);
    const request = call.request as Req | MalformedMessageError;
    const pending = request instanceof MalformedMessageError ? Promise.reject(request) : Promise.resolve().then(() => fn(request, call, cs.signal));
    pending.then(
      (response) => {
        cs.dispose();
        callback(null, response);
      },
      (err: unknown) => {
        cs.dispose();
        callback(toStatus(err, ctx.log, { method }));
      },
    );
  };
}
