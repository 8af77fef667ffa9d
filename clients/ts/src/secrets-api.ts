/** SecretsService, typed: versioned secrets by path (every call needs the admin role). */
import {
  DeleteSecretRequest, GetSecretRequest, ListSecretsRequest, PutSecretRequest, type SecretMetadata, type SecretsServiceClient,
} from './gen/aria/secrets/v1/secrets.js';
import { unaryCall, type CallSettings } from './call-settings.js';

export type { SecretMetadata };

/** The calls of aria.secrets.v1.SecretsService. */
export class SecretsApi {
  /** @param raw the generated client; @param deadlineMs the default deadline */
  constructor(readonly raw: SecretsServiceClient, private readonly deadlineMs?: number) {}

  /**
   * Stores a new version of a secret (strings as UTF-8). `cas`: write only
   * when the latest version is this one (0: only when the secret does not exist).
   */
  async put(path: string, value: string | Uint8Array, settings: CallSettings & { cas?: number } = {}): Promise<SecretMetadata> {
    const req: PutSecretRequest = { path, value: typeof value === 'string' ? Buffer.from(value, 'utf8') : Buffer.from(value) };
    if (settings.cas !== undefined) req.checkAndSet = { $case: 'cas', cas: settings.cas };
    return (await unaryCall(this.raw, this.raw.putSecret, req, settings, this.deadlineMs)).metadata!;
  }

  /** One version of a secret (the latest unless `version` is given). */
  async get(path: string, settings: CallSettings & { version?: number } = {}): Promise<{ metadata: SecretMetadata; value: Buffer }> {
    const res = await unaryCall(this.raw, this.raw.getSecret, GetSecretRequest.fromPartial({ path, version: settings.version ?? 0 }), settings, this.deadlineMs);
    return { metadata: res.metadata!, value: res.value };
  }

  /** The paths under a prefix ("" for all), sorted. */
  async list(prefix = '', settings: CallSettings = {}): Promise<string[]> {
    return (await unaryCall(this.raw, this.raw.listSecrets, ListSecretsRequest.fromPartial({ prefix }), settings, this.deadlineMs)).paths;
  }

  /** Removes a secret with all its versions; false when there was none. */
  async delete(path: string, settings: CallSettings = {}): Promise<boolean> {
    return (await unaryCall(this.raw, this.raw.deleteSecret, DeleteSecretRequest.fromPartial({ path }), settings, this.deadlineMs)).deleted;
  }
}
