/**
 * The server's Prometheus figures (prom-client), in a registry of its own so
 * that two servers in one process (the tests) keep theirs apart. Calls are
 * counted by the transport's interceptor, plans by the engine's plan
 * observer; gauges that are cheaper read than kept (pool, inline planner,
 * queue) are read when Prometheus scrapes, through `sample`.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { PlanOutcome } from '../engine/index.js';

/** Seconds buckets for RPC and plan latency: 100 µs to 30 s. */
const LATENCY_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
/** Expansions and backtracks per plan: 1 to 10 million, by powers of 4. */
const COUNT_BUCKETS = [0, 1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304];

/** What a scrape reads from the running server; each part optional. */
export interface MetricsSources {
  /** The planner pool: threads, calls waiting, busy share (0-1). */
  pool?: () => { workers: number; queued: number; utilization: number };
  /** Calls the main thread answered and calls it handed to the pool, since start. */
  inline?: () => { inline: number; handedOn: number };
  /** Jobs by state, from the job queue (a promise: BullMQ asks Redis). */
  jobs?: () => Promise<Record<string, number>>;
}

/** The figures of one server. */
export class ServerMetrics {
  /** The registry `/metrics` renders. */
  readonly registry = new Registry();
  private readonly rpcs: Counter<'service' | 'method' | 'code'>;
  private readonly rpcSeconds: Histogram<'service' | 'method'>;
  private readonly plans: Counter<'method' | 'status'>;
  private readonly planSeconds: Histogram<'method'>;
  private readonly expansions: Histogram<'method'>;
  private readonly backtracks: Histogram<'method'>;
  private sources: MetricsSources = {};

  constructor(options: { defaultMetrics?: boolean } = {}) {
    const registers = [this.registry];
    this.rpcs = new Counter({ name: 'aria_rpc_requests_total', help: 'gRPC calls answered, by service, method and status code', labelNames: ['service', 'method', 'code'], registers });
    this.rpcSeconds = new Histogram({ name: 'aria_rpc_duration_seconds', help: 'gRPC call time from arrival to status, in seconds', labelNames: ['service', 'method'], buckets: LATENCY_BUCKETS, registers });
    this.plans = new Counter({ name: 'aria_plans_total', help: 'Planning calls by RPC and outcome (plan, no_plan, error, limit)', labelNames: ['method', 'status'], registers });
    this.planSeconds = new Histogram({ name: 'aria_plan_duration_seconds', help: 'Planning call time, in seconds', labelNames: ['method'], buckets: LATENCY_BUCKETS, registers });
    this.expansions = new Histogram({ name: 'aria_plan_expansions', help: 'Search expansions per answered planning call', labelNames: ['method'], buckets: COUNT_BUCKETS, registers });
    this.backtracks = new Histogram({ name: 'aria_plan_backtracks', help: 'Backtracks per answered planning call', labelNames: ['method'], buckets: COUNT_BUCKETS, registers });
    const sources = () => this.sources;
    new Gauge({ name: 'aria_pool_workers', help: 'Planner worker threads', registers, collect() { const p = sources().pool?.(); if (p) this.set(p.workers); } });
    new Gauge({ name: 'aria_pool_queue_depth', help: 'Planning calls waiting for a worker', registers, collect() { const p = sources().pool?.(); if (p) this.set(p.queued); } });
    new Gauge({ name: 'aria_pool_utilization', help: 'Share of the workers\' time spent running tasks since start (0-1)', registers, collect() { const p = sources().pool?.(); if (p) this.set(p.utilization); } });
    new Gauge({
      name: 'aria_planner_calls', help: 'Planning calls since start by where they ran: inline (main thread) or pool (handed on)', labelNames: ['where'], registers,
      collect() { const c = sources().inline?.(); if (c) { this.set({ where: 'inline' }, c.inline); this.set({ where: 'pool' }, c.handedOn); } },
    });
    new Gauge({
      name: 'aria_queue_jobs', help: 'Plan jobs in the queue by state', labelNames: ['state'], registers,
      async collect() {
        const jobs = sources().jobs;
        if (!jobs) return;
        this.reset();
        let counts: Record<string, number>;
        try {
          counts = await jobs();
        } catch {
          // Redis down: the scrape still answers, without this gauge (the queue's own calls say UNAVAILABLE).
          return;
        }
        for (const [state, n] of Object.entries(counts)) this.set({ state }, n);
      },
    });
    if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry, prefix: 'aria_' });
  }

  /** Where scrapes read the pool, inline planner and queue from; later calls add to earlier ones. */
  watch(sources: MetricsSources): void {
    this.sources = { ...this.sources, ...sources };
  }

  /** Counts one finished RPC; `seconds` from arrival to status. */
  rpc(service: string, method: string, code: string, seconds: number): void {
    this.rpcs.inc({ service, method, code });
    this.rpcSeconds.observe({ service, method }, seconds);
  }

  /** Counts one planning call (the engine's PlanObserver calls this). */
  plan(o: PlanOutcome): void {
    this.plans.inc({ method: o.method, status: o.status });
    this.planSeconds.observe({ method: o.method }, o.durationMs / 1000);
    if (o.expansions !== undefined) this.expansions.observe({ method: o.method }, o.expansions);
    if (o.backtracks !== undefined) this.backtracks.observe({ method: o.method }, o.backtracks);
  }

  /** The Prometheus text exposition of every figure. */
  render(): Promise<string> {
    return this.registry.metrics();
  }

  /** The exposition format's content type. */
  get contentType(): string {
    return this.registry.contentType;
  }
}
