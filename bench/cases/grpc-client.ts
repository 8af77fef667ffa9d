/**
 * The bench's gRPC client side: unary Plan, a PlanStream with several
 * problems in flight, and an empty RPC (the standard health check) as the
 * transport's own ceiling. Problems travel as problem_json, the form a
 * client holding conformance-format problems would send.
 */
import { credentials, makeGenericClientConstructor, type Client, type ClientDuplexStream } from '@grpc/grpc-js';
import {
  PlannerServiceClient, PlanRequest, PlanStatus,
  type PlanResponse, type PlanStreamRequest, type PlanStreamResponse,
} from '../../gen/ts/aria/planner/v1/planner.js';
import type { OpResult } from './case-types.js';

/** Channel options: loopback, large messages (blocks-500 problems are hundreds of KiB). */
const CHANNEL = { 'grpc.max_receive_message_length': 64 << 20, 'grpc.max_send_message_length': 64 << 20 };

/** A PlannerService client for one server. */
export function plannerClient(address: string): PlannerServiceClient {
  return new PlannerServiceClient(address, credentials.createInsecure(), CHANNEL);
}

function opResultOf(r: PlanResponse, problem?: number): OpResult {
  return { planLength: r.status === PlanStatus.PLAN_STATUS_PLAN ? r.plan.length : null, engineBytes: r.stats?.peakMemoryBytes, problem };
}

/** One unary Plan call; `problem` tags the answer (see OpResult.problem). */
export function unaryPlan(client: PlannerServiceClient, request: PlanRequest, problem?: number): Promise<OpResult> {
  return new Promise((resolve, reject) => {
    client.plan(request, (err, res) => (err ? reject(err) : resolve(opResultOf(res, problem))));
  });
}

/** A Plan request for a domain name and a problem. */
export function planRequest(domain: string, problem: unknown): PlanRequest {
  return PlanRequest.fromPartial({ domain, problemJson: JSON.stringify(problem) });
}

const raw = (b: Buffer): Buffer => b;
/** A client class with one unary method whose messages stay bytes. */
const bytesClient = (method: string, path: string, name: string) => makeGenericClientConstructor({
  [method]: {
    path, requestStream: false, responseStream: false,
    requestSerialize: raw, requestDeserialize: raw, responseSerialize: raw, responseDeserialize: raw,
  },
}, name);
/** grpc.health.v1.Health/Check with an empty request (service ""): an RPC that does no work. */
const HealthClient = bytesClient('Check', '/grpc.health.v1.Health/Check', 'Health');
const EMPTY = Buffer.alloc(0);

/**
 * Unary Plan with the request encoded once and the answer left as bytes,
 * as the empty RPC's client does: what is left is the server's work and
 * the transport's, not the client's protobuf code (on a 2-core machine the
 * client's CPU is taken from the server's). The answer is still checked:
 * its first field must say PLAN_STATUS_PLAN.
 */
const PlanBytesClient = bytesClient('Plan', '/aria.planner.v1.PlannerService/Plan', 'PlanBytes');

/** A Plan client that sends and receives bytes. */
export function planBytesClient(address: string): Client & { Plan: Function } {
  return new PlanBytesClient(address, credentials.createInsecure(), CHANNEL) as unknown as Client & { Plan: Function };
}

/** A Plan request, encoded. */
export function encodedPlanRequest(request: PlanRequest): Buffer {
  return Buffer.from(PlanRequest.encode(request).finish());
}

/** One unary Plan of encoded bytes; rejects unless the answer is a plan (field 1, varint PLAN_STATUS_PLAN). */
export function unaryPlanBytes(client: Client & { Plan: Function }, request: Buffer, problem?: number): Promise<OpResult> {
  return new Promise((resolve, reject) => {
    client.Plan(request, (err: Error | null, res: Buffer) => {
      if (err) reject(err);
      else if (res[0] !== 0x08 || res[1] !== PlanStatus.PLAN_STATUS_PLAN) reject(new Error(`Plan answered ${res.subarray(0, 2).toString('hex')}..., not a plan`));
      else resolve({ planLength: null, problem });
    });
  });
}

/** A client for the empty RPC. */
export function emptyClient(address: string): Client & { Check: Function } {
  return new HealthClient(address, credentials.createInsecure(), CHANNEL) as unknown as Client & { Check: Function };
}

/** One empty RPC. */
export function emptyCall(client: Client & { Check: Function }): Promise<OpResult> {
  return new Promise((resolve, reject) => {
    client.Check(EMPTY, (err: Error | null) => (err ? reject(err) : resolve({ planLength: null })));
  });
}

/**
 * One PlanStream shared by the case's concurrent loops: each `plan` sends
 * one problem and resolves with its answer. Answers come in request order,
 * so a queue of pending promises matches them up.
 */
export class PlanStreamClient {
  private readonly call: ClientDuplexStream<PlanStreamRequest, PlanStreamResponse>;
  private readonly pending: { resolve: (r: OpResult) => void; reject: (e: Error) => void; problem?: number }[] = [];
  private failed: Error | undefined;

  constructor(client: PlannerServiceClient) {
    this.call = client.planStream();
    this.call.on('data', (m: PlanStreamResponse) => {
      const p = this.pending.shift();
      if (!p) return;
      if (m.outcome?.$case === 'result') p.resolve(opResultOf(m.outcome.result, p.problem));
      else p.reject(new Error(`PlanStream problem ${m.index}: ${m.outcome?.$case === 'error' ? m.outcome.error.message : 'empty answer'}`));
    });
    this.call.on('error', (e: Error) => this.fail(e));
    this.call.on('end', () => this.fail(new Error('PlanStream ended early')));
  }

  private fail(e: Error): void {
    this.failed ??= e;
    for (const p of this.pending.splice(0)) p.reject(e);
  }

  /** Sends one problem on the stream; `problem` tags the answer. */
  plan(request: PlanRequest, problem?: number): Promise<OpResult> {
    if (this.failed) return Promise.reject(this.failed);
    return new Promise((resolve, reject) => {
      this.pending.push({ resolve, reject, problem });
      this.call.write({ problem: request });
    });
  }

  /** Half-closes the stream and waits for the server to finish it. */
  async close(): Promise<void> {
    if (this.failed) return;
    const done = new Promise<void>((resolve) => { this.call.once('end', resolve); this.call.once('error', () => resolve()); });
    this.call.end();
    await done;
  }
}
