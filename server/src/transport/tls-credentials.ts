/**
 * The server's transport: TLS from PEM files or from secrets, optionally
 * requiring client certificates signed by a given CA (mTLS), else clear
 * text. Clear text is fine on loopback only: `checkTransport` refuses a
 * server reachable from other machines without TLS unless the operator says
 * `--insecure`, because bearer tokens and passwords would cross the network
 * readable by anyone on the path.
 */
import { ServerCredentials } from '@grpc/grpc-js';
import { readFile } from 'node:fs/promises';
import { createSecureContext } from 'node:tls';
import { isLoopback } from '../services/auth/index.js';
import { ConfigError } from '../core/errors.js';

/** Where each PEM comes from: a file, or a secret whose value is the PEM text. */
export interface TlsSettings {
  certFile?: string;
  keyFile?: string;
  /** CA bundle that client certificates must chain to; given: every client needs a certificate. */
  clientCaFile?: string;
  certSecret?: string;
  keySecret?: string;
  clientCaSecret?: string;
}

/** Reads a secret's text (undefined when there is no such secret). */
export type SecretReader = (name: string) => Promise<string | undefined>;

/** True when any TLS setting is given. */
export function tlsRequested(s: TlsSettings | undefined): boolean {
  return !!s && Object.values(s).some((v) => typeof v === 'string' && v !== '');
}

/**
 * Refuses clear text on a non-loopback address unless `insecure`; returns
 * the warning to print when clear text was allowed that way.
 */
export function checkTransport(host: string, tls: TlsSettings | undefined, insecure: boolean): string | undefined {
  if (tlsRequested(tls) || isLoopback(host)) return undefined;
  if (!insecure) {
    throw new ConfigError(`refusing to listen on ${host} without TLS: give --tls-cert and --tls-key (or ARIA_TLS_CERT and ARIA_TLS_KEY), or --insecure to accept clear text`);
  }
  return `warning: listening on ${host} WITHOUT TLS (--insecure): tokens and passwords cross the network in clear text`;
}

/**
 * The grpc-js credentials for `settings`: TLS (mTLS with a client CA), or
 * insecure when nothing is set. Every problem (a file that cannot be read,
 * a missing secret, a key that does not match its certificate) is a
 * ConfigError naming the setting.
 */
export async function serverCredentials(settings: TlsSettings | undefined, readSecret?: SecretReader): Promise<ServerCredentials> {
  if (!settings || !tlsRequested(settings)) return ServerCredentials.createInsecure();
  const cert = await pem('certificate', '--tls-cert', settings.certFile, '--tls-cert-secret', settings.certSecret, readSecret);
  const key = await pem('private key', '--tls-key', settings.keyFile, '--tls-key-secret', settings.keySecret, readSecret);
  const ca = await pem('client CA', '--tls-client-ca', settings.clientCaFile, '--tls-client-ca-secret', settings.clientCaSecret, readSecret);
  if (!cert || !key) throw new ConfigError('TLS needs both a certificate (--tls-cert or --tls-cert-secret) and its private key (--tls-key or --tls-key-secret)');
  try {
    // grpc-js checks the PEM only when it binds, with a vaguer message; Node's own parser says what is wrong now.
    createSecureContext({ cert, key, ca: ca ?? undefined });
  } catch (err) {
    throw new ConfigError(`TLS certificate, key or client CA is not usable: ${(err as Error).message}`);
  }
  return ServerCredentials.createSsl(ca, [{ cert_chain: cert, private_key: key }], ca !== null);
}

async function pem(
  what: string, fileFlag: string, file: string | undefined, secretFlag: string, secret: string | undefined,
  readSecret: SecretReader | undefined,
): Promise<Buffer | null> {
  if (file && secret) throw new ConfigError(`give the TLS ${what} as ${fileFlag} or as ${secretFlag}, not both`);
  if (file) {
    try {
      return await readFile(file);
    } catch (err) {
      throw new ConfigError(`cannot read the TLS ${what} (${fileFlag}) ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
  }
  if (secret) {
    if (!readSecret) throw new ConfigError(`${secretFlag} needs the secrets service`);
    const text = await readSecret(secret);
    if (!text) throw new ConfigError(`the TLS ${what} secret ${JSON.stringify(secret)} (${secretFlag}) does not exist or is empty`);
    return Buffer.from(text);
  }
  return null;
}
