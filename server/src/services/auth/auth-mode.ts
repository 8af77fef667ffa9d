/**
 * Whether the server checks tokens. Authentication is on unless the
 * development switch turns it off, and the switch is refused unless the
 * server binds to a loopback address: a server that other machines can
 * reach always checks tokens.
 */
import { ConfigError } from '../../core/errors.js';

/** On: every call but health, reflection, Login and RefreshToken needs a token. Off: everyone is an admin. */
export type AuthMode = 'on' | 'off';

/** True for addresses only this machine can reach. */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h) || h === '::ffff:127.0.0.1';
}

/** The mode for a server on `host`; `devNoAuth` is the development switch (--dev-no-auth, ARIA_DEV_NO_AUTH=1). */
export function resolveAuthMode(host: string, devNoAuth: boolean): AuthMode {
  if (!devNoAuth) return 'on';
  if (!isLoopback(host)) {
    throw new ConfigError(`authentication can only be switched off (--dev-no-auth, ARIA_DEV_NO_AUTH) on a loopback address; ${host} is reachable from other machines`);
  }
  return 'off';
}
