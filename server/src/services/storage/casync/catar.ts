/**
 * Reading casync's directory archive (.catar), record by record as it
 * streams: ENTRY (stat data), optional metadata (user and group names,
 * xattrs, ACLs, file capabilities, quota project, SELinux label), then a
 * PAYLOAD, SYMLINK or DEVICE record, or for a directory its children as
 * FILENAME + archive pairs in strict name order and a closing GOODBYE
 * table (casync src/caformat.h). Reading only: Aria extracts what casync
 * made; the metadata Aria does not restore is skipped, bounded.
 */
import { InvalidArgumentError } from '../../../core/errors.js';
import type { ByteReader } from './byte-reader.js';
import * as F from './format.js';

/** Stat data of one archive entry. */
export interface ArchiveEntryInfo {
  /** Type and permission bits, as st_mode. */
  mode: number;
  uid: number;
  gid: number;
  /** Modification time in nanoseconds since the epoch. */
  mtimeNs: bigint;
  /** User and group names, when the archive records them. */
  user?: string;
  group?: string;
}

/** One step of walking an archive, in archive order. */
export type ArchiveEvent =
  | { kind: 'directory'; path: string; info: ArchiveEntryInfo }
  /** After the directory's last child: where its own mode and time are applied. */
  | { kind: 'end-directory'; path: string; info: ArchiveEntryInfo }
  /** `content` streams the bytes; it must be read (or left) before the walk goes on, which then skips what is left. */
  | { kind: 'file'; path: string; info: ArchiveEntryInfo; size: number; content: AsyncGenerator<Buffer> }
  | { kind: 'symlink'; path: string; info: ArchiveEntryInfo; target: string }
  /** Device nodes, FIFOs and sockets. */
  | { kind: 'special'; path: string; info: ArchiveEntryInfo };

const S_IFMT = 0o170000;
const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;
const S_IFLNK = 0o120000;

/** Metadata records skipped, each with the largest size casync allows for it. */
const SKIPPED = new Map<bigint, number>([
  [F.CA_FORMAT_XATTR, 16 + 256 + 64 * 1024], [F.CA_FORMAT_ACL_USER, 32 + 256], [F.CA_FORMAT_ACL_GROUP, 32 + 256],
  [F.CA_FORMAT_ACL_GROUP_OBJ, 24], [F.CA_FORMAT_ACL_DEFAULT, 48], [F.CA_FORMAT_ACL_DEFAULT_USER, 32 + 256],
  [F.CA_FORMAT_ACL_DEFAULT_GROUP, 32 + 256], [F.CA_FORMAT_FCAPS, 16 + 64 * 1024], [F.CA_FORMAT_QUOTA_PROJID, 24],
  [F.CA_FORMAT_SELINUX, 16 + 4096], [F.CA_FORMAT_DEVICE, 32],
]);

interface Header { size: number; type: bigint }

/**
 * Walks a .catar stream, yielding each entry (the root's path is '').
 * Throws InvalidArgumentError (field `archive`) on anything malformed:
 * unknown records, sizes out of bounds, names with '/' or out of order
 * (a name can never climb out of the folder being extracted), a stream cut
 * short or with bytes after the root's end.
 */
export async function* readArchive(reader: ByteReader): AsyncGenerator<ArchiveEvent> {
  const after = yield* entry(reader, '', await header(reader));
  if (after !== undefined) throw bad(reader, 'a record after the end of the archive');
}

/**
 * Walks one entry whose ENTRY header `h` was read. Returns the header that
 * follows it (the parent's next FILENAME or GOODBYE; undefined at the end
 * of the stream): an entry without a closing record of its own (a FIFO, a
 * socket, a device) only ends where the next record shows it has.
 */
async function* entry(r: ByteReader, path: string, h: Header): AsyncGenerator<ArchiveEvent, Header | undefined> {
  if (h.type !== F.CA_FORMAT_ENTRY || h.size !== F.ENTRY_SIZE) throw bad(r, `expected an ENTRY record for '${path}'`);
  const b = await r.exact(F.ENTRY_SIZE - 16);
  const info: ArchiveEntryInfo = { mode: Number(b.readBigUInt64LE(8)), uid: Number(b.readBigUInt64LE(24)), gid: Number(b.readBigUInt64LE(32)), mtimeNs: b.readBigUInt64LE(40) };
  const type = info.mode & S_IFMT;
  let next = await maybeHeader(r);
  for (; next !== undefined; next = await maybeHeader(r)) {
    if (next.type === F.CA_FORMAT_USER || next.type === F.CA_FORMAT_GROUP) {
      const name = cString(await body(r, next, 16 + 256));
      if (next.type === F.CA_FORMAT_USER) info.user = name; else info.group = name;
    } else if (SKIPPED.has(next.type)) {
      await body(r, next, SKIPPED.get(next.type)!);
    } else break;
  }
  if (type === S_IFREG) {
    if (next?.type !== F.CA_FORMAT_PAYLOAD) throw bad(r, `'${path}': a regular file without a PAYLOAD record`);
    const content = r.pieces(next.size - 16);
    yield { kind: 'file', path, info, size: next.size - 16, content };
    for await (const piece of content) void piece; // what the consumer left unread
    return maybeHeader(r);
  }
  if (type === S_IFLNK) {
    if (next?.type !== F.CA_FORMAT_SYMLINK) throw bad(r, `'${path}': a symlink without a SYMLINK record`);
    yield { kind: 'symlink', path, info, target: cString(await body(r, next, 16 + 4096)) };
    return maybeHeader(r);
  }
  if (type !== S_IFDIR) {
    yield { kind: 'special', path, info };
    return next;
  }
  yield { kind: 'directory', path, info };
  let previous: Buffer | undefined;
  let children = 0;
  while (next?.type === F.CA_FORMAT_FILENAME) {
    const raw = await body(r, next, 16 + 256);
    const name = cString(raw);
    if (name === '' || name === '.' || name === '..' || name.includes('/')) throw bad(r, `'${path}': bad file name ${JSON.stringify(name)}`);
    // casync orders names by their bytes (strcmp); strictly, so no name comes twice.
    if (previous !== undefined && Buffer.compare(previous, raw) >= 0) throw bad(r, `'${path}': names out of order or repeated at '${name}'`);
    previous = Buffer.from(raw);
    children++;
    next = yield* entry(r, path === '' ? name : `${path}/${name}`, await header(r));
  }
  if (next?.type !== F.CA_FORMAT_GOODBYE) throw bad(r, `'${path}': expected FILENAME or GOODBYE`);
  // The GOODBYE table (one item per child, then a tail) serves lookups by name; a reader that walks in order only checks its size.
  if (next.size !== 16 + 24 * children + 24) throw bad(r, `'${path}': a GOODBYE table of ${next.size} bytes for ${children} entries`);
  await r.exact(next.size - 16);
  yield { kind: 'end-directory', path, info };
  return maybeHeader(r);
}

/** The next record's header, or undefined at the end of the stream. */
async function maybeHeader(r: ByteReader): Promise<Header | undefined> {
  return (await r.atEnd()) ? undefined : header(r);
}

async function header(r: ByteReader): Promise<Header> {
  const b = await r.exact(16);
  const size = b.readBigUInt64LE(0);
  if (size < 16n || size > BigInt(Number.MAX_SAFE_INTEGER)) throw bad(r, `record size ${size} out of range`);
  return { size: Number(size), type: b.readBigUInt64LE(8) };
}

async function body(r: ByteReader, h: Header, max: number): Promise<Buffer> {
  if (h.size > max) throw bad(r, `a record of ${h.size} bytes, more than its type allows (${max})`);
  return r.exact(h.size - 16);
}

function cString(b: Buffer): string {
  if (b.length === 0 || b[b.length - 1] !== 0 || b.indexOf(0) !== b.length - 1) throw new InvalidArgumentError('archive', 'a name that is not one NUL-terminated string');
  return b.toString('utf8', 0, b.length - 1);
}

function bad(r: ByteReader, message: string): InvalidArgumentError {
  return new InvalidArgumentError('archive', `${message} (near byte ${r.offset})`);
}
