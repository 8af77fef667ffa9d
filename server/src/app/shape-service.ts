/**
 * Wires the shape service (character generation, services/shape) into a
 * server. It needs nothing opened before it: templates are files and
 * requests, and generation runs the planner in process.
 */
import type { Server } from '@grpc/grpc-js';
import { ShapeServiceService } from '../../../gen/ts/aria/shape/v1/shape.js';
import type { ServerContext } from '../transport/handler.js';
import { lenientService } from '../transport/lenient-service.js';
import { shapeServiceHandlers } from '../transport/shape/shape-adapter.js';

/** The service's full name, as health reports it. */
export const SHAPE_SERVICE = 'aria.shape.v1.ShapeService';

/** Adds ShapeService to a server. */
export function addShapeService(server: Server, ctx: ServerContext): void {
  server.addService(lenientService(ShapeServiceService, 'aria.shape.v1'), shapeServiceHandlers(ctx));
}
