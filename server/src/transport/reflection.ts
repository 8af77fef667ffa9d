/**
 * gRPC server reflection (v1 and v1alpha) for the planner and health
 * services, so that generic tools (grpcurl, grpcui) can call the server
 * without the .proto files.
 */
import type { Server } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { ReflectionService } from '@grpc/reflection';
import { protoPath as healthProtoPath } from 'grpc-health-check';
import { dirname } from 'node:path';
import { PLANNER_PROTO, SERVICE_PROTOS, protoRoot } from './proto-files.js';

/** Adds the reflection service to a server. */
export function addReflection(server: Server): void {
  const root = protoRoot();
  // health.proto sits at <pkg>/proto/health/v1/; its own imports are none.
  const definition = loadSync([PLANNER_PROTO, ...SERVICE_PROTOS, healthProtoPath], {
    includeDirs: [root, dirname(healthProtoPath)],
    keepCase: true,
  });
  new ReflectionService(definition).addToServer(server);
}
