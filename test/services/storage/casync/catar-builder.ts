/**
 * Builds small .catar archives by hand for the parser's tests, so they run
 * without casync: records laid out as casync lays them (caformat.h).
 */
const ENTRY = 0x1396fabcea5bbb51n;
const PAYLOAD = 0x8b9e1d93d6dcffc9n;
const SYMLINK = 0x664a6fb6830e0d6cn;
const FILENAME = 0x6dbb6ebcb3161f0bn;
const GOODBYE = 0xdfd35c5e8327c403n;
const USER = 0xf453131aaeeaccb3n;

/** A node of a hand-built tree. */
export type Node =
  | { dir: Record<string, Node>; mode?: number }
  | { file: string | Buffer; mode?: number }
  | { link: string }
  | { fifo: true };

function record(type: bigint, body: Buffer): Buffer {
  const h = Buffer.alloc(16);
  h.writeBigUInt64LE(BigInt(16 + body.length), 0);
  h.writeBigUInt64LE(type, 8);
  return Buffer.concat([h, body]);
}

function entry(mode: number): Buffer {
  const b = Buffer.alloc(48);
  b.writeBigUInt64LE(0xb00000000000000n, 0);
  b.writeBigUInt64LE(BigInt(mode), 8);
  b.writeBigUInt64LE(1_700_000_000_123_456_789n, 40);
  return record(ENTRY, b);
}

const cstr = (s: string): Buffer => Buffer.concat([Buffer.from(s), Buffer.alloc(1)]);

/** The archive of `node`; `names` lists each folder's children in the order given (sorted unless a test wants otherwise). */
export function catar(node: Node, sort = true): Buffer {
  if ('file' in node) return Buffer.concat([entry(0o100000 | (node.mode ?? 0o644)), record(USER, cstr('aria')), record(PAYLOAD, Buffer.from(node.file))]);
  if ('link' in node) return Buffer.concat([entry(0o120777), record(SYMLINK, cstr(node.link))]);
  if ('fifo' in node) return entry(0o010644);
  const names = Object.keys(node.dir);
  if (sort) names.sort();
  const parts = [entry(0o040000 | (node.mode ?? 0o755))];
  for (const name of names) parts.push(record(FILENAME, cstr(name)), catar(node.dir[name]!, sort));
  // GOODBYE: one 24-byte item per child (hash lookups; zeros here: the walker does not use them) and a tail.
  parts.push(record(GOODBYE, Buffer.alloc(24 * names.length + 24)));
  return Buffer.concat(parts);
}
