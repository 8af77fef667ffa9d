/**
 * The JSON API of the HTTP port: `POST /v1/<service>/<Method>` with a JSON
 * body calls that gRPC method on the server's own port and answers JSON.
 * The call goes through the same interceptors and handlers as any gRPC
 * call (auth, roles, status mapping, metrics), so no handler logic is
 * written twice. Bodies are read into the message type from the .proto
 * files (protobufjs, lowerCamelCase field names, enums by name, bytes as
 * base64, int64 as numbers); a field the type does not have is refused.
 * Server-streaming methods answer one JSON object per line (NDJSON);
 * client-streaming and bidirectional ones are not offered here.
 */
import { Client, credentials, status, type Metadata, type ServiceError } from '@grpc/grpc-js';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import protobuf from 'protobufjs';
import { boundText } from '../../core/bounded-text.js';
import { PLANNER_PROTO, SERVICE_PROTOS, protoRoot } from '../proto-files.js';
import { RETRY_AFTER_TRAILER } from '../status-mapping.js';
import { REQUEST_ID, requestIdOf } from '../request-id.js';
import { httpStatusOf } from './http-status.js';
import { callerMetadata, deadlineIn, readBody } from './loopback.js';
import { serveGrpcWeb } from './grpc-web.js';

interface MethodInfo {
  path: string;
  request: protobuf.Type;
  response: protobuf.Type;
  serverStream: boolean;
  clientStream: boolean;
}

const TO_JSON: protobuf.IConversionOptions = { longs: Number, enums: String, bytes: String, defaults: true, arrays: true, json: true };

/** Every method of the project's services, by `<service>/<Method>`. */
function loadMethods(): Map<string, MethodInfo> {
  const base = protoRoot();
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => (target.startsWith('google/') || target.startsWith('/') ? target : join(base, target));
  root.loadSync([PLANNER_PROTO, ...SERVICE_PROTOS].map((p) => join(base, p)), { keepCase: false });
  root.resolveAll();
  const out = new Map<string, MethodInfo>();
  const walk = (ns: protobuf.NamespaceBase): void => {
    for (const obj of ns.nestedArray) {
      if (obj instanceof protobuf.Service) {
        const service = obj.fullName.slice(1);
        for (const m of obj.methodsArray) {
          out.set(`${service}/${m.name}`, {
            path: `/${service}/${m.name}`, request: m.resolvedRequestType!, response: m.resolvedResponseType!,
            serverStream: !!m.responseStream, clientStream: !!m.requestStream,
          });
        }
      } else if (obj instanceof protobuf.Namespace) walk(obj);
    }
  };
  walk(root);
  return out;
}

/** A request the gateway refuses before any call: its HTTP status and message. */
class GatewayRefusal extends Error {
  constructor(readonly httpStatus: number, readonly code: string, message: string) {
    super(message);
  }
}

/** The JSON gateway over one server's gRPC port. */
export class JsonGateway {
  private readonly methods = loadMethods();
  private readonly client: Client;

  /** `target`: the server's own host:port (clear text); `maxBodyBytes`: the largest body read. */
  constructor(target: string, private readonly maxBodyBytes: number) {
    this.client = new Client(target, credentials.createInsecure(), {
      'grpc.max_receive_message_length': maxBodyBytes,
      'grpc.max_send_message_length': maxBodyBytes,
    });
  }

  /** The methods offered, as `<service>/<Method>`. */
  get routes(): string[] {
    return [...this.methods.keys()];
  }

  /** Answers `POST /v1/<service>/<Method>`; `route` is the part after `/v1/`. */
  async handle(req: IncomingMessage, res: ServerResponse, route: string): Promise<void> {
    let method: MethodInfo;
    let message: Uint8Array;
    try {
      method = this.method(route);
      if (req.method !== 'POST') {
        res.setHeader('Allow', 'POST');
        throw new GatewayRefusal(405, 'UNIMPLEMENTED', 'use POST with a JSON body');
      }
      const body = await readBody(req, this.maxBodyBytes, () => new GatewayRefusal(413, 'RESOURCE_EXHAUSTED', `body: larger than ${this.maxBodyBytes} bytes`));
      message = encode(method.request, body.toString('utf8'));
    } catch (err) {
      if (err instanceof GatewayRefusal) return sendJson(res, err.httpStatus, { code: err.code, message: err.message });
      throw err;
    }
    const md = callerMetadata(req);
    const deadline = deadlineOf(req.headers['x-aria-timeout-ms']);
    const serialize = (b: Uint8Array): Buffer => Buffer.from(b);
    const deserialize = (b: Buffer): Uint8Array => b;
    if (method.serverStream) return this.stream(method, message, md, deadline, req, res, serialize, deserialize);
    await new Promise<void>((done) => {
      const call = this.client.makeUnaryRequest(method.path, serialize, deserialize, message, md, { deadline }, (err, reply) => {
        try {
          if (err) {
            if (err.metadata) passRequestId(err.metadata, res);
            sendError(res, err);
          } else sendJson(res, 200, method.response.toObject(method.response.decode(reply!), TO_JSON));
        } catch {
          // Nothing thrown here may reach the event loop: the client gets a cut answer instead.
          res.destroy();
        }
        done();
      });
      call.on('metadata', (headers: Metadata) => passRequestId(headers, res));
      res.on('close', () => { if (!res.writableFinished) call.cancel(); });
    });
  }

  /**
   * Answers a gRPC-Web call (`POST /<service>/<Method>`, grpc-web.ts) of a
   * method this gateway knows; false when `path` names none.
   */
  grpcWeb(req: IncomingMessage, res: ServerResponse, path: string): boolean {
    const m = this.methods.get(path.slice(1));
    if (!m) return false;
    void serveGrpcWeb(this.client, { path: m.path, serverStream: m.serverStream, clientStream: m.clientStream }, req, res, this.maxBodyBytes);
    return true;
  }

  /** Stops the gateway's channel. */
  close(): void {
    this.client.close();
  }

  private method(route: string): MethodInfo {
    const m = this.methods.get(route);
    if (!m) throw new GatewayRefusal(404, 'NOT_FOUND', `no method ${JSON.stringify(boundText(route, 200))}: POST /v1/<service>/<Method>, such as /v1/aria.planner.v1.PlannerService/Plan`);
    if (m.clientStream) throw new GatewayRefusal(501, 'UNIMPLEMENTED', `${route} streams its requests: call it over gRPC`);
    return m;
  }

  private stream(method: MethodInfo, message: Uint8Array, md: Metadata, deadline: Date | undefined, req: IncomingMessage, res: ServerResponse,
    serialize: (b: Uint8Array) => Buffer, deserialize: (b: Buffer) => Uint8Array): Promise<void> {
    return new Promise<void>((done) => {
      const call = this.client.makeServerStreamRequest(method.path, serialize, deserialize, message, md, { deadline });
      // grpc-js may emit 'end' after 'error': the first of them settles the answer, the other is ignored.
      let settled = false;
      const settle = (finish: () => void): void => {
        if (settled) return;
        settled = true;
        try {
          finish();
        } catch {
          res.destroy();
        }
        done();
      };
      const start = (): void => {
        if (!res.headersSent) res.writeHead(200, { 'Content-Type': 'application/x-ndjson', 'Cache-Control': 'no-store' });
      };
      call.on('metadata', (headers: Metadata) => passRequestId(headers, res));
      call.on('data', (reply: Uint8Array) => {
        if (settled) return;
        start();
        if (!res.write(`${JSON.stringify(method.response.toObject(method.response.decode(reply), TO_JSON))}\n`)) {
          call.pause();
          res.once('drain', () => call.resume());
        }
      });
      call.on('error', (err: ServiceError) => settle(() => {
        if (err.metadata) passRequestId(err.metadata, res);
        // Before any message the status is the HTTP status; after, the last line says it.
        if (!res.headersSent) sendError(res, err);
        else res.end(`${JSON.stringify({ error: { code: status[err.code], message: err.details } })}\n`);
      }));
      call.on('end', () => settle(() => {
        start();
        res.end();
      }));
      res.on('close', () => { if (!res.writableFinished) call.cancel(); });
      req.on('aborted', () => call.cancel());
    });
  }
}

/** The body as JSON, then as the message type's bytes; unknown fields and bad values are 400. */
function encode(type: protobuf.Type, body: string): Uint8Array {
  let json: unknown;
  try {
    json = body.trim() === '' ? {} : JSON.parse(body);
  } catch (err) {
    throw new GatewayRefusal(400, 'INVALID_ARGUMENT', `body: not JSON (${(err as Error).message})`);
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new GatewayRefusal(400, 'INVALID_ARGUMENT', `body: a JSON object of ${type.name}'s fields`);
  checkFields(type, json as Record<string, unknown>, 'body');
  try {
    return type.encode(type.fromObject(json as Record<string, unknown>)).finish();
  } catch (err) {
    throw new GatewayRefusal(400, 'INVALID_ARGUMENT', `body: ${boundText((err as Error).message, 300)}`);
  }
}

/** Refuses a field the message type does not have (a typo would otherwise be ignored). */
function checkFields(type: protobuf.Type, obj: Record<string, unknown>, at: string): void {
  for (const [key, value] of Object.entries(obj)) {
    const field = type.fields[key] as protobuf.Field | undefined;
    if (!field || !Object.hasOwn(type.fields, key)) {
      throw new GatewayRefusal(400, 'INVALID_ARGUMENT', `${at}.${boundText(key, 100)}: ${type.name} has no such field (its fields: ${Object.keys(type.fields).join(', ')})`);
    }
    const sub = field.resolvedType;
    if (!(sub instanceof protobuf.Type) || value === null || typeof value !== 'object') continue;
    if (field.map) continue;
    if (Array.isArray(value)) value.forEach((v, i) => { if (v && typeof v === 'object' && !Array.isArray(v)) checkFields(sub, v as Record<string, unknown>, `${at}.${key}[${i}]`); });
    else checkFields(sub, value as Record<string, unknown>, `${at}.${key}`);
  }
}

/** The call's request id as an HTTP header, while headers can still be set. */
function passRequestId(md: Metadata, res: ServerResponse): void {
  const id = requestIdOf(md);
  if (id && !res.headersSent) res.setHeader(REQUEST_ID, id);
}

function deadlineOf(header: string | string[] | undefined): Date | undefined {
  return header ? deadlineIn(Number(Array.isArray(header) ? header[0] : header)) : undefined;
}

function sendError(res: ServerResponse, err: ServiceError): void {
  const retry = err.metadata?.get(RETRY_AFTER_TRAILER)[0];
  if (retry !== undefined) res.setHeader('Retry-After', String(Math.max(1, Math.ceil(Number(retry) / 1000))));
  sendJson(res, httpStatusOf(err.code), { code: status[err.code] ?? String(err.code), message: err.details });
}

function sendJson(res: ServerResponse, code: number, body: unknown): void {
  if (res.headersSent) return void res.end();
  const text = `${JSON.stringify(body)}\n`;
  res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-store' });
  res.end(text);
}
