/**
 * Test support for the job queue: job specs for real domains, a planner
 * stand-in that fails on request, Redis key hygiene for the BullMQ tests.
 */
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { loadDomain, readBuiltinDomain, type PlanOptions, type PlanResult } from '../../server/src/planner/index.js';
import type { ProblemSource } from '../../server/src/pool/problem-source.js';
import type { PoolDomain } from '../../server/src/pool/planner-pool.js';
import type { JobSpec } from '../../server/src/services/queue/job-types.js';
import type { JobPlanner } from '../../server/src/services/queue/run-job.js';

/** The Redis of the BullMQ tests; unset means they skip. */
export const REDIS_URL = process.env.REDIS_URL || '';

/**
 * dig(n) searches 10^n leaves and never finds a plan: with a timeout it is a
 * problem of known duration. quick(n) plans [mark(n)] at once.
 */
export const SLOW_TEXT = `domain queue_slow_probe
var done
action never(n) { fail }
action mark(n) { done[n] = true }
task quick {
  method go(n) { return [mark(n)] }
}
task dig {
  method go(n) {
    choose x in [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
    if n == 0 { return [never(x)] }
    return [dig(n - 1)]
  }
}
`;

/** simple_htn: alice travels to the park by taxi (a 3-step plan). */
export const TRAVEL = {
  state: { loc: { alice: 'home_a', bob: 'home_b', taxi1: 'park', taxi2: 'station' }, cash: { alice: 20, bob: 15 }, owe: { alice: 0, bob: 0 } },
  todo: [['travel', 'alice', 'park']],
};

/** The endless search. */
export const DIG = { state: {}, todo: [['dig', 12]] };

/** A problem of SLOW_TEXT that plans [["mark", n]] at once. */
export function quick(n: number): { state: Record<string, never>; todo: [string, number][] } {
  return { state: {}, todo: [['quick', n]] };
}

/** A job spec for a built-in domain (by name) or a domain text. */
export function specFor(domain: string, problems: ProblemSource[], extra: Partial<JobSpec> = {}): JobSpec {
  const text = domain.startsWith('domain ') ? domain : readBuiltinDomain(domain).text;
  const handle = loadDomain(text);
  const spec: JobSpec = {
    domain: { id: handle.hash, name: handle.name, version: 1 },
    domainJson: JSON.stringify(handle.domain),
    problems,
    options: {},
    username: 'tester',
    ...extra,
  };
  handle.dispose?.();
  return spec;
}

/** A planner stand-in: `script` decides each call (throw, or return a result). */
export function scriptedPlanner(script: (call: number, problem: ProblemSource) => PlanResult | Promise<PlanResult>, size = 2): JobPlanner & { calls: number } {
  const planner = {
    size,
    calls: 0,
    async plan(_domain: PoolDomain, problem: ProblemSource, _options: Omit<PlanOptions, 'signal' | 'cancelFlag'>, signal?: AbortSignal): Promise<PlanResult> {
      if (signal?.aborted) throw signal.reason;
      return script(++planner.calls, problem);
    },
  };
  return planner;
}

/** A plan result for stand-ins. */
export const OK_RESULT: PlanResult = { status: 'plan', plan: [['ok']], stats: { expansions: 1, backtracks: 0, maxDepth: 1, peakMemoryBytes: 0 } };

/** A fresh key prefix for one test: its keys never meet another test's. */
export function freshPrefix(): string {
  return `ariatest-${randomBytes(5).toString('hex')}`;
}

/** Removes every key under `prefix:`. */
export async function removeKeys(redis: Redis, prefix: string): Promise<number> {
  let removed = 0;
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length) removed += await redis.unlink(...keys);
  } while (cursor !== '0');
  return removed;
}

/** Waits until `cond()` holds, checking every 25 ms, for at most `ms`. */
export async function until(cond: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** The list where the worker processes' test history logs every record call, as "<record id> <pid>". */
export function historyCallsKey(prefix: string): string {
  return `${prefix}:test-history:calls`;
}
