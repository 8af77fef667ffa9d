/**
 * Every benchmark case, in run order: in-process first (cheap, no servers),
 * then the pool, the gRPC server, the multi-process mode and the job queue
 * (only when REDIS_URL is set). Cases that share a server are listed
 * together so that it starts once.
 */
import { anytimeCases } from './anytime-cases.js';
import { baselineCases } from './baseline-cases.js';
import { cliCases } from './cli-cases.js';
import { contextCases } from './context-cases.js';
import { interpretCases } from './interpret-cases.js';
import type { BenchCase } from './case-types.js';
import { eachCases, floorCases } from './floor-cases.js';
import { grpcCases } from './grpc-cases.js';
import { gatewayCases } from './gateway-cases.js';
import { webCases } from './web-cases.js';
import { bwRandSet, ipcBenchCases } from './ipc-bench-cases.js';
import { multiCases } from './multi-cases.js';
import { poolCases } from './pool-cases.js';
import { queueCases } from './queue-cases.js';
import { storageCases } from './storage-cases.js';
import { shapeCases } from './shape-cases.js';
import { wasmCase, wasmCases } from './wasm-cases.js';
import { workflowCases } from './workflow-cases.js';

/** All cases. */
export async function allCases(): Promise<BenchCase[]> {
  return [
    ...baselineCases(),
    ...cliCases(),
    ...interpretCases(),
    ...wasmCases(),
    ...storageCases(),
    ...contextCases(),
    ...shapeCases(),
    ...workflowCases(),
    ...floorCases(),
    ...eachCases(),
    ...bwRandSet().map((s) => wasmCase(s, { expectPlans: true })),
    ...anytimeCases(),
    ...ipcBenchCases(),
    ...poolCases(),
    ...grpcCases(),
    ...gatewayCases(),
    ...webCases(),
    ...multiCases(),
    ...queueCases(),
  ];
}
