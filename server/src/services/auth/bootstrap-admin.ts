/**
 * The first admin: a server whose database has no users creates one, named
 * ARIA_ADMIN_USER (default "admin"), with the password ARIA_ADMIN_PASSWORD
 * or, without it, a generated one written to `<dataDir>/initial-admin-password`
 * (mode 0600). The password never goes to the log, only the file's name.
 */
import { randomBytes } from 'node:crypto';
import { open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { AuthService } from './auth-service.js';

/** What bootstrapping did. */
export interface BootstrapResult {
  created: boolean;
  username?: string;
  /** Where the generated password is. */
  passwordFile?: string;
}

/** Creates the first admin when there are no users. */
export async function bootstrapAdmin(
  auth: AuthService,
  options: { env?: NodeJS.ProcessEnv; dataDir: string | null; log?: Pick<Logger, 'info' | 'warn'> },
): Promise<BootstrapResult> {
  if ((await auth.users.count()) > 0) return { created: false };
  const env = options.env ?? process.env;
  const username = env.ARIA_ADMIN_USER || 'admin';
  let password = env.ARIA_ADMIN_PASSWORD;
  let passwordFile: string | undefined;
  if (!password) {
    if (options.dataDir === null) {
      options.log?.warn('no users yet and no data folder for a generated password: set ARIA_ADMIN_PASSWORD to create the first admin');
      return { created: false };
    }
    password = randomBytes(18).toString('base64url');
    passwordFile = join(options.dataDir, 'initial-admin-password');
    await rm(passwordFile, { force: true });
    const handle = await open(passwordFile, 'wx', 0o600);
    try {
      await handle.writeFile(`${password}\n`);
    } finally {
      await handle.close();
    }
  }
  try {
    await auth.users.create(username, password, 'admin');
  } catch (err) {
    // Another server starting at the same time created the first admin.
    if ((err as Error).name === 'AlreadyExistsError') return { created: false };
    throw err;
  }
  options.log?.info({ username, passwordFile }, passwordFile ? 'created the first admin user; its password is in the file named here' : 'created the first admin user from ARIA_ADMIN_PASSWORD');
  return { created: true, username, passwordFile };
}
