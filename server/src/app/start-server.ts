/**
 * Server bootstrap: the registry (with the built-in domains and those kept
 * on disk), the worker pool, the PlannerService adapter, health and
 * reflection, bound with @grpc/grpc-js. `shutdown` drains in-flight calls,
 * then aborts whatever is left.
 */
import { Server, ServerCredentials, type ServerInterceptor } from '@grpc/grpc-js';
import { setMaxListeners } from 'node:events';
import { HealthImplementation } from 'grpc-health-check';
import type { Logger } from 'pino';
import { PlannerServiceService } from '../../../gen/ts/aria/planner/v1/planner.js';
import { plannerServiceHandlers } from '../transport/engine/planner-adapter.js';
import { decodePlanRequestBytes } from '../transport/engine/deferred-plan-request.js';
import { DomainRegistry, FileDomainStore, MemoryDomainStore, type DomainStore, PlannerService } from '../services/engine/index.js';
import { importLibrary } from '../planner/index.js';
import type { PlanObserver } from '../services/engine/index.js';
import { InlinePlanner, type InlineOptions, PlannerPool } from '../pool/index.js';
import { ConfigError } from '../core/errors.js';
import { loggingInterceptor } from '../transport/interceptors.js';
import { lenientService } from '../transport/lenient-service.js';
import { guardServices } from '../transport/guarded-services.js';
import { addShapeService } from './shape-service.js';
import { addContextService } from './context-service.js';
import type { ContextLimits } from '../services/context/index.js';
import { createLogger } from '../core/logger.js';
import { addReflection } from '../transport/reflection.js';
import { ServerMetrics } from '../services/monitor/index.js';
import { metricsInterceptor } from '../transport/metrics-interceptor.js';
import { startHttpFront, type HttpFront, type HttpRoute } from '../transport/http/http-front.js';
import { JsonGateway } from '../transport/http/json-gateway.js';
import { rateLimitInterceptor, type RateLimits } from '../transport/rate-limit-interceptor.js';
import { requestIdInterceptor } from '../transport/request-id.js';

/** The planner service's full name (health reports it). */
export const PLANNER_SERVICE_NAME = 'aria.planner.v1.PlannerService';

/** Server settings; every field has a default. */
export interface ServerOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 50051; 0 picks a free port. */
  port?: number;
  /** Where registered domains are kept (default `.aria-data`); null keeps them in memory only. */
  dataDir?: string | null;
  /** Planner worker threads (default: the CPU count). */
  workers?: number;
  /** The planner library module (default: the real one). */
  libraryUrl?: string;
  logger?: Logger;
  /**
   * Small problems planned on the main thread before the pool is asked
   * (inline-planner.ts); false plans every call on the pool. Default: on
   * with the real library, off with a stand-in `libraryUrl`.
   */
  inline?: InlineOptions | false;
  /** Agent contexts' limits (services/context); every field has a default. */
  contexts?: ContextLimits;
  /** Largest request or response (default 4 MiB); larger ones fail with RESOURCE_EXHAUSTED. */
  maxMessageBytes?: number;
  /** Problems of one PlanStream planned at once (default: 4 per worker). */
  streamWindow?: number;
  /** How long a cancelled call may keep its worker before the worker is replaced (default 2000 ms). */
  killGraceMs?: number;
  /** Where registered domains are kept; overrides `dataDir` (a database-backed store, say). */
  store?: DomainStore;
  /** Told about each planning call's outcome (the foundation records plan history with it). */
  onPlanned?: PlanObserver;
  /** More server interceptors (authentication, say), run after the metrics, request-id, logging and rate-limit ones. */
  interceptors?: ServerInterceptor[];
  /** How the port is bound: TLS or mTLS (tls-credentials.ts); default clear text. */
  credentials?: ServerCredentials;
  /**
   * The HTTP port beside the gRPC one (`/healthz`, `/metrics`): its host
   * (default: the gRPC host) and port (0: any free one), and more routes
   * (the chunk store). Default: none.
   */
  http?: { host?: string; port: number; routes?: readonly HttpRoute[] };
  /** Calls per second per token and per client address (0: no limit); default none. */
  rateLimits?: RateLimits;
  /** Adds more services to the server before it binds. */
  addServices?: (server: Server, context: ServicesContext) => void | Promise<void>;
}

/** What addServices gets: the server's parts, and a way to report a service's health. */
export interface ServicesContext {
  registry: DomainRegistry;
  pool: PlannerPool;
  log: Logger;
  shutdown: AbortSignal;
  metrics: ServerMetrics;
  /** Reports service `name` (its full name) SERVING or NOT_SERVING, as health and /healthz show it; ignored once the server stops. */
  setServing(name: string, serving: boolean): void;
}

/** A running server. */
export interface AriaServer {
  readonly host: string;
  /** The bound port (the real one when 0 was asked). */
  readonly port: number;
  /** host:port, as clients dial it. */
  readonly address: string;
  readonly pool: PlannerPool;
  readonly registry: DomainRegistry;
  readonly log: Logger;
  /** The server's Prometheus figures (served at `/metrics` when the HTTP port is on). */
  readonly metrics: ServerMetrics;
  /** The HTTP port, when one was asked for. */
  readonly http?: HttpFront;
  /**
   * Stops taking calls, waits up to `drainMs` for those in flight, aborts
   * the rest (UNAVAILABLE), then stops the workers.
   */
  shutdown(drainMs?: number): Promise<void>;
}

/** Starts a server. */
export async function startServer(options: ServerOptions = {}): Promise<AriaServer> {
  const log = options.logger ?? createLogger();
  const host = options.host ?? '127.0.0.1';
  const library = await importLibrary(options.libraryUrl);
  const dataDir = options.dataDir === undefined ? '.aria-data' : options.dataDir;
  const store = options.store ?? (dataDir === null ? new MemoryDomainStore() : new FileDomainStore(dataDir));
  const pool = new PlannerPool({
    size: options.workers,
    libraryUrl: options.libraryUrl,
    killGraceMs: options.killGraceMs,
    logCrashes: log.level !== 'silent',
    onWorkerError: (err) => log.error({ err }, 'planner worker failed between calls'),
  });
  let registry: DomainRegistry;
  try {
    // Domains are compiled on the pool's workers: a large one takes seconds, which on the
    // event loop would stall every call, health checks included.
    registry = await DomainRegistry.open(library, store, log, {
      load: (source, signal) => pool.load('text' in source ? source : { domainJson: JSON.stringify(source.domain) }, signal),
    });
  } catch (err) {
    await pool.close();
    throw err;
  }
  const inlineOptions = options.inline ?? (options.libraryUrl === undefined ? {} : false);
  const inline = inlineOptions === false ? undefined : new InlinePlanner(library, inlineOptions);
  const shutdownController = new AbortController();
  // Every in-flight call listens to it; the default cap of 10 would warn under load.
  setMaxListeners(0, shutdownController.signal);
  const maxMessageBytes = options.maxMessageBytes ?? 4 * 1024 * 1024;
  const metrics = new ServerMetrics();
  metrics.watch({
    pool: () => ({ workers: pool.size, queued: pool.queued, utilization: pool.utilization }),
    inline: inline && (() => inline.counts),
  });
  // Full method paths of the services added: other paths are counted under one label.
  const paths = new Set<string>();
  const server = new Server({
    'grpc.max_receive_message_length': maxMessageBytes,
    'grpc.max_send_message_length': maxMessageBytes,
    // The first interceptor wraps the call innermost: metrics, the request id and logging see every
    // status, the refusals of the rate limit and of authentication too. The rate limit runs before
    // authentication does any work for a caller over its limit.
    interceptors: [
      metricsInterceptor(metrics, (path) => paths.has(path)),
      requestIdInterceptor(),
      // Logging inside the refusals too: a call the rate limit or the auth interceptor ends is logged with its id.
      loggingInterceptor(log),
      ...(options.rateLimits ? [rateLimitInterceptor(options.rateLimits, log)].filter((i) => i !== undefined) : []),
      ...(options.interceptors ?? []),
    ],
  });
  const plannerService = new PlannerService(registry, pool, inline);
  const handlers = plannerServiceHandlers({
    service: plannerService,
    log,
    shutdown: shutdownController.signal,
    streamWindow: options.streamWindow ?? pool.size * 4,
    observe: planObserver(metrics, options.onPlanned),
  });
  const health = new HealthImplementation({ '': 'SERVING' });
  // Every service added from here on reports SERVING under its own name, and answers garbage with INVALID_ARGUMENT.
  const served: string[] = [];
  const statuses = new Map<string, 'SERVING' | 'NOT_SERVING'>();
  /** Set when shutdown begins: a backend coming back must not mark a stopping service SERVING. */
  let closing = false;
  const setStatus = (name: string, st: 'SERVING' | 'NOT_SERVING') => {
    statuses.set(name, st);
    health.setStatus(name, st);
  };
  guardServices(server, (name, methodPaths) => {
    served.push(name);
    for (const p of methodPaths) paths.add(p);
    setStatus(name, 'SERVING');
  });
  // Plan requests over DEFER_BYTES keep their state and todo as bytes, decoded on the worker.
  const plannerDefinition = { ...PlannerServiceService, plan: { ...PlannerServiceService.plan, requestDeserialize: decodePlanRequestBytes } };
  server.addService(lenientService(plannerDefinition, 'aria.planner.v1'), handlers);
  addShapeService(server, { log, shutdown: shutdownController.signal });
  const contexts = addContextService(server, { log, shutdown: shutdownController.signal }, plannerService, options.contexts);
  health.addToServer(server);
  addReflection(server);
  try {
    await options.addServices?.(server, {
      registry, pool, log, shutdown: shutdownController.signal, metrics,
      setServing: (name, serving) => {
        if (closing || !statuses.has(name) || (statuses.get(name) === 'SERVING') === serving) return;
        log.warn({ service: name, serving }, serving ? 'service serving again' : 'service not serving: a backend it needs is down');
        setStatus(name, serving ? 'SERVING' : 'NOT_SERVING');
      },
    });
  } catch (err) {
    await pool.close();
    throw err;
  }

  const target = `${host.includes(':') ? `[${host}]` : host}:${options.port ?? 50051}`;
  let port: number;
  try {
    port = await new Promise<number>((resolve, reject) => {
      server.bindAsync(target, options.credentials ?? ServerCredentials.createInsecure(), (err, bound) => (err ? reject(err) : resolve(bound)));
    });
  } catch (err) {
    await pool.close();
    // A busy port or an address this machine does not have: the operator's to fix, not a crash.
    throw new ConfigError(`cannot listen on ${target}: ${oneLine((err as Error).message)}`, { cause: err });
  }
  const address = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  let http: HttpFront | undefined;
  if (options.http) {
    try {
      // The JSON API calls this server's own port; over TLS it would need client credentials of its own.
      const loopback = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
      const gateway = options.credentials?._isSecure() ? undefined : new JsonGateway(`${loopback.includes(':') ? `[${loopback}]` : loopback}:${port}`, maxMessageBytes);
      http = await startHttpFront({
        host: options.http.host ?? host, port: options.http.port, metrics, log, gateway, routes: options.http.routes,
        gatewayOff: 'the JSON API is off on a server with TLS (not built yet): call the gRPC port',
        health: () => ({ serving: [...statuses.values()].every((s) => s === 'SERVING'), services: Object.fromEntries(statuses) }),
      });
    } catch (err) {
      server.forceShutdown();
      await pool.close();
      throw err;
    }
  }
  log.info({ address, http: http?.address, workers: pool.size, dataDir, domains: registry.list().length }, 'aria serving');

  let stopping: Promise<void> | undefined;
  const shutdown = (drainMs = 10_000): Promise<void> => {
    stopping ??= (async () => {
      closing = true;
      health.setStatus('', 'NOT_SERVING');
      for (const name of served) setStatus(name, 'NOT_SERVING');
      const drained = new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
      const timer = setTimeout(() => {
        log.warn({ drainMs }, 'calls still running after the drain time; aborting them');
        shutdownController.abort();
        // Aborted calls answer at once; this only catches a call that ignores its signal.
        setTimeout(() => server.forceShutdown(), 1000).unref();
      }, drainMs);
      await drained;
      clearTimeout(timer);
      await http?.close();
      contexts.closeAll();
      await pool.close();
      inline?.close();
      log.info({ address }, 'aria stopped');
    })();
    return stopping;
  };
  return { host, port, address, pool, registry, log, metrics, http, shutdown };
}

/** Counts each planning call, then tells the caller's own observer (plan history), if any. */
function planObserver(metrics: ServerMetrics, other: PlanObserver | undefined): PlanObserver {
  return other ? (o) => { metrics.plan(o); other(o); } : (o) => metrics.plan(o);
}

/** grpc-js's bind message without its preamble, on one line. */
function oneLine(message: string): string {
  const m = /errors: \[(.*)\]/s.exec(message);
  return (m ? m[1] : message).replace(/\s+/g, ' ').trim();
}
