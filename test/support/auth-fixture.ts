/**
 * An AuthService on a fresh schema (PostgreSQL when DATABASE_URL is set,
 * else PGlite) with secrets in memory, for tests of the auth logic itself.
 */
import { AuthService, type AuthOptions } from '../../server/src/services/auth/auth-service.js';
import type { Database } from '../../server/src/services/data/database.js';
import { FileSecretStore } from '../../server/src/services/secrets/file-secret-store.js';
import { SecretsService } from '../../server/src/services/secrets/secrets-service.js';
import { dataBackends, type Backend } from './data-backends.js';

/** The backend the auth tests use: the real server when there is one. */
export function authBackend(): Backend {
  return dataBackends().at(-1)!;
}

/** An auth service and what it stands on. */
export interface AuthFixture {
  auth: AuthService;
  db: Database;
  secrets: SecretsService;
}

/** Opens an AuthService on a fresh, migrated schema of `backend`. */
export async function authFixture(backend: Backend, options: AuthOptions = {}, shared?: { db: Database; secrets: SecretsService }): Promise<AuthFixture> {
  const db = shared?.db ?? (await backend.open());
  const secrets = shared?.secrets ?? new SecretsService(FileSecretStore.memory());
  const auth = await AuthService.open(db, secrets, { pollMs: 100, ...options });
  return { auth, db, secrets };
}
