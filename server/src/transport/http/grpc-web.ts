/**
 * gRPC-Web on the HTTP port, so that browsers (and any gRPC-Web or Connect
 * client) call the same methods as native gRPC clients: `POST
 * /<package.Service>/<Method>` with `application/grpc-web[+proto]` or
 * `application/grpc-web-text[+proto]` (base64). The request's one message
 * is passed as bytes to the server's own gRPC port, as the JSON API does
 * (loopback.ts), so auth, roles, limits, status mapping and metrics are
 * exactly gRPC's; the replies come back as gRPC-Web frames followed by a
 * trailer frame with grpc-status and grpc-message. Unary and
 * server-streaming methods; client streams need HTTP/2 and are refused
 * with UNIMPLEMENTED.
 */
import { status, type Client, type Metadata, type ServiceError } from '@grpc/grpc-js';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { boundText } from '../../core/bounded-text.js';
import { callerMetadata, deadlineIn, readBody } from './loopback.js';

/** What serveGrpcWeb needs of a method. */
export interface GrpcWebMethod {
  /** `/<package.Service>/<Method>`. */
  path: string;
  serverStream: boolean;
  clientStream: boolean;
}

/** Frame flags of the gRPC-Web wire format. */
const DATA = 0x00, COMPRESSED = 0x01, TRAILER = 0x80;
/** Metadata never copied into the trailer frame: grpc-js's own, and what the trailer frame states itself. */
const RESERVED = new Set(['grpc-status', 'grpc-message', 'content-type', 'grpc-encoding', 'grpc-accept-encoding', 'user-agent']);

/** Whether req asks for gRPC-Web (by its content type). */
export function isGrpcWeb(req: IncomingMessage): boolean {
  const type = req.headers['content-type'];
  return typeof type === 'string' && type.toLowerCase().startsWith('application/grpc-web');
}

/** A call refused before it reached the server: its gRPC status and message. */
class Refused extends Error {
  constructor(readonly code: status, message: string) { super(message); }
}

/** Serves one gRPC-Web request of `method` through `client` (the server's own port). Never throws. */
export async function serveGrpcWeb(client: Client, method: GrpcWebMethod, req: IncomingMessage, res: ServerResponse, maxBodyBytes: number): Promise<void> {
  const text = (req.headers['content-type'] ?? '').toLowerCase().startsWith('application/grpc-web-text');
  const out = new FrameWriter(res, text);
  try {
    if (req.method !== 'POST') throw new Refused(status.UNIMPLEMENTED, 'gRPC-Web calls are POST');
    if (method.clientStream) {
      req.resume();
      throw new Refused(status.UNIMPLEMENTED, `${method.path.slice(1)} streams its requests: call it over native gRPC (HTTP/2)`);
    }
    const max = text ? Math.ceil(((maxBodyBytes + 5) * 4) / 3) + 4 : maxBodyBytes + 5;
    const body = await readBody(req, max, () => new Refused(status.RESOURCE_EXHAUSTED, `gRPC-Web body: larger than ${max} bytes`))
      .catch((err: unknown) => { throw err instanceof Refused ? err : new Refused(status.CANCELLED, 'the request was cut'); });
    const message = oneMessage(text ? Buffer.from(body.toString('latin1'), 'base64') : body);
    await forward(client, method, message, req, out);
  } catch (err) {
    if (err instanceof Refused) out.finish(err.code, err.message, undefined);
    else out.abort();
  }
}

/** The single data frame of a request body. */
function oneMessage(body: Buffer): Buffer {
  if (body.length < 5) throw new Refused(status.INVALID_ARGUMENT, 'gRPC-Web body: a 5-byte frame header and one message expected');
  const flag = body[0], len = body.readUInt32BE(1);
  if (flag & COMPRESSED) throw new Refused(status.UNIMPLEMENTED, 'gRPC-Web body: compressed messages are not accepted (send grpc-encoding identity)');
  if (flag !== DATA) throw new Refused(status.INVALID_ARGUMENT, `gRPC-Web body: frame flag ${flag}, a data frame (0) expected`);
  if (5 + len !== body.length) throw new Refused(status.INVALID_ARGUMENT, `gRPC-Web body: one message of ${len} bytes announced, ${body.length - 5} sent`);
  return body.subarray(5);
}

/** Makes the call and writes its replies and final status. */
function forward(client: Client, method: GrpcWebMethod, message: Buffer, req: IncomingMessage, out: FrameWriter): Promise<void> {
  const md = callerMetadata(req);
  const deadline = deadlineIn(grpcTimeoutMs(req.headers['grpc-timeout']));
  const serialize = (b: Buffer): Buffer => b;
  const deserialize = (b: Buffer): Buffer => b;
  return new Promise<void>((done) => {
    // grpc-js may emit 'end' after 'error' (and a unary callback after 'status'): the first settles the answer.
    let settled = false;
    const settle = (code: status, details: string, trailers: Metadata | undefined): void => {
      if (settled) return;
      settled = true;
      out.finish(code, details, trailers);
      done();
    };
    const onError = (err: ServiceError): void => settle(err.code ?? status.UNKNOWN, err.details ?? '', err.metadata);
    if (!method.serverStream) {
      // grpc-js calls back before it emits 'status' with the trailers: the reply waits for them.
      let reply: Buffer | undefined;
      const call = client.makeUnaryRequest(method.path, serialize, deserialize, message, md, { deadline }, (err, r) => {
        if (err) onError(err);
        else reply = r;
      });
      call.on('metadata', (h: Metadata) => out.headers(h));
      call.on('status', (s: { code: status; metadata: Metadata }) => {
        if (s.code !== status.OK || reply === undefined) return;
        out.data(reply);
        settle(status.OK, '', s.metadata);
      });
      out.onClose(() => call.cancel());
      return;
    }
    const call = client.makeServerStreamRequest(method.path, serialize, deserialize, message, md, { deadline });
    let trailers: Metadata | undefined;
    call.on('metadata', (h: Metadata) => out.headers(h));
    call.on('data', (reply: Buffer) => {
      if (settled) return;
      if (!out.data(reply)) {
        call.pause();
        out.onDrain(() => call.resume());
      }
    });
    call.on('status', (s: { metadata: Metadata }) => { trailers = s.metadata; });
    call.on('error', onError);
    call.on('end', () => settle(status.OK, '', trailers));
    out.onClose(() => call.cancel());
  });
}

/** `grpc-timeout` (digits and a unit: H M S m u n) in milliseconds; NaN for none or nonsense. */
function grpcTimeoutMs(header: string | string[] | undefined): number {
  const m = typeof header === 'string' ? /^(\d{1,8})([HMSmun])$/.exec(header) : null;
  if (!m) return NaN;
  const unitMs: Record<string, number> = { H: 3_600_000, M: 60_000, S: 1000, m: 1, u: 1e-3, n: 1e-6 };
  return Math.max(1, Number(m[1]) * unitMs[m[2]]);
}

/** Writes the response: headers once, data frames, then the trailer frame. */
class FrameWriter {
  private started = false;
  private ended = false;
  private readonly pending: Metadata[] = [];

  constructor(private readonly res: ServerResponse, private readonly text: boolean) {}

  /** Initial metadata of the call (x-request-id), sent as HTTP headers before the first frame. */
  headers(md: Metadata): void {
    if (this.started) return;
    this.pending.push(md);
  }

  /** One reply; false when the socket wants a pause. */
  data(message: Buffer): boolean {
    if (this.ended) return true;
    this.start();
    return this.write(DATA, message);
  }

  /** The trailer frame with the final status, and the end of the answer. */
  finish(code: status, details: string, trailers: Metadata | undefined): void {
    if (this.ended) return;
    this.start();
    let block = `grpc-status: ${code}\r\ngrpc-message: ${encodeURIComponent(boundText(details, 1024))}\r\n`;
    for (const [key, values] of Object.entries(trailers?.getMap() ?? {})) {
      if (RESERVED.has(key) || !/^[a-z0-9._-]+$/.test(key)) continue;
      const v = Buffer.isBuffer(values) ? values.toString('base64') : String(values);
      // A value with line breaks would forge more trailer lines.
      if (!/[\r\n]/.test(v)) block += `${key}: ${boundText(v, 1024)}\r\n`;
    }
    this.write(TRAILER, Buffer.from(block, 'utf8'));
    this.ended = true;
    this.res.end();
  }

  /** Ends the answer without a status (the client sees a cut stream). */
  abort(): void {
    this.ended = true;
    this.res.destroy();
  }

  onClose(f: () => void): void { this.res.on('close', () => { if (!this.res.writableFinished) f(); }); }
  onDrain(f: () => void): void { this.res.once('drain', f); }

  private start(): void {
    if (this.started) return;
    this.started = true;
    const headers: Record<string, string> = {
      'Content-Type': this.text ? 'application/grpc-web-text+proto' : 'application/grpc-web+proto',
      'Cache-Control': 'no-store',
    };
    for (const md of this.pending) {
      for (const [key, value] of Object.entries(md.getMap())) {
        if (!RESERVED.has(key) && !Buffer.isBuffer(value) && /^[a-z0-9._-]+$/.test(key) && !/[\r\n]/.test(String(value))) headers[key] = boundText(String(value), 1024);
      }
    }
    this.res.writeHead(200, headers);
  }

  private write(flag: number, payload: Buffer): boolean {
    const head = Buffer.allocUnsafe(5);
    head[0] = flag;
    head.writeUInt32BE(payload.length, 1);
    if (this.text) return this.res.write(Buffer.concat([head, payload]).toString('base64'));
    this.res.write(head);
    return this.res.write(payload);
  }
}
