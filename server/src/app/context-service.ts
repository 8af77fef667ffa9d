/**
 * Wires the context service (agent contexts, services/context) into a
 * server. It needs the planner service, which it plans through; its
 * contexts live in memory and are dropped when the server stops.
 */
import type { Server } from '@grpc/grpc-js';
import { ContextServiceService } from '../../../gen/ts/aria/context/v1/context.js';
import { ContextService, type ContextLimits } from '../services/context/index.js';
import type { PlannerService } from '../services/engine/index.js';
import { contextServiceHandlers } from '../transport/context/context-adapter.js';
import type { ServerContext } from '../transport/handler.js';
import { lenientService } from '../transport/lenient-service.js';

/** The service's full name, as health reports it. */
export const CONTEXT_SERVICE = 'aria.context.v1.ContextService';

/** Adds ContextService to a server; the service is returned so that shutdown can close its contexts. */
export function addContextService(server: Server, ctx: ServerContext, planner: PlannerService, limits?: ContextLimits): ContextService {
  const service = new ContextService(planner, limits);
  server.addService(lenientService(ContextServiceService, 'aria.context.v1'), contextServiceHandlers(service, ctx));
  return service;
}
