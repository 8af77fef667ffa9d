/**
 * The server's HTTP port, beside the gRPC one: `/healthz` (every service's
 * serving status, 200 when all serve, 503 otherwise), `/metrics` (the
 * Prometheus exposition), `/v1/<service>/<Method>` (the JSON API,
 * json-gateway.ts), `/<service>/<Method>` in gRPC-Web (grpc-web.ts) and the web page at `/` with its files under `/ui/`
 * (web-files.ts). It reads what the gRPC side keeps and holds no state of
 * its own; answers are bounded.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { ConfigError } from '../../core/errors.js';
import type { ServerMetrics } from '../../services/monitor/index.js';
import type { JsonGateway } from './json-gateway.js';
import { isGrpcWeb } from './grpc-web.js';
import { defaultWebDir, isWebPath, serveWebFile } from './web-files.js';

/** What `/healthz` reports: the server as a whole, then each service by its full name. */
export interface HealthReport {
  serving: boolean;
  services: Record<string, 'SERVING' | 'NOT_SERVING'>;
}

/** More paths, under a prefix of their own, served GET/HEAD only (the chunk store: storage-route.ts). */
export interface HttpRoute {
  /** Paths that start with this go to `handle` ("/storage/store/"). */
  readonly prefix: string;
  /** Answers a GET or HEAD of `path` (the URL's path, without the query). */
  handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<void>;
}

/** Settings of the HTTP port. */
export interface HttpFrontOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  metrics: ServerMetrics;
  health: () => HealthReport;
  log: Logger;
  /** The JSON API; absent, `/v1/` answers 501 with `gatewayOff` as the reason. */
  gateway?: JsonGateway;
  gatewayOff?: string;
  /** More routes; the built-in ones win. */
  routes?: readonly HttpRoute[];
  /** The built web page's folder (default: build/web of this repository). */
  webDir?: string;
}

/** A listening HTTP port. */
export interface HttpFront {
  /** host:port, as a client dials it. */
  readonly address: string;
  readonly port: number;
  /** Stops listening and drops idle and open connections. */
  close(): Promise<void>;
}

const ROUTES = new Set(['/healthz', '/metrics']);

/** Starts the HTTP port; a busy port or unknown address is a ConfigError. */
export async function startHttpFront(options: HttpFrontOptions): Promise<HttpFront> {
  const webDir = options.webDir ?? defaultWebDir();
  const server = createServer((req, res) => {
    handle(req, res, options, webDir).catch((err: unknown) => {
      options.log.error({ err, path: req.url?.slice(0, 200) }, 'HTTP request failed');
      if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', 'internal error\n');
      else res.destroy();
    });
  });
  // Slow or idle clients must not hold sockets: these bound each request's life.
  server.headersTimeout = 10_000;
  server.requestTimeout = 15_000;
  server.keepAliveTimeout = 5_000;
  const host = options.host;
  try {
    await listen(server, host, options.port);
  } catch (err) {
    throw new ConfigError(`cannot listen for HTTP on ${bracket(host)}:${options.port}: ${(err as Error).message}`, { cause: err });
  }
  const port = (server.address() as AddressInfo).port;
  return {
    address: `${bracket(host)}:${port}`,
    port,
    close: () => new Promise<void>((done) => {
      options.gateway?.close();
      server.close(() => done());
      server.closeAllConnections();
    }),
  };
}

async function handle(req: IncomingMessage, res: ServerResponse, options: HttpFrontOptions, webDir: string): Promise<void> {
  const path = (req.url ?? '/').split('?')[0];
  if (path.startsWith('/v1/')) {
    if (options.gateway) return options.gateway.handle(req, res, decodeURIComponent(path.slice(4)));
    req.resume();
    return send(res, 501, 'application/json', `${JSON.stringify({ code: 'UNIMPLEMENTED', message: options.gatewayOff ?? 'no JSON API on this server' })}\n`);
  }
  if (isGrpcWeb(req) && options.gateway?.grpcWeb(req, res, path)) return;
  // The body is never read: drain it so the connection can be reused.
  req.resume();
  const web = isWebPath(path);
  const route = ROUTES.has(path) || web ? undefined : options.routes?.find((r) => path.startsWith(r.prefix));
  if (!ROUTES.has(path) && !route && !web) return send(res, 404, 'application/json', '{"error":"not found: the routes are / (the web page), /healthz, /metrics, POST /v1/<service>/<Method> and /storage/store/"}\n');
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD');
    return send(res, 405, 'application/json', '{"error":"method not allowed: use GET"}\n');
  }
  if (route) return route.handle(req, res, path);
  if (web) return serveWebFile(req, res, path, webDir);
  if (path === '/healthz') {
    const report = options.health();
    const body = `${JSON.stringify({ status: report.serving ? 'SERVING' : 'NOT_SERVING', services: report.services })}\n`;
    return send(res, report.serving ? 200 : 503, 'application/json', body, req.method === 'HEAD');
  }
  const text = await options.metrics.render();
  send(res, 200, options.metrics.contentType, text, req.method === 'HEAD');
}

function send(res: ServerResponse, code: number, type: string, body: string, headOnly = false): void {
  res.writeHead(code, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body), 'Cache-Control': 'no-store' });
  res.end(headOnly ? undefined : body);
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((done, fail) => {
    server.once('error', fail);
    server.listen({ host, port, exclusive: true }, () => {
      server.off('error', fail);
      done();
    });
  });
}

const bracket = (host: string): string => (host.includes(':') ? `[${host}]` : host);
