/**
 * Large Plan requests are decoded where they are planned. grpc-js decodes a
 * request on the event loop before the handler runs, and a state of a few
 * megabytes (deeply nested protobuf Values) took seconds there, stalling
 * every other call. So a PlanRequest over DEFER_BYTES is only scanned here:
 * its domain, options and problem_json are read, and its state and todo
 * items are kept as bytes (a DeferredProblem), which the worker thread
 * decodes (json-problem.ts resolveProblem).
 */
import { BinaryReader, WireType } from '@bufbuild/protobuf/wire';
import { PlanOptions, PlanRequest } from '../../../../gen/ts/aria/planner/v1/planner.js';

/** Requests larger than this are scanned, not decoded, on the event loop. */
export const DEFER_BYTES = 256 * 1024;

/** State and todo items still in protobuf bytes. */
export interface DeferredProblem {
  pbState?: Uint8Array;
  pbTodo: Uint8Array[];
}

/** A PlanRequest whose state and todo wait, as bytes, in `deferred`. */
export type DeferredPlanRequest = PlanRequest & { deferred?: DeferredProblem };

// PlanRequest's field numbers (proto/aria/planner/v1/planner.proto).
const DOMAIN = 1, STATE = 2, TODO = 3, OPTIONS = 4, PROBLEM_JSON = 5;

/** Decodes a PlanRequest; over DEFER_BYTES, with state and todo left as bytes. Throws on malformed input, as decode does. */
export function decodePlanRequestBytes(bytes: Uint8Array): DeferredPlanRequest {
  if (bytes.length <= DEFER_BYTES) return PlanRequest.decode(bytes);
  const out: DeferredPlanRequest = PlanRequest.fromPartial({});
  const deferred: DeferredProblem = { pbTodo: [] };
  const r = new BinaryReader(bytes);
  while (r.pos < r.len) {
    const [field, wire] = r.tag();
    if (field === DOMAIN && wire === WireType.LengthDelimited) out.domain = r.string();
    else if (field === STATE && wire === WireType.LengthDelimited) deferred.pbState = r.bytes();
    else if (field === TODO && wire === WireType.LengthDelimited) deferred.pbTodo.push(r.bytes());
    else if (field === OPTIONS && wire === WireType.LengthDelimited) out.options = PlanOptions.decode(r.bytes());
    else if (field === PROBLEM_JSON && wire === WireType.LengthDelimited) out.problemJson = r.string();
    else r.skip(wire);
  }
  if (deferred.pbState !== undefined || deferred.pbTodo.length > 0) out.deferred = deferred;
  return out;
}
