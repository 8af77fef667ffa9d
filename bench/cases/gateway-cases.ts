/**
 * `gateway/...`: Plan of simple_htn through the HTTP port's gateways
 * against native gRPC, on one `aria serve` child process, 16 calls in
 * flight (issue 18: a JSON Plan through the gateway at concurrency 16 at
 * least 60% of native gRPC's throughput in the same run; `/metrics` costing
 * under 5% of Plan throughput). Cases, side by side:
 *
 * - `gateway/grpc/simple_htn/c16`: native gRPC, the generated client;
 * - `gateway/json/simple_htn/c16`: `POST /v1/...` with a JSON body, over
 *   kept-alive HTTP/1.1 connections;
 * - `gateway/grpc-web/simple_htn/c16`: gRPC-Web frames over HTTP/1.1;
 * - `gateway/grpc+metrics-10hz/simple_htn/c16`: native gRPC while `/metrics`
 *   is scraped ten times a second (Prometheus' default is once per 15 s).
 */
import { Agent, request } from 'node:http';
import { availableParallelism } from 'node:os';
import type { BenchCase, CaseDriver, OpResult } from './case-types.js';
import { namedSets } from './corpus.js';
import { encodedPlanRequest, plannerClient, planRequest, unaryPlan } from './grpc-client.js';
import { ServerProcess } from './server-process.js';

const SERVER = 'gateway-server';
const C = 16;
const startServer = () => ServerProcess.start(availableParallelism());

/** One HTTP POST on a kept-alive agent; resolves with the status and body. */
function post(agent: Agent, address: string, path: string, type: string, body: Buffer | string): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(`http://${address}${path}`, { method: 'POST', agent, headers: { 'content-type': type } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

const travel = () => namedSets().find((s) => s.domain === 'simple_htn')!;

function grpcCase(name: string, scrape: boolean): BenchCase {
  return {
    name, layer: 'grpc', uses: SERVER,
    async setup(ctx): Promise<CaseDriver> {
      const server = await ctx.resource(SERVER, startServer);
      const client = plannerClient(server.address);
      const set = travel();
      const reqs = set.problems.map((p) => planRequest(set.domain, p));
      let i = 0;
      let timer: NodeJS.Timeout | undefined;
      if (scrape) {
        const http = await server.httpAddress();
        const agent = new Agent({ keepAlive: true, maxSockets: 1 });
        timer = setInterval(() => {
          request(`http://${http}/metrics`, { agent }, (res) => res.resume()).on('error', () => undefined).end();
        }, 100);
      }
      return {
        concurrency: C, async: () => { const k = i++ % reqs.length; return unaryPlan(client, reqs[k]!, k); },
        rss: () => server.rss(), cpuMs: () => server.cpuMs(),
        close: async () => { clearInterval(timer); client.close(); },
      };
    },
  };
}

function jsonCase(): BenchCase {
  return {
    name: 'gateway/json/simple_htn/c16', layer: 'grpc', uses: SERVER,
    async setup(ctx): Promise<CaseDriver> {
      const server = await ctx.resource(SERVER, startServer);
      const http = await server.httpAddress();
      const agent = new Agent({ keepAlive: true, maxSockets: C });
      const set = travel();
      const bodies = set.problems.map((p) => JSON.stringify({ domain: set.domain, problemJson: JSON.stringify(p) }));
      let i = 0;
      const op = async (): Promise<OpResult> => {
        const k = i++ % bodies.length;
        const r = await post(agent, http, '/v1/aria.planner.v1.PlannerService/Plan', 'application/json', bodies[k]!);
        if (r.status !== 200) throw new Error(`JSON Plan: HTTP ${r.status} ${r.body.toString().slice(0, 200)}`);
        const plan = (JSON.parse(r.body.toString()) as { plan?: unknown[] }).plan;
        return { planLength: plan ? plan.length : null, problem: k };
      };
      return { concurrency: C, async: op, rss: () => server.rss(), cpuMs: () => server.cpuMs(), close: async () => agent.destroy() };
    },
  };
}

function grpcWebCase(): BenchCase {
  return {
    name: 'gateway/grpc-web/simple_htn/c16', layer: 'grpc', uses: SERVER,
    async setup(ctx): Promise<CaseDriver> {
      const server = await ctx.resource(SERVER, startServer);
      const http = await server.httpAddress();
      const agent = new Agent({ keepAlive: true, maxSockets: C });
      const set = travel();
      const frames = set.problems.map((p) => {
        const msg = encodedPlanRequest(planRequest(set.domain, p));
        const head = Buffer.alloc(5);
        head.writeUInt32BE(msg.length, 1);
        return Buffer.concat([head, msg]);
      });
      let i = 0;
      const op = async (): Promise<OpResult> => {
        const k = i++ % frames.length;
        const r = await post(agent, http, '/aria.planner.v1.PlannerService/Plan', 'application/grpc-web+proto', frames[k]!);
        if (r.status !== 200 || !r.body.includes('grpc-status: 0')) throw new Error(`gRPC-Web Plan: HTTP ${r.status} ${r.body.toString('latin1').slice(-200)}`);
        return { planLength: null, problem: k };
      };
      return { concurrency: C, async: op, rss: () => server.rss(), cpuMs: () => server.cpuMs(), close: async () => agent.destroy() };
    },
  };
}

/** The gateway cases, listed together so their server starts once and the loads alternate little. */
export function gatewayCases(): BenchCase[] {
  return [
    grpcCase('gateway/grpc/simple_htn/c16', false),
    jsonCase(),
    grpcWebCase(),
    grpcCase('gateway/grpc+metrics-10hz/simple_htn/c16', true),
  ];
}
