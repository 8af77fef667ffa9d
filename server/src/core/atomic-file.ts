/**
 * Files replaced whole: a crash leaves the old content or the new, never a
 * mix. The data goes to a temporary file beside the target, is flushed to
 * disk, then renamed over it; the folder is flushed too so that the rename
 * survives a crash.
 */
import { randomBytes } from 'node:crypto';
import { open, rename } from 'node:fs/promises';
import { dirname } from 'node:path';

/** Writes `data` to `path` atomically and durably, the new file with `mode`. */
export async function writeFileAtomic(path: string, data: Uint8Array | string, mode = 0o600): Promise<void> {
  const temp = `${path}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  const handle = await open(temp, 'wx', mode);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temp, path);
  await syncDir(dirname(path));
}

/** fsync of a folder; not supported everywhere. */
async function syncDir(dir: string): Promise<void> {
  try {
    const h = await open(dir, 'r');
    try {
      await h.sync();
    } finally {
      await h.close();
    }
  } catch {
    // Windows cannot open folders; the rename is still atomic there.
  }
}
