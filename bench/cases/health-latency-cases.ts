/**
 * `health/during/...`: what a client waiting on health sees while the
 * server does heavy work for another client (issue 14, item 3): a 20,000-
 * action RegisterDomain, and Plans of a 3 MB state. The load runs in this
 * process, the server in a child `aria serve`, and a health check is sent
 * every 20 ms until the load ends; the runner (bench/health-latency.ts)
 * reports the latencies.
 */
import { Metadata, type ServiceError } from '@grpc/grpc-js';
import { PlanRequest, RegisterDomainRequest, type PlannerServiceClient } from '../../gen/ts/aria/planner/v1/planner.js';
import { jsonToState, jsonToTodo } from '../../server/src/pool/value-proto.js';
import type { JsonValue } from '../../server/src/planner/types.js';

/** One load: what it sends, against a server's planner client. */
export interface HealthLoadCase {
  /** `health/during/<what>` */
  name: string;
  /** Runs the load to its end. */
  load(client: PlannerServiceClient): Promise<void>;
}

const call = <Req>(client: PlannerServiceClient, method: 'registerDomain' | 'plan', req: Req) => new Promise<void>((resolve, reject) => {
  (client[method] as unknown as (r: Req, md: Metadata, o: object, cb: (e: ServiceError | null) => void) => void)
    .call(client, req, new Metadata(), { deadline: new Date(Date.now() + 600_000) }, (e) => (e ? reject(e) : resolve()));
});

/** A domain of n actions, unique per `tag` (so each registration compiles). */
function bigDomain(n: number, tag: string): string {
  const lines = [`domain big_${tag}`, 'var v'];
  for (let i = 0; i < n; i++) lines.push(`action a${i}(x) {\n  require v[x] == ${i}\n  v[x] = ${i + 1}\n}`);
  return `${lines.join('\n')}\n`;
}

/** The cases. */
export function healthLatencyCases(): HealthLoadCase[] {
  return [
    {
      name: 'health/during/register-20k-actions',
      load: (client) => call(client, 'registerDomain', RegisterDomainRequest.fromPartial({ source: { $case: 'text', text: bigDomain(20_000, String(Date.now())) } })),
    },
    {
      name: 'health/during/plan-3mb-state',
      load: async (client) => {
        await call(client, 'registerDomain', RegisterDomainRequest.fromPartial({ source: { $case: 'text', text: 'domain big_state\nvar big, loc\naction go(x, y) { loc[x] = y }\n' } }));
        const big: Record<string, JsonValue> = {};
        for (let i = 0; i < 40_000; i++) big[`k${i}`] = [[i, 'a', [1, 2, [3, 'x']]]];
        const req = PlanRequest.fromPartial({ domain: 'big_state', state: jsonToState({ big, loc: { o: 'here' } }), todo: jsonToTodo([['go', 'o', 'there']]) });
        for (let i = 0; i < 3; i++) await call(client, 'plan', req);
      },
    },
  ];
}

