/**
 * Client side of StorageService's streams, for `aria storage` and the
 * tests: a put from any byte stream (header, data in pieces of at most
 * 1 MiB, then the end message that makes it a version), and a get as an
 * async iterable of pieces.
 */
import { once } from 'node:events';
import { makeGenericClientConstructor, type Metadata, type ServiceError } from '@grpc/grpc-js';
import { BinaryReader } from '@bufbuild/protobuf/wire';
import {
  AssetVersion, StorageServiceService, type GetAssetResponse, type PutAssetResponse, type StorageServiceClient,
} from '../../../gen/ts/aria/storage/v1/storage.js';

/** The most bytes one PutAsset data message carries (well under the 4 MiB message limit). */
export const PUT_PIECE_MAX = 1 << 20;

/**
 * A GetAssetResponse whose `data` is a view of the received message (ts-proto's
 * decoder copies it): the same fields, one copy fewer per byte received.
 */
export function decodeGetAssetResponse(bytes: Uint8Array): GetAssetResponse {
  const reader = new BinaryReader(bytes);
  const message: GetAssetResponse = { asset: undefined, offset: 0, data: EMPTY };
  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    if (tag === 10) message.asset = AssetVersion.decode(reader, reader.uint32());
    else if (tag === 16) message.offset = Number(reader.uint64());
    else if (tag === 26) {
      const data = reader.bytes();
      message.data = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    } else reader.skip(tag & 7);
  }
  return message;
}

const EMPTY = Buffer.alloc(0);

/** StorageServiceClient with {@link decodeGetAssetResponse} for GetAsset; the CLI's client. */
export const StorageClient = makeGenericClientConstructor(
  { ...StorageServiceService, getAsset: { ...StorageServiceService.getAsset, responseDeserialize: decodeGetAssetResponse } },
  'aria.storage.v1.StorageService',
) as unknown as typeof StorageServiceClient;

/** Progress of a transfer: bytes so far. */
export type Progress = (bytes: number) => void;

/**
 * Stores a new version of `name` from `source`. When `signal` aborts, the
 * call is cancelled before the end message, so the server stores nothing.
 */
export async function putAsset(
  client: StorageServiceClient, name: string, source: AsyncIterable<Uint8Array>, md: Metadata, options: { signal?: AbortSignal; progress?: Progress } = {},
): Promise<PutAssetResponse> {
  let call!: ReturnType<StorageServiceClient['putAsset']>;
  const answer = new Promise<PutAssetResponse>((resolve, reject) => {
    call = client.putAsset(md, (err: ServiceError | null, res?: PutAssetResponse) => (err ? reject(err) : resolve(res!)));
  });
  // The answer may come early (a refusal): keep it from being an unhandled rejection meanwhile.
  answer.catch(() => undefined);
  const onAbort = () => call.cancel();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  let failed = false;
  const closed = answer.then(() => undefined, () => { failed = true; });
  try {
    const write = async (m: Parameters<typeof call.write>[0]) => {
      if (!call.write(m)) await Promise.race([once(call, 'drain'), closed]);
    };
    await write({ part: { $case: 'header', header: { name } } });
    let size = 0;
    for await (const piece of source) {
      if (failed || options.signal?.aborted) break;
      for (let at = 0; at < piece.length; at += PUT_PIECE_MAX) {
        const data = piece.subarray(at, at + PUT_PIECE_MAX);
        await write({ part: { $case: 'data', data: Buffer.from(data.buffer, data.byteOffset, data.byteLength) } });
        size += data.length;
        options.progress?.(size);
      }
    }
    if (!failed && !options.signal?.aborted) {
      await write({ part: { $case: 'end', end: { size } } });
      call.end();
    }
    return await answer;
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
  }
}

/** One version's bytes from `offset`, as the server streams them. */
export async function* getAsset(
  client: StorageServiceClient, name: string, version: number, offset: number, md: Metadata,
): AsyncGenerator<GetAssetResponse> {
  const call = client.getAsset({ name, version, offset }, md);
  try {
    for await (const m of call) yield m as GetAssetResponse;
  } finally {
    call.cancel();
  }
}
