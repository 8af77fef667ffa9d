/**
 * The StorageService gRPC adapter: decodes requests, calls the service
 * (services/storage), encodes responses, through handler.ts's wrappers. The
 * streams are the only work here: PutAsset's header/data/end framing,
 * GetAsset's pieces with backpressure, PutChunks' messages.
 */
import { once } from 'node:events';
import type { ServerWritableStream } from '@grpc/grpc-js';
import { BinaryReader } from '@bufbuild/protobuf/wire';
import {
  GetAssetResponse, PutAssetRequest, StorageServiceService,
  type StorageServiceServer, type AssetVersion as ProtoAssetVersion, type GetAssetRequest, type PutAssetResponse,
  type PutChunksRequest, type PutChunksResponse,
} from '../../../../gen/ts/aria/storage/v1/storage.js';
import { CallAbortedError, InvalidArgumentError } from '../../core/errors.js';
import { checkAssetName, headroomOf, type AssetVersion, type StorageService } from '../../services/storage/index.js';
import { clientStream, messages, serverStream, unary, type HandlerContext, type ServerContext } from '../handler.js';

/** The most bytes of asset data one GetAsset message carries (a chunk can be up to 128 MiB; messages are 4 MiB by default). */
const GET_PIECE_MAX = 1 << 20;

/** The handlers of aria.storage.v1.StorageService. */
export function storageServiceHandlers(service: StorageService, ctx: ServerContext): StorageServiceServer {
  return {
    putAsset: clientStream<PutAssetRequest, PutAssetResponse>(ctx, 'PutAsset', (call, hctx) => putAsset(service, messages(call, hctx.signal), hctx)),
    getAsset: serverStream<GetAssetRequest, GetAssetResponse>(ctx, 'GetAsset', (req, hctx, call) => getAsset(service, req, hctx, call)),
    statAsset: unary(ctx, 'StatAsset', async (req) => ({ asset: proto(await service.stat(req.name, req.version)) })),
    listAssetVersions: unary(ctx, 'ListAssetVersions', async (req) => ({ versions: (await service.versions(req.name)).map(proto) })),
    listAssets: unary(ctx, 'ListAssets', async (req) => {
      const page = await service.list(req.prefix, req.pageSize, req.pageToken);
      return { assets: page.assets.map(proto), nextPageToken: page.nextPageToken };
    }),
    deleteAssetVersion: unary(ctx, 'DeleteAssetVersion', async (req) => ({ deleted: proto(await service.delete(req.name, req.version)) })),
    missingChunks: unary(ctx, 'MissingChunks', async (req, hctx) => ({ chunkIds: (await service.missingChunks(req.chunkIds, hctx.signal)).map((id) => Buffer.from(id)) })),
    putChunks: clientStream<PutChunksRequest, PutChunksResponse>(ctx, 'PutChunks', async (call, hctx) => {
      const chunks = async function* () {
        for await (const m of messages(call, hctx.signal)) yield { id: m.chunkId, data: m.data };
      };
      return service.putChunks(chunks(), hctx.signal);
    }),
    putAssetIndex: unary(ctx, 'PutAssetIndex', async (req, hctx) => ({ asset: proto(await service.putIndex(req.name, req.index, owner(hctx), hctx.signal)) })),
    collectGarbage: unary(ctx, 'CollectGarbage', async (req, hctx) => {
      const graceMs = req.grace?.$case === 'graceSeconds' ? req.grace.graceSeconds * 1000 : undefined;
      const r = await service.collectGarbage({ ...(graceMs === undefined ? {} : { graceMs }), dryRun: req.dryRun }, hctx.signal);
      return {
        chunksExamined: r.examined, chunksReferenced: r.referenced, chunksKept: r.kept, chunksRemoved: r.removed, bytesRemoved: r.bytesRemoved,
        temporariesRemoved: r.temporariesRemoved,
      };
    }),
  };
}

/** The name the caller is stored under as a version's owner. */
function owner(ctx: HandlerContext): string {
  return ctx.principal?.username ?? '';
}

/** Header, data..., end: only a stream that says it is complete becomes a version. */
async function putAsset(service: StorageService, stream: AsyncGenerator<PutAssetRequest>, ctx: HandlerContext): Promise<PutAssetResponse> {
  const first = await stream.next();
  if (first.done) throw new CallAbortedError('cancelled', 'the put ended before its header: nothing stored');
  const head = first.value.part;
  if (head?.$case !== 'header') throw new InvalidArgumentError('part', 'the first message must be the header naming the asset');
  const name = checkAssetName(head.header.name);
  let sent = 0;
  const data = async function* (): AsyncGenerator<Uint8Array> {
    for (;;) {
      const next = await stream.next();
      if (next.done) throw new CallAbortedError('cancelled', 'the put ended without its end message: nothing stored');
      const part = next.value.part;
      if (part?.$case === 'data') {
        sent += part.data.length;
        if (part.data.length > 0) yield part.data;
      } else if (part?.$case === 'end') {
        if (part.end.size !== sent) throw new InvalidArgumentError('end.size', `${part.end.size} bytes announced, ${sent} sent: nothing stored`);
        if (!(await stream.next()).done) throw new InvalidArgumentError('part', 'a message after the end');
        return;
      } else {
        throw new InvalidArgumentError('part', part ? 'a second header' : 'a message with no part');
      }
    }
  };
  const r = await service.put(name, data(), owner(ctx), ctx.signal);
  return { asset: proto(r.asset), newChunks: r.newChunks, newBytes: r.newBytes, contentDigest: r.contentDigest };
}

/** Pieces of at most GET_PIECE_MAX, the metadata in the first message, written with backpressure. */
async function getAsset(service: StorageService, req: GetAssetRequest, ctx: HandlerContext, call: ServerWritableStream<GetAssetRequest, GetAssetResponse>): Promise<void> {
  const { asset, pieces } = await service.get(req.name, req.version, req.offset, ctx.signal);
  let meta: ProtoAssetVersion | undefined = proto(asset);
  const send = async (offset: number, data: Uint8Array) => {
    const ok = call.write({ asset: meta, offset, data: Buffer.from(data.buffer, data.byteOffset, data.byteLength) });
    meta = undefined;
    if (!ok) {
      try {
        await once(call, 'drain', { signal: ctx.signal });
      } catch (err) {
        // events.once rejects with a bare AbortError: the call's own reason says why (cancelled, deadline, shutdown).
        ctx.signal.throwIfAborted();
        throw err;
      }
    }
  };
  // Chunks are gathered into messages of up to GET_PIECE_MAX: fewer, larger messages cost grpc-js less per byte;
  // pieces from elsewhere than one buffer are still copied together.
  let batch: Uint8Array[] = [];
  let batchBytes = 0;
  let batchOffset = req.offset;
  const flush = async () => {
    if (batchBytes === 0) return;
    await send(batchOffset, batch.length === 1 ? batch[0]! : Buffer.concat(batch, batchBytes));
    batchOffset += batchBytes;
    batch = [];
    batchBytes = 0;
  };
  for await (const piece of pieces) {
    for (let at = 0; at < piece.data.length; at += GET_PIECE_MAX) {
      const part = piece.data.subarray(at, at + GET_PIECE_MAX);
      // The service's pieces are views of one buffer per run of chunks: neighbours merge into one view, and a
      // message ends where a run does rather than copy two runs together.
      const last = batch.at(-1);
      const contiguous = last !== undefined && last.buffer === part.buffer && last.byteOffset + last.byteLength === part.byteOffset;
      if (batchBytes + part.length > GET_PIECE_MAX || (last && !contiguous)) await flush();
      if (contiguous && batch.length > 0) batch[batch.length - 1] = new Uint8Array(last.buffer, last.byteOffset, last.byteLength + part.byteLength);
      else batch.push(part);
      batchBytes += part.length;
    }
  }
  await flush();
  // An empty asset, or a get from its end: one message, so the client learns the metadata.
  if (meta) await send(req.offset, new Uint8Array(0));
}

/**
 * StorageService's definition with a GetAsset response encoder that copies
 * the data once (ts-proto's writer copies it twice: into its list of
 * pieces, then into the finished buffer). The bytes are the same.
 */
export const storageServiceDefinition: typeof StorageServiceService = {
  ...StorageServiceService,
  getAsset: { ...StorageServiceService.getAsset, responseSerialize: encodeGetAssetResponse },
  putAsset: { ...StorageServiceService.putAsset, requestDeserialize: decodePutAssetRequest },
};

/**
 * PutAssetRequest from the wire with a data part left a view of the received
 * message (ts-proto's decoder copies it); any other message by ts-proto.
 */
export function decodePutAssetRequest(bytes: Buffer): PutAssetRequest {
  const reader = new BinaryReader(bytes);
  if (bytes.length > 0 && reader.uint32() === 18) {
    const data = reader.bytes();
    if (reader.pos === reader.len) return { part: { $case: 'data', data: Buffer.from(data.buffer, data.byteOffset, data.byteLength) } };
  }
  return PutAssetRequest.decode(bytes);
}

/**
 * GetAssetResponse's wire form: the small fields by ts-proto, then `data`
 * (field 3). When the data starts a run the service read (headroomOf), the
 * header goes into the free bytes before it and nothing is copied; else
 * header and data are copied into one buffer.
 */
export function encodeGetAssetResponse(m: GetAssetResponse): Buffer {
  const n = m.data.length;
  const small = m.asset === undefined && n > 0;
  const head = small ? undefined : GetAssetResponse.encode({ asset: m.asset, offset: m.offset, data: EMPTY }).finish();
  if (n === 0) return Buffer.from(head!.buffer, head!.byteOffset, head!.byteLength);
  const header: number[] = [];
  if (small) {
    if (m.offset !== 0) { header.push(2 << 3); varint(header, m.offset); } // field 2, varint
  }
  header.push((3 << 3) | 2); // field 3, length-delimited
  varint(header, n);
  if (small && header.length <= headroomOf(m.data)) {
    const start = m.data.byteOffset - header.length;
    const out = Buffer.from(m.data.buffer, start, header.length + n);
    for (let i = 0; i < header.length; i++) out[i] = header[i]!;
    return out;
  }
  const before = head?.length ?? 0;
  const out = Buffer.allocUnsafe(before + header.length + n);
  if (head) out.set(head, 0);
  for (let i = 0; i < header.length; i++) out[before + i] = header[i]!;
  out.set(m.data, before + header.length);
  return out;
}

/** Appends a protobuf varint (a safe integer, not negative). */
function varint(out: number[], value: number): void {
  let v = value;
  while (v > 0x7f) { out.push((v % 128) | 0x80); v = Math.floor(v / 128); }
  out.push(v);
}

const EMPTY = Buffer.alloc(0);

/** A version as the proto has it. */
export function proto(v: AssetVersion): ProtoAssetVersion {
  return { name: v.name, version: v.version, size: v.size, chunkCount: v.chunkCount, indexDigest: v.indexDigest, owner: v.owner, createdUnixMs: v.createdUnixMs };
}
