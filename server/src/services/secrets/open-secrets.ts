/**
 * Picks the secrets backend from the environment: Vault/OpenBao when
 * VAULT_ADDR and VAULT_TOKEN are set (VAULT_KV_MOUNT, VAULT_KV_PREFIX and
 * VAULT_NAMESPACE refine it), else the encrypted file
 * `<dataDir>/secrets/secrets.enc` whose key is ARIA_MASTER_KEY or
 * `<dataDir>/secrets/master.key` (ARIA_MASTER_KEY_FILE moves it).
 */
import { join } from 'node:path';
import type { Logger } from 'pino';
import { FileSecretStore } from './file-secret-store.js';
import { loadMasterKey } from './master-key.js';
import type { SecretStore } from './secret-store.js';
import { SecretsService } from './secrets-service.js';
import { VaultSecretStore } from './vault-secret-store.js';

/** Where the secrets live. */
export interface SecretsOptions {
  /** The data folder of the local store; null keeps secrets in memory (gone at exit). */
  dataDir: string | null;
  env?: NodeJS.ProcessEnv;
  log?: Pick<Logger, 'info' | 'warn'>;
}

/** Opens the secrets service on the backend the environment asks for. */
export async function openSecrets(options: SecretsOptions): Promise<SecretsService> {
  const env = options.env ?? process.env;
  let store: SecretStore;
  if (env.VAULT_ADDR && env.VAULT_TOKEN) {
    store = new VaultSecretStore({
      endpoint: env.VAULT_ADDR,
      token: env.VAULT_TOKEN,
      mount: env.VAULT_KV_MOUNT,
      prefix: env.VAULT_KV_PREFIX,
      namespace: env.VAULT_NAMESPACE,
    });
    options.log?.info({ backend: 'vault', endpoint: env.VAULT_ADDR, mount: env.VAULT_KV_MOUNT ?? 'secret' }, 'secrets backend');
  } else if (options.dataDir === null) {
    store = FileSecretStore.memory();
    options.log?.warn({ backend: 'memory' }, 'secrets backend: memory only (no data folder); secrets are lost at exit');
  } else {
    if (env.VAULT_ADDR) options.log?.warn('VAULT_ADDR is set without VAULT_TOKEN: using the local encrypted secret store');
    const dir = join(options.dataDir, 'secrets');
    const keyFile = env.ARIA_MASTER_KEY_FILE || join(dir, 'master.key');
    const { key, source } = await loadMasterKey(env.ARIA_MASTER_KEY, keyFile);
    store = await FileSecretStore.open(join(dir, 'secrets.enc'), key);
    options.log?.info({ backend: 'file', dir, key: source === 'env' ? 'ARIA_MASTER_KEY' : keyFile, newKey: source === 'new-file' }, 'secrets backend');
  }
  return new SecretsService(store);
}
