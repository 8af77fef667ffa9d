/**
 * The face of storage: a content-addressed store that speaks casync's
 * formats (chunk store, .caibx blob index), chunked in WebAssembly, and
 * the versioned-asset service over it. Everything other folders may use;
 * no gRPC here.
 */
export { makeBlob, chunkBlob, type MakeBlobResult, type ChunkBlobResult, type ChunkSink, type BlobSource } from './make-blob.js';
export { extractBlob, readBlobIndex, type ExtractBlobResult } from './extract-blob.js';
export { Chunker } from './chunker.js';
export { chunkParams, discriminatorFor, CHUNK_SIZE_AVG_DEFAULT, CHUNK_SIZE_LIMIT_MAX, type ChunkParams, type ChunkSizeRequest } from './chunk-params.js';
export { ChunkStore, type StoredChunk } from './chunk-store.js';
export { chunkIdOf, chunkIdHex } from './chunk-id.js';
export { encodeBlobIndex, decodeBlobIndex, digestOf, DEFAULT_BLOB_FLAGS, type BlobIndex, type IndexItem, type ChunkDigest } from './casync/caibx.js';
export { extractDirectory, type ExtractDirectoryResult } from './extract-directory.js';
export { readArchive, type ArchiveEvent, type ArchiveEntryInfo } from './casync/catar.js';
export { ByteReader } from './casync/byte-reader.js';
export { StorageService, MISSING_CHUNKS_MAX, type StorageServiceOptions, type PutResult, type AssetReader } from './storage-service.js';
export { type AssetVersion } from './asset-repo.js';
export { checkAssetName, NAME_MAX } from './asset-name.js';
export { ChunkGuard, type ChunkLease } from './chunk-guard.js';
export { type GcOptions, type GcResult } from './garbage-collector.js';
export { openStorage, storeDirOf, type OpenStorageOptions, type OpenedStorage } from './open-storage.js';
export { headroomOf } from './chunk-readers.js';
