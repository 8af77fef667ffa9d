/**
 * Test support for the gRPC tests: a server on a free port, a client, and
 * promise wrappers for the generated callback API.
 */
import { credentials, Metadata, type ServiceError, type status } from '@grpc/grpc-js';
import { pino } from 'pino';
import { PlannerServiceClient } from '../../gen/ts/aria/planner/v1/planner.js';
import { startServer, type AriaServer, type ServerOptions } from '../../server/src/app/start-server.js';
import { readErrorDetail } from '../../server/src/transport/status-mapping.js';
import type { ErrorDetail } from '../../gen/ts/aria/planner/v1/planner.js';

/** A text domain whose search never ends for dig(12) (10^12 leaves): for deadlines and cancellation. */
export const SLOW_DOMAIN = `domain slow_probe
action never(n) { fail }
task dig {
  method go(n) {
    choose x in [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
    if n == 0 { return [never(x)] }
    return [dig(n - 1)]
  }
}
`;

/** Starts a server on 127.0.0.1, a free port, in-memory domains and a quiet logger unless told otherwise. */
export async function testServer(options: ServerOptions = {}): Promise<AriaServer> {
  return startServer({ port: 0, dataDir: null, logger: pino({ level: process.env.ARIA_TEST_LOG ?? 'silent' }), ...options });
}

/** A client of `server`. */
export function clientOf(server: { address: string }): PlannerServiceClient {
  return new PlannerServiceClient(server.address, credentials.createInsecure());
}

/** Per-call options of `unary`. */
export interface CallOpts {
  deadlineMs?: number;
  /** Called with the call object, to cancel it. */
  onCall?: (call: { cancel(): void }) => void;
}

type UnaryMethod<Req, Res> = (req: Req, md: Metadata, opts: { deadline?: Date }, cb: (err: ServiceError | null, res: Res) => void) => { cancel(): void };

/** Calls a unary method of the generated client and returns a promise. */
export function unary<Req, Res>(client: PlannerServiceClient, method: keyof PlannerServiceClient, req: Req, opts: CallOpts = {}): Promise<Res> {
  const fn = (client[method] as unknown as UnaryMethod<Req, Res>).bind(client);
  return new Promise((resolve, reject) => {
    const call = fn(req, new Metadata(), opts.deadlineMs === undefined ? {} : { deadline: new Date(Date.now() + opts.deadlineMs) }, (err, res) =>
      err ? reject(err) : resolve(res),
    );
    opts.onCall?.(call);
  });
}

/** The failure of a call that must fail, with its ErrorDetail. */
export async function failure(p: Promise<unknown>): Promise<{ code: status; details: string; detail?: ErrorDetail }> {
  try {
    await p;
  } catch (err) {
    const e = err as ServiceError;
    return { code: e.code, details: e.details, detail: readErrorDetail(e.metadata) };
  }
  throw new Error('the call succeeded; a failure was expected');
}

/** Waits until `cond()` holds, checking every 20 ms, for at most `ms`. */
export async function waitFor(cond: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
