/** The face of secrets: everything other folders may use. */
export { openSecrets } from './open-secrets.js';
export { type SecretVersion } from './secret-store.js';
export { type SecretsService } from './secrets-service.js';
