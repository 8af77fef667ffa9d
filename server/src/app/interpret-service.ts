/**
 * Puts InterpretService on a server: the model store in `<data dir>/models`
 * (memory without a data folder), its own worker pool for onnxruntime, and
 * the adapter. The pool starts one worker and grows to the CPU count (at
 * most 4) when calls wait; onnxruntime is loaded only in those workers.
 */
import type { Server } from '@grpc/grpc-js';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { InterpretServiceService } from '../../../gen/ts/aria/interpret/v1/interpret.js';
import { InferPool, InterpretService, ModelStore } from '../services/interpret/index.js';
import { lenientService } from '../transport/lenient-service.js';
import { interpretServiceHandlers } from '../transport/interpret/interpret-adapter.js';

/** The interpret service behind a server, for its shutdown. */
export interface RegisteredInterpret {
  readonly service: InterpretService;
  /** Stops the workers: after the server has drained. */
  close(): Promise<void>;
}

/** Opens the model store and pool, and adds InterpretService to `server` (before it binds). */
export async function addInterpretService(
  server: Server,
  options: { dataDir: string | null; log: Logger; shutdown: AbortSignal; workers?: number },
): Promise<RegisteredInterpret> {
  const store = await ModelStore.open(options.dataDir === null ? null : join(options.dataDir, 'models'));
  const pool = new InferPool({ size: options.workers });
  const service = new InterpretService(store, pool);
  server.addService(lenientService(InterpretServiceService, 'aria.interpret.v1'), interpretServiceHandlers(service, { log: options.log, shutdown: options.shutdown }));
  return { service, close: () => pool.close() };
}
