/**
 * The QueueService gRPC adapter: decodes requests, calls the job service,
 * encodes answers. Every failure goes through status-mapping; no logic
 * lives here.
 */
import { once } from 'node:events';
import type { ServerWritableStream } from '@grpc/grpc-js';
import type { QueueServiceServer, WatchJobRequest, WatchJobResponse } from '../../../../gen/ts/aria/queue/v1/queue.js';
import { abortReason } from '../../core/signals.js';
import type { PlanJobService } from '../../services/queue/index.js';
import { serverStream, unary, type HandlerContext, type ServerContext } from '../handler.js';
import { decodeListRequest, decodeSubmitRequest } from './request-codec.js';
import { encodeJob, encodeJobEvent } from './response-codec.js';

/** What the QueueService handlers share. */
export interface QueueHandlerContext extends ServerContext {
  service: PlanJobService;
}

/** The service's full name (health reports it). */
export const QUEUE_SERVICE_NAME = 'aria.queue.v1.QueueService';

/** The handlers of aria.queue.v1.QueueService. */
export function queueServiceHandlers(ctx: QueueHandlerContext): QueueServiceServer {
  const { service, log } = ctx;
  return {
    submitPlanJob: unary(ctx, 'SubmitPlanJob', async (req, call) => {
      // The auth interceptor, when the server runs one, says who submits: plan history keeps it.
      const { job, created } = await service.submit(decodeSubmitRequest(req, call.principal?.username ?? ''));
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
    watchJob: serverStream(ctx, 'WatchJob', (req, call, stream) => watch(ctx, req, call, stream)),
  };
}

/** WatchJob: progress messages, then the ended job; the stream ends with the job. */
async function watch(ctx: QueueHandlerContext, req: WatchJobRequest, call: HandlerContext, stream: ServerWritableStream<WatchJobRequest, WatchJobResponse>): Promise<void> {
  const signal = call.signal;
  for await (const event of ctx.service.watch(req.jobId, signal)) {
    // A slow reader holds the loop here rather than letting messages pile up.
    if (!stream.write(encodeJobEvent(event, ctx.log))) await once(stream, 'drain', { signal }).catch(() => undefined);
  }
  if (signal.aborted) throw abortReason(signal);
}
