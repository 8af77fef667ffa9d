/**
 * The chunk store, read-only, on the HTTP port:
 * `GET /storage/store/<4 hex>/<64 hex>.cacnk` answers the chunk file as
 * stored (zstd), so that `casync extract --store=http://HOST:PORT/storage/store/
 * INDEX OUT` reads this server's store. casync checks each chunk against
 * its id itself.
 *
 * Only paths that are exactly that shape, with the folder equal to the
 * id's first 4 hex digits, reach the disk, and the file's path is built
 * from the parsed id, never from the request: no traversal, no other file.
 * No token is asked: a chunk is found only by its 256-bit id, which only
 * someone holding an index knows. Asset indexes (by name) are not served
 * here for that reason; they come through GetAsset's caller-checked gRPC.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { StorageService } from '../../services/storage/index.js';
import type { HttpRoute } from './http-front.js';

/** Where the store is served. */
export const STORE_PREFIX = '/storage/store/';

const CHUNK_PATH = /^\/storage\/store\/([0-9a-f]{4})\/([0-9a-f]{64})\.cacnk$/;

/** The read-only chunk store route. */
export function storageRoute(service: StorageService): HttpRoute {
  return {
    prefix: STORE_PREFIX,
    handle: (req, res, path) => serveChunk(service, req, res, path),
  };
}

async function serveChunk(service: StorageService, req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
  const m = CHUNK_PATH.exec(path);
  if (!m || !m[2]!.startsWith(m[1]!)) return text(res, 404, 'not found: chunks are at /storage/store/<first 4 hex of id>/<64 hex id>.cacnk\n');
  const file = service.store.pathOf(m[2]!);
  let size: number;
  try {
    const st = await stat(file);
    if (!st.isFile()) return text(res, 404, 'no such chunk\n');
    size = st.size;
  } catch {
    return text(res, 404, 'no such chunk\n');
  }
  res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': size, 'Cache-Control': 'public, max-age=31536000, immutable' });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  await new Promise<void>((resolve) => {
    const stream = createReadStream(file);
    stream.on('error', () => {
      // Removed by garbage collection after the stat: the length is already sent, so cut the answer short.
      res.destroy();
      resolve();
    });
    stream.on('end', resolve);
    res.on('close', () => {
      stream.destroy();
      resolve();
    });
    stream.pipe(res);
  });
}

function text(res: ServerResponse, code: number, body: string): void {
  res.writeHead(code, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(body), 'Cache-Control': 'no-store' });
  res.end(body);
}
