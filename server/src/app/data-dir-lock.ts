/**
 * One server per data folder. The embedded database, the secrets file and
 * the initial admin password each assume a single owner, so a second
 * `aria serve` on a live server's folder must stop before it opens any of
 * them. The lock is `<dataDir>/aria.lock`, holding the owner's pid and host:
 * it is created whole with link(2), which fails atomically when the file
 * exists, so a reader never sees a half-written lock. The owner touches the
 * file every REFRESH_MS; a lock whose owner is gone (killed, see `stale`)
 * is taken over.
 */
import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, statSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../core/errors.js';

/** The lock file's name inside the data folder. */
export const LOCK_FILE = 'aria.lock';

/** A held lock. */
export interface DataDirLock {
  readonly file: string;
  /** Removes the lock file (once; later calls do nothing). */
  release(): void;
}

/** A live owner touches its lock this often... */
const REFRESH_MS = 15_000;
/** ...so a lock untouched this long has no owner (its pid reused, or it came from another host or container). */
export const STALE_MS = 90_000;

/** Lock files this process holds (a second server in one process on one folder is refused too). */
const held = new Set<string>();

/**
 * Locks `dataDir` for this process (creating the folder when missing), or
 * throws a ConfigError naming the folder and the holder's pid.
 *
 * A lock is stale, and taken over, when its pid is gone on this host, when
 * it names this process's pid without this process holding it (a restarted
 * container often gets the same pid), or when its owner has not touched it
 * for STALE_MS (the only test that works for a lock left by another host or
 * container, whose pid cannot be checked from here).
 */
export function lockDataDir(dataDir: string): DataDirLock {
  const file = join(dataDir, LOCK_FILE);
  const mine = `${process.pid}\n${hostname()}\n${randomBytes(8).toString('hex')}\n`;
  const temp = join(dataDir, `.${LOCK_FILE}.${process.pid}`);
  try {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    writeFileSync(temp, mine, { mode: 0o600 });
  } catch (err) {
    // Not a folder, not writable, a read-only disk: the operator's to fix.
    throw new ConfigError(`cannot use the data folder ${dataDir}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        linkSync(temp, file);
        break;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      const holder = readHolder(file);
      // The second pass failing means another process took over the stale lock first.
      if (attempt === 0 && holder && stale(file, holder)) {
        unlinkIfSame(file, holder.raw);
        continue;
      }
      const who = holder ? `pid ${holder.pid}${holder.host === hostname() ? '' : ` on ${holder.host}`}` : 'another process';
      throw new ConfigError(`data folder ${dataDir} is in use by another aria server (${who}); stop it or give another --data-dir (lock file ${file})`);
    }
  } finally {
    unlinkSync(temp);
  }
  held.add(file);
  const refresh = setInterval(() => {
    try {
      const now = new Date();
      utimesSync(file, now, now);
    } catch {
      // Removed by hand: nothing to keep fresh.
    }
  }, REFRESH_MS).unref();
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    clearInterval(refresh);
    held.delete(file);
    process.removeListener('exit', release);
    unlinkIfSame(file, mine);
  };
  // A process.exit() elsewhere still frees the folder; a kill -9 leaves a stale lock that the next start takes over.
  process.on('exit', release);
  return { file, release };
}

function stale(file: string, holder: { pid: number; host: string }): boolean {
  if (held.has(file)) return false;
  if (holder.host === hostname() && (holder.pid === process.pid || !alive(holder.pid))) return true;
  try {
    return Date.now() - statSync(file).mtimeMs > STALE_MS;
  } catch {
    return false;
  }
}

function readHolder(file: string): { pid: number; host: string; raw: string } | undefined {
  try {
    const raw = readFileSync(file, 'utf8');
    const [pid, host] = raw.split('\n');
    const n = Number(pid);
    return Number.isInteger(n) && n > 0 ? { pid: n, host: host ?? '', raw } : undefined;
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes `file` only if it still says `content` (never another owner's lock). */
function unlinkIfSame(file: string, content: string): void {
  try {
    if (readFileSync(file, 'utf8') === content) unlinkSync(file);
  } catch {
    // Already gone.
  }
}
