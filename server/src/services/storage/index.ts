/**
 * The face of storage: a content-addressed store that speaks casync's
 * formats (chunk store, .caibx blob index), chunked in WebAssembly.
 * Everything other folders may use; no gRPC here.
 */
export { makeBlob, type MakeBlobResult, type BlobSource } from './make-blob.js';
export { extractBlob, readBlobIndex, type ExtractBlobResult } from './extract-blob.js';
export { Chunker } from './chunker.js';
export { chunkParams, discriminatorFor, CHUNK_SIZE_AVG_DEFAULT, CHUNK_SIZE_LIMIT_MAX, type ChunkParams, type ChunkSizeRequest } from './chunk-params.js';
export { ChunkStore } from './chunk-store.js';
export { chunkIdOf, chunkIdHex } from './chunk-id.js';
export { encodeBlobIndex, decodeBlobIndex, digestOf, DEFAULT_BLOB_FLAGS, type BlobIndex, type IndexItem, type ChunkDigest } from './casync/caibx.js';
export { extractDirectory, type ExtractDirectoryResult } from './extract-directory.js';
export { readArchive, type ArchiveEvent, type ArchiveEntryInfo } from './casync/catar.js';
export { ByteReader } from './casync/byte-reader.js';
