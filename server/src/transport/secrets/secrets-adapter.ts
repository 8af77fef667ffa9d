/**
 * The SecretsService gRPC adapter: decodes requests, calls the service,
 * encodes responses. Clients cannot reach the server's own `system/` paths.
 * Values travel only in GetSecret's response body; they are never logged.
 */
import type { SecretsServiceServer, SecretMetadata } from '../../../../gen/ts/aria/secrets/v1/secrets.js';
import { authedUnary, type ServerContext } from '../handler.js';
import type { SecretVersion, SecretsService } from '../../services/secrets/index.js';

/** The handlers of aria.secrets.v1.SecretsService. */
export function secretsServiceHandlers(service: SecretsService, ctx: ServerContext): SecretsServiceServer {
  return {
    putSecret: authedUnary(ctx, 'PutSecret', async (req) => ({ metadata: meta(await service.clientPut(req.path, req.value, req.checkAndSet?.cas)) })),
    getSecret: authedUnary(ctx, 'GetSecret', async (req) => {
      const { meta: m, value } = await service.clientGet(req.path, req.version);
      return { metadata: meta(m), value: value.reveal() };
    }),
    listSecrets: authedUnary(ctx, 'ListSecrets', async (req) => ({ paths: await service.clientList(req.prefix) })),
    deleteSecret: authedUnary(ctx, 'DeleteSecret', async (req) => ({ deleted: await service.clientDelete(req.path) })),
  };
}

function meta(v: SecretVersion): SecretMetadata {
  return { path: v.path, version: v.version, createdUnixMs: v.createdUnixMs };
}
