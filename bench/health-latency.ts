/**
 * `node dist/bench/health-latency.js [--json FILE]`: the health latency a
 * client sees while the server does each case's heavy work
 * (bench/cases/health-latency-cases.ts). Prints a table and JSON.
 */
import { credentials, makeGenericClientConstructor, Metadata, type ServiceError } from '@grpc/grpc-js';
import { service as healthService } from 'grpc-health-check';
import { writeFileSync } from 'node:fs';
import { PlannerServiceClient } from '../gen/ts/aria/planner/v1/planner.js';
import { healthLatencyCases } from './cases/health-latency-cases.js';
import { ServerProcess } from './cases/server-process.js';
import { formatTable, fmtMs } from './report-table.js';

type HealthClient = { check(req: { service: string }, md: Metadata, o: object, cb: (e: ServiceError | null) => void): void };

const quantile = (xs: number[], q: number) => xs[Math.min(xs.length - 1, Math.floor(q * xs.length))] ?? NaN;

async function main(): Promise<void> {
  const jsonAt = process.argv.indexOf('--json');
  const server = await ServerProcess.start(2);
  const results: Array<{ name: string; checks: number; p50Ms: number; p99Ms: number; maxMs: number; loadMs: number }> = [];
  try {
    const Health = makeGenericClientConstructor(healthService, 'Health');
    const health = new Health(server.address, credentials.createInsecure()) as unknown as HealthClient;
    const planner = new PlannerServiceClient(server.address, credentials.createInsecure());
    for (const c of healthLatencyCases()) {
      const latencies: number[] = [];
      let done = false;
      const t0 = performance.now();
      const load = c.load(planner).finally(() => { done = true; });
      while (!done) {
        const s = performance.now();
        await new Promise<void>((resolve, reject) => health.check({ service: '' }, new Metadata(), { deadline: new Date(Date.now() + 120_000) }, (e) => (e ? reject(e) : resolve())));
        latencies.push(performance.now() - s);
        await new Promise((r) => setTimeout(r, 20));
      }
      await load;
      latencies.sort((a, b) => a - b);
      results.push({ name: c.name, checks: latencies.length, p50Ms: quantile(latencies, 0.5), p99Ms: quantile(latencies, 0.99), maxMs: latencies[latencies.length - 1] ?? NaN, loadMs: performance.now() - t0 });
      process.stderr.write(`${c.name}: done\n`);
    }
    planner.close();
  } finally {
    await server.close();
  }
  console.log(formatTable(['case', 'load took', 'health checks', 'p50', 'p99', 'worst'],
    results.map((r) => [r.name, fmtMs(r.loadMs), String(r.checks), fmtMs(r.p50Ms), fmtMs(r.p99Ms), fmtMs(r.maxMs)]), [false, true, true, true, true, true]));
  const json = JSON.stringify({ cases: results }, null, 2);
  console.log(json);
  if (jsonAt > 0 && process.argv[jsonAt + 1]) writeFileSync(process.argv[jsonAt + 1]!, json);
}

await main();
