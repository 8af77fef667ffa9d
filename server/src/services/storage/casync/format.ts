/**
 * casync's on-disk constants: record type magics and feature flags
 * (casync src/caformat.h). Every value is a little-endian u64 on disk.
 */

/** Record types of the index file format. */
export const CA_FORMAT_INDEX = 0x96824d9c7b129ff9n;
/** The table record that follows the index header. */
export const CA_FORMAT_TABLE = 0xe75b9e112f17417dn;
/** The marker that ends the table's tail. */
export const CA_FORMAT_TABLE_TAIL_MARKER = 0x4b4f050e5549ecd1n;

/** Chunk ids are SHA-512/256 (without it: SHA-256). */
export const CA_FORMAT_SHA512_256 = 0x2000000000000000n;
/** Exclusion flags casync sets by default; meaningless for a blob but part of its default feature set. */
export const CA_FORMAT_EXCLUDE_FILE = 0x1000000000000000n;
/** casync's CA_FORMAT_EXCLUDE_SUBMOUNTS. */
export const CA_FORMAT_EXCLUDE_SUBMOUNTS = 0x4000000000000000n;
/** casync's CA_FORMAT_EXCLUDE_NODUMP. */
export const CA_FORMAT_EXCLUDE_NODUMP = 0x8000000000000000n;
/** All of casync's "with" bits (file metadata kinds, bits 0..32). */
export const CA_FORMAT_WITH_MASK = 0x1ffffffffn;

/** Every feature bit casync knows; any other bit set means a format we cannot read. */
export const CA_FORMAT_FEATURE_FLAGS_MAX =
  CA_FORMAT_WITH_MASK | CA_FORMAT_EXCLUDE_NODUMP | CA_FORMAT_EXCLUDE_SUBMOUNTS | CA_FORMAT_EXCLUDE_FILE | CA_FORMAT_SHA512_256;

/** The feature flags `casync make` writes into a blob index (.caibx) with its default digest. */
export const CAIBX_DEFAULT_FLAGS = CA_FORMAT_SHA512_256 | CA_FORMAT_EXCLUDE_NODUMP | CA_FORMAT_EXCLUDE_FILE;

/** The INDEX record: header, feature flags, chunk size min/avg/max (bytes). */
export const INDEX_HEADER_SIZE = 48;
/** The TABLE record's header (bytes). */
export const TABLE_HEADER_SIZE = 16;
/** A table item (end offset + 32-byte id); the tail has the same size on purpose. */
export const TABLE_ITEM_SIZE = 40;
/** The table header's size field: unknown while the table is written incrementally. */
export const TABLE_SIZE_UNKNOWN = 0xffffffffffffffffn;
/** Chunk ids are 32 bytes whichever digest made them. */
export const CHUNK_ID_SIZE = 32;

/** Record types of the archive format (.catar). */
export const CA_FORMAT_ENTRY = 0x1396fabcea5bbb51n;
/** The owner's user name (record type). */
export const CA_FORMAT_USER = 0xf453131aaeeaccb3n;
/** casync's CA_FORMAT_GROUP. */
export const CA_FORMAT_GROUP = 0x25eb6ac969396a52n;
/** casync's CA_FORMAT_XATTR. */
export const CA_FORMAT_XATTR = 0xb8157091f80bc486n;
/** casync's CA_FORMAT_ACL_USER. */
export const CA_FORMAT_ACL_USER = 0x297dc88b2ef12fafn;
/** casync's CA_FORMAT_ACL_GROUP. */
export const CA_FORMAT_ACL_GROUP = 0x36f2acb56cb3dd0bn;
/** casync's CA_FORMAT_ACL_GROUP_OBJ. */
export const CA_FORMAT_ACL_GROUP_OBJ = 0x23047110441f38f3n;
/** casync's CA_FORMAT_ACL_DEFAULT. */
export const CA_FORMAT_ACL_DEFAULT = 0xfe3eeda6823c8cd0n;
/** casync's CA_FORMAT_ACL_DEFAULT_USER. */
export const CA_FORMAT_ACL_DEFAULT_USER = 0xbdf03df9bd010a91n;
/** casync's CA_FORMAT_ACL_DEFAULT_GROUP. */
export const CA_FORMAT_ACL_DEFAULT_GROUP = 0xa0cb1168782d1f51n;
/** casync's CA_FORMAT_FCAPS. */
export const CA_FORMAT_FCAPS = 0xf7267db0afed0629n;
/** casync's CA_FORMAT_QUOTA_PROJID. */
export const CA_FORMAT_QUOTA_PROJID = 0x161baf2d8772a72bn;
/** casync's CA_FORMAT_SELINUX. */
export const CA_FORMAT_SELINUX = 0x46faf0602fd26c59n;
/** casync's CA_FORMAT_SYMLINK. */
export const CA_FORMAT_SYMLINK = 0x664a6fb6830e0d6cn;
/** casync's CA_FORMAT_DEVICE. */
export const CA_FORMAT_DEVICE = 0xac3dace369dfe643n;
/** casync's CA_FORMAT_PAYLOAD. */
export const CA_FORMAT_PAYLOAD = 0x8b9e1d93d6dcffc9n;
/** casync's CA_FORMAT_FILENAME. */
export const CA_FORMAT_FILENAME = 0x6dbb6ebcb3161f0bn;
/** casync's CA_FORMAT_GOODBYE. */
export const CA_FORMAT_GOODBYE = 0xdfd35c5e8327c403n;
/** The marker that ends a GOODBYE record. */
export const CA_FORMAT_GOODBYE_TAIL_MARKER = 0x57446fa533702943n;
/** ENTRY: header, then feature flags, mode, flags, uid, gid, mtime (ns). */
export const ENTRY_SIZE = 64;
