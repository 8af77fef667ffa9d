/** Where the .proto files are at run time (for reflection). */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The planner contract, relative to the proto root. */
export const PLANNER_PROTO = 'aria/planner/v1/planner.proto';
/** The other services' contracts, which reflection serves too. */
export const SERVICE_PROTOS = [
  'aria/secrets/v1/secrets.proto', 'aria/auth/v1/auth.proto', 'aria/data/v1/data.proto', 'aria/queue/v1/queue.proto',
  'aria/shape/v1/shape.proto', 'aria/interpret/v1/interpret.proto', 'aria/storage/v1/storage.proto', 'aria/context/v1/context.proto',
  'aria/workflow/v1/workflow.proto',
];

/**
 * The repository's proto/ folder, found by walking up from this module
 * (it runs from server/src/transport in sources and dist/server/src/transport when built).
 */
export function protoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'proto');
    if (existsSync(join(candidate, PLANNER_PROTO))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find proto/${PLANNER_PROTO} above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
}
