/**
 * The local secret store's AES-256 key: ARIA_MASTER_KEY (32 bytes, base64 or
 * hex) when set, else a key file created on first run with mode 0600 and
 * refused later if anyone but the owner can read it (as ssh does with its
 * keys). The key never appears in a message.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ConfigError } from '../../core/errors.js';

/** Key length for AES-256. */
export const KEY_BYTES = 32;

/** Parses ARIA_MASTER_KEY; throws without echoing it. */
export function parseMasterKey(text: string): Buffer {
  const t = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(t)) return Buffer.from(t, 'hex');
  // 32 bytes are 43 base64 characters and one '=' of padding.
  if (/^[A-Za-z0-9+/]{43}=?$/.test(t)) return Buffer.from(t, 'base64');
  throw new ConfigError(`ARIA_MASTER_KEY must be ${KEY_BYTES} bytes written as base64 or 64 hex digits (generate one with: openssl rand -base64 32)`);
}

/**
 * The master key: from `envKey` when given, else from `keyFile`, created
 * (mode 0600, in a 0700 folder) when missing.
 */
export async function loadMasterKey(envKey: string | undefined, keyFile: string): Promise<{ key: Buffer; source: 'env' | 'file' | 'new-file' }> {
  if (envKey) return { key: parseMasterKey(envKey), source: 'env' };
  try {
    return { key: await readKeyFile(keyFile), source: 'file' };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  await mkdir(dirname(keyFile), { recursive: true, mode: 0o700 });
  const key = randomBytes(KEY_BYTES);
  let handle;
  try {
    // 'wx' fails when another process created the file first; then its key wins.
    handle = await open(keyFile, 'wx', 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return { key: await readKeyFileSettled(keyFile), source: 'file' };
    throw err;
  }
  try {
    await handle.writeFile(`${key.toString('base64')}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  return { key, source: 'new-file' };
}

async function readKeyFile(keyFile: string): Promise<Buffer> {
  const st = await stat(keyFile);
  if (process.platform !== 'win32' && (st.mode & 0o077) !== 0) {
    throw new ConfigError(`master key file ${keyFile} is accessible to group or others (mode ${(st.mode & 0o777).toString(8)}); run: chmod 600 ${keyFile}`);
  }
  const text = (await readFile(keyFile, 'utf8')).trim();
  const key = Buffer.from(text, 'base64');
  if (key.length !== KEY_BYTES) throw new ConfigError(`master key file ${keyFile} does not hold ${KEY_BYTES} base64 bytes`);
  return key;
}

/** Reads a key file that another process may still be writing (a few ms). */
async function readKeyFileSettled(keyFile: string): Promise<Buffer> {
  for (let i = 0; ; i++) {
    try {
      return await readKeyFile(keyFile);
    } catch (err) {
      if (i >= 50) throw err;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}
