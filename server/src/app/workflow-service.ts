/**
 * Wires the workflow service (SOPs and their runs, services/workflow) into
 * a server. It needs the foundation's database (runs and steps are kept
 * there) and the engine (a `plan` command plans through a PlannerService
 * on the server's registry and pool), so it is added after them; opening it
 * resumes the runs a stopped server left unfinished. `http` commands may
 * call only the origins in ARIA_WORKFLOW_HTTP_ALLOW (comma-separated,
 * empty by default: none).
 */
import type { Server } from '@grpc/grpc-js';
import { WorkflowServiceService } from '../../../gen/ts/aria/workflow/v1/workflow.js';
import type { Logger } from 'pino';
import type { Database } from '../services/data/index.js';
import { PlannerService, type DomainRegistry } from '../services/engine/index.js';
import type { PlannerPool } from '../pool/index.js';
import { WorkflowService, type PlanFn } from '../services/workflow/index.js';
import type { ServerContext } from '../transport/handler.js';
import { lenientService } from '../transport/lenient-service.js';
import { workflowServiceHandlers } from '../transport/workflow/workflow-adapter.js';

/** The service's full name, as health reports it. */
export const WORKFLOW_SERVICE = 'aria.workflow.v1.WorkflowService';

/** What the workflow service is opened with. */
export interface WorkflowWiring extends ServerContext {
  readonly db: Database;
  readonly registry: DomainRegistry;
  readonly pool: PlannerPool;
  readonly env: NodeJS.ProcessEnv;
}

/** The origins `http` commands may call, from ARIA_WORKFLOW_HTTP_ALLOW; each must be an origin (scheme://host[:port]). */
export function httpAllowFromEnv(env: NodeJS.ProcessEnv, log?: Logger): string[] {
  const out: string[] = [];
  for (const item of (env.ARIA_WORKFLOW_HTTP_ALLOW ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
    try {
      const origin = new URL(item).origin;
      if (origin !== 'null') out.push(origin);
      else log?.warn({ item }, 'ARIA_WORKFLOW_HTTP_ALLOW: not an http(s) origin; ignored');
    } catch {
      log?.warn({ item }, 'ARIA_WORKFLOW_HTTP_ALLOW: not a URL; ignored');
    }
  }
  return out;
}

/** Opens the workflow service (resuming unfinished runs) and adds it to a server; close it on shutdown. */
export async function addWorkflowService(server: Server, w: WorkflowWiring): Promise<WorkflowService> {
  const planner = new PlannerService(w.registry, w.pool);
  const plan: PlanFn = async (domain, problem, signal) => {
    const { result } = await planner.plan({ domain, problem: { json: JSON.stringify(problem), field: 'problem' }, options: { maxExpansions: 1_000_000 } }, signal);
    return result.status === 'plan' ? (result.plan as never) : null;
  };
  const service = await WorkflowService.open({
    db: w.db,
    commands: { plan, httpAllow: httpAllowFromEnv(w.env, w.log) },
    onError: (err, runId) => w.log.error({ err, runId }, 'workflow run stopped by an error; it resumes when the server restarts'),
  });
  server.addService(lenientService(WorkflowServiceService, 'aria.workflow.v1'), workflowServiceHandlers(service, w));
  return service;
}
