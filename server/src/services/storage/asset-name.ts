/**
 * Checks of what clients name: asset names, versions, offsets, chunk ids.
 * Names end up in SQL parameters, log lines, HTTP paths and CLI output, so
 * only a small, path-like alphabet passes; a refusal echoes at most
 * ECHO_LIMIT characters of what was sent.
 */
import { InvalidArgumentError } from '../../core/errors.js';
import { echo } from '../../core/bounded-text.js';

/** The longest asset name. */
export const NAME_MAX = 200;

const SEGMENT = /^[A-Za-z0-9._-]+$/;

/** Returns `name` when it is a valid asset name; InvalidArgumentError (field `name`) otherwise. */
export function checkAssetName(name: string): string {
  if (typeof name !== 'string' || name.length === 0) throw new InvalidArgumentError('name', 'an asset name is required');
  if (name.length > NAME_MAX) throw new InvalidArgumentError('name', `${echo(name)} is ${name.length} characters; at most ${NAME_MAX}`);
  for (const segment of name.split('/')) {
    if (segment === '') throw new InvalidArgumentError('name', `${echo(name)} has an empty segment: no leading, trailing or double '/'`);
    if (segment === '.' || segment === '..') throw new InvalidArgumentError('name', `${echo(name)} has a '${segment}' segment`);
    if (!SEGMENT.test(segment)) {
      throw new InvalidArgumentError('name', `${echo(name)} has a character other than letters, digits, '.', '_', '-' and '/'`);
    }
  }
  return name;
}

/** A name prefix for listing: "" or the start of a valid name (same alphabet; may end in '/'). */
export function checkNamePrefix(prefix: string): string {
  if (prefix === '') return prefix;
  if (prefix.length > NAME_MAX || !/^[A-Za-z0-9._/-]+$/.test(prefix)) {
    throw new InvalidArgumentError('prefix', `${echo(prefix)} is not the start of an asset name`);
  }
  return prefix;
}

/** A version number as asked: 0 (the latest, where allowed) or 1..2^31-1. */
export function checkVersion(version: number, latestAllowed = true): number {
  if (!Number.isSafeInteger(version) || version < 0 || version > 0x7fffffff) throw new InvalidArgumentError('version', `${version} is not a version number`);
  if (version === 0 && !latestAllowed) throw new InvalidArgumentError('version', 'name the version (0 means the latest, which is not accepted here)');
  return version;
}

/** A chunk id: exactly 32 bytes; its lower-case hex. */
export function checkChunkId(id: Uint8Array, field = 'chunk_id'): string {
  if (!(id instanceof Uint8Array) || id.length !== 32) throw new InvalidArgumentError(field, `a chunk id is 32 bytes, not ${id?.length ?? 0}`);
  return Buffer.from(id.buffer, id.byteOffset, id.byteLength).toString('hex');
}
