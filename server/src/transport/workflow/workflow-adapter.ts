/**
 * The WorkflowService gRPC adapter: decodes requests, calls the workflow
 * service, encodes answers. Every failure goes through status-mapping; no
 * logic lives here. The caller's name (from the auth interceptor) is kept
 * as an SOP's or a run's owner and as an approval's author.
 */
import { once } from 'node:events';
import type { WorkflowServiceServer } from '../../../../gen/ts/aria/workflow/v1/workflow.js';
import { abortReason } from '../../core/signals.js';
import { stepEvent, type WorkflowService } from '../../services/workflow/index.js';
import { serverStream, unary, type ServerContext } from '../handler.js';
import { decodeRunStatus, decodeStateJson, encodeRun, encodeSop, encodeStep } from './workflow-codec.js';

/** The handlers of aria.workflow.v1.WorkflowService. */
export function workflowServiceHandlers(service: WorkflowService, ctx: ServerContext): WorkflowServiceServer {
  const who = (call: { principal?: { username: string } }) => call.principal?.username ?? '';
  return {
    putSop: unary(ctx, 'PutSop', async (req, call) => ({ sop: encodeSop(await service.putSop(req.sopJson, who(call))) })),
    getSop: unary(ctx, 'GetSop', async (req) => ({ sop: encodeSop(await service.getSop(req.name, Math.max(req.revision, 0))) })),
    listSops: unary(ctx, 'ListSops', async (req) => ({ sops: (await service.listSops(req.limit || 100)).map(encodeSop) })),
    startRun: unary(ctx, 'StartRun', async (req, call) => ({
      run: encodeRun(await service.startRun({ sop: req.sopName, revision: Math.max(req.sopRevision, 0), state: decodeStateJson(req.stateJson, 'state_json'), owner: who(call) })),
    })),
    getRun: unary(ctx, 'GetRun', async (req) => {
      const { run, steps } = await service.getRun(req.runId);
      return { run: encodeRun(run), steps: steps.map((s) => encodeStep(stepEvent(s), s.idempotencyKey)) };
    }),
    listRuns: unary(ctx, 'ListRuns', async (req) => ({
      runs: (await service.listRuns({ sopName: req.sopName || undefined, status: decodeRunStatus(req.status, 'status'), limit: req.limit || 100 })).map(encodeRun),
    })),
    watchRun: serverStream(ctx, 'WatchRun', async (req, call, stream) => {
      const signal = call.signal;
      for await (const e of service.watch(req.runId, signal)) {
        const msg = e.type === 'step' ? { step: encodeStep(e, `${e.runId}:${e.stepIndex}`) } : { run: encodeRun(e.run) };
        // A slow reader holds the loop here rather than letting messages pile up.
        if (!stream.write(msg)) await once(stream, 'drain', { signal }).catch(() => undefined);
      }
      if (signal.aborted) throw abortReason(signal);
    }),
    pauseRun: unary(ctx, 'PauseRun', async (req) => ({ run: encodeRun(await service.pauseRun(req.runId)) })),
    resumeRun: unary(ctx, 'ResumeRun', async (req) => ({ run: encodeRun(await service.resumeRun(req.runId)) })),
    cancelRun: unary(ctx, 'CancelRun', async (req) => ({ run: encodeRun(await service.cancelRun(req.runId)) })),
    approveStep: unary(ctx, 'ApproveStep', async (req, call) => ({
      run: encodeRun(await service.approveStep({ runId: req.runId, stepIndex: req.stepIndex, approved: req.approved, by: who(call), comment: req.comment })),
    })),
  };
}
