/**
 * The compiled-domain cache: a one-shot `aria plan` spends most of its own
 * time parsing, validating and compiling the domain (the JIT's code
 * generation above all), work whose result depends only on the domain's
 * text and on this build. A cache entry keeps that result (the domain's
 * data, its compiled tables and the JIT's WebAssembly bytes, v8-serialized)
 * in a folder shared by every run.
 *
 * An entry is keyed by a SHA-256 of everything that can change the compiled
 * output: the domain text and file name, the JIT switch, the V8 version, and
 * a fingerprint of this build (the engine's wasm and every compiled planner
 * module). It is written atomically (a temporary file renamed into place)
 * and read defensively: an entry whose checksum, format or key does not
 * match is ignored and rewritten. A hit therefore gives exactly what
 * compiling would.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deserialize, serialize } from 'node:v8';
import type { Domain } from '../language/ast.js';
import type { CompiledDomain } from './compiled-domain.js';
import { DomainHandle } from '../runtime/compiled-handle.js';
import { wasmPath } from '../runtime/wasm-module.js';

/** Bumped whenever what an entry holds changes shape. */
const FORMAT = 'aria-domain-cache-1';
const DIGEST_BYTES = 32;

/**
 * The cache folder: ARIA_CACHE_DIR, else `$XDG_CACHE_HOME/aria`, else
 * `~/.cache/aria`; undefined when ARIA_CACHE_DIR is `off`.
 */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const v = env.ARIA_CACHE_DIR;
  if (v === 'off') return undefined;
  if (v) return v;
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'aria');
}

let fingerprint: string | undefined;
/**
 * A hash of this build: the engine's wasm and every planner module's
 * compiled JavaScript (the whole library above this compile/ room: parser,
 * validator, compiler, JIT, engine host), so that a rebuilt compiler never
 * reads an entry an older one wrote, version bump or not.
 */
export function buildFingerprint(): string {
  return (fingerprint ??= fingerprintOf(join(dirname(fileURLToPath(import.meta.url)), '..')));
}

/** The hash of the engine's wasm and every `.js` file below `plannerDir`. */
export function fingerprintOf(plannerDir: string): string {
  const h = createHash('sha256');
  h.update(readFileSync(wasmPath()));
  // Plain readdir per folder: Node 20's recursive readdir costs tens of milliseconds here.
  const walk = (dir: string, rel: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      if (e.isDirectory()) walk(join(dir, e.name), `${rel}${e.name}/`);
      else if (e.name.endsWith('.js')) h.update(rel + e.name).update('\0').update(readFileSync(join(dir, e.name))).update('\0');
    }
  };
  walk(plannerDir, '');
  return h.digest('hex');
}

/** A domain source as the CLI reads it: `.aria` text, or a `.json` file of domain data. */
export interface DomainSource {
  text: string;
  /** The file name errors name (part of the key: messages carry it). */
  file: string;
  /** The text is JSON domain data rather than `.aria` text. */
  json?: boolean;
}

/** The entry key of a source in this build and configuration. */
export function cacheKey(src: DomainSource, env: NodeJS.ProcessEnv = process.env): string {
  return createHash('sha256')
    .update([FORMAT, buildFingerprint(), process.versions.v8, env.ARIA_JIT === '0' ? 'interp' : 'jit', src.json ? 'json' : 'text', src.file].join('\0'))
    .update('\0')
    .update(src.text)
    .digest('hex');
}

/** What an entry holds. */
interface Entry { format: string; key: string; hash: string; domain: Domain; compiled: CompiledDomain }

function entryPath(dir: string, key: string): string { return join(dir, `${key}.domain`); }

/** The entry for key, or undefined when it is missing, unreadable, corrupt or someone else's. */
export function readEntry(dir: string, key: string): Entry | undefined {
  let buf: Buffer;
  try { buf = readFileSync(entryPath(dir, key)); } catch { return undefined; }
  if (buf.length <= DIGEST_BYTES) return undefined;
  const payload = buf.subarray(DIGEST_BYTES);
  if (!createHash('sha256').update(payload).digest().equals(buf.subarray(0, DIGEST_BYTES))) return undefined;
  try {
    const e = deserialize(payload) as Entry;
    if (e?.format !== FORMAT || e.key !== key || typeof e.hash !== 'string' || !(e.compiled?.code instanceof Int32Array)) return undefined;
    return e;
  } catch {
    return undefined;
  }
}

/** Writes an entry atomically: a reader sees the whole old file, the whole new one, or none. Failures are ignored (a cache is optional). */
export function writeEntry(dir: string, key: string, handle: DomainHandle): boolean {
  const c = handle.compiled;
  // constHeap is a view of a larger buffer: keep only its bytes.
  const compiled: CompiledDomain = { ...c, constHeap: c.constHeap.slice() };
  const entry: Entry = { format: FORMAT, key, hash: handle.hash, domain: handle.domain, compiled };
  const tmp = `${entryPath(dir, key)}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    mkdirSync(dir, { recursive: true });
    const payload = serialize(entry);
    writeFileSync(tmp, Buffer.concat([createHash('sha256').update(payload).digest(), payload]));
    renameSync(tmp, entryPath(dir, key));
    return true;
  } catch {
    try { unlinkSync(tmp); } catch { /* never written */ }
    return false;
  }
}

/** How loadDomainCached got its domain: from the cache, compiled (and stored), or compiled with the cache off. */
export type CacheOutcome = 'hit' | 'miss' | 'off';

/**
 * Loads a domain through the cache: an entry when there is a valid one,
 * else a compile (whose result is stored). The parser, validator and
 * compiler are imported only on a miss. Throws DomainError as loadDomain.
 */
export async function loadDomainCached(src: DomainSource, opts: { dir?: string | null } = {}): Promise<{ handle: DomainHandle; cache: CacheOutcome }> {
  const dir = opts.dir === null ? undefined : opts.dir ?? cacheDir();
  let key: string | undefined;
  if (dir !== undefined) {
    try { key = cacheKey(src); } catch { key = undefined; }
    const e = key === undefined ? undefined : readEntry(dir, key);
    if (e) return { handle: new DomainHandle(e.domain, e.compiled, e.hash), cache: 'hit' };
  }
  const { loadDomain } = await import('../domain-handle.js');
  const handle = src.json ? loadDomain(JSON.parse(src.text) as Domain, { file: src.file }) : loadDomain(src.text, { file: src.file });
  if (dir === undefined || key === undefined) return { handle, cache: 'off' };
  writeEntry(dir, key, handle);
  return { handle, cache: 'miss' };
}
