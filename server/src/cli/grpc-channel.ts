/**
 * How the CLI's remote commands (`aria plan --server`, `aria storage`)
 * reach a server: clear text by default; TLS with `--tls` (the system's
 * CAs) or `--tls-ca FILE` (ARIA_TLS_CA), plus `--tls-cert FILE --tls-key
 * FILE` (ARIA_TLS_CLIENT_CERT, ARIA_TLS_CLIENT_KEY) for a server that
 * requires client certificates; `--tls-server-name NAME`
 * (ARIA_TLS_SERVER_NAME) checks the certificate for NAME; the token comes
 * from ARIA_TOKEN. Kept apart from the commands so that each loads only
 * what it needs.
 */
import { readFileSync } from 'node:fs';
import { credentials, Metadata, type ChannelCredentials, type ChannelOptions } from '@grpc/grpc-js';
import { UsageError } from './usage-error.js';

/** The transport's flags, for parseArgs. */
export const TRANSPORT_ARGS = {
  tls: { type: 'boolean' },
  'tls-ca': { type: 'string' },
  'tls-cert': { type: 'string' },
  'tls-key': { type: 'string' },
  'tls-server-name': { type: 'string' },
} as const;

/** Clear text, or TLS when any TLS flag (or ARIA_TLS_CA) is given. */
export function channelCredentials(values: { tls?: boolean; 'tls-ca'?: string; 'tls-cert'?: string; 'tls-key'?: string }, env = process.env): ChannelCredentials {
  const ca = values['tls-ca'] || env.ARIA_TLS_CA || undefined;
  const cert = values['tls-cert'] || env.ARIA_TLS_CLIENT_CERT || undefined;
  const key = values['tls-key'] || env.ARIA_TLS_CLIENT_KEY || undefined;
  if (!values.tls && !ca && !cert && !key) return credentials.createInsecure();
  quietIpServerNameNotice();
  if (!cert !== !key) throw new UsageError('a client certificate needs both --tls-cert and --tls-key');
  const read = (file: string | undefined, flag: string) => {
    if (!file) return null;
    try {
      return readFileSync(file);
    } catch (err) {
      throw new UsageError(`cannot read ${flag} ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
  };
  return credentials.createSsl(read(ca, '--tls-ca'), read(key, '--tls-key'), read(cert, '--tls-cert'));
}

/**
 * grpc-js gives the dialled host as the TLS server name, and Node flags an
 * IP address there (DEP0123) on every connection. The certificate check is
 * unaffected (grpc-js checks the IP against the certificate itself), so for
 * a command-line user the notice is only noise on stderr; other warnings
 * still print.
 */
function quietIpServerNameNotice(): void {
  const listeners = process.listeners('warning');
  process.removeAllListeners('warning');
  process.on('warning', (w: Error & { code?: string }) => {
    if (w.code !== 'DEP0123') for (const l of listeners) l(w);
  });
}

/** Channel options: the TLS server name override when one is given. */
export function channelOptions(values: { 'tls-server-name'?: string }, env = process.env): ChannelOptions {
  const serverName = values['tls-server-name'] || env.ARIA_TLS_SERVER_NAME;
  return serverName ? { 'grpc.ssl_target_name_override': serverName } : {};
}

/** Call metadata with `authorization: Bearer <ARIA_TOKEN>` when a token is set (a server with auth on needs one). */
export function tokenMetadata(env = process.env): Metadata {
  const m = new Metadata();
  if (env.ARIA_TOKEN) m.set('authorization', `Bearer ${env.ARIA_TOKEN}`);
  return m;
}
