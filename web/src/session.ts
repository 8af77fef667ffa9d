/**
 * Logging in and out. A server started with --dev-no-auth accepts calls
 * without a token: the page finds that out by trying a harmless call first
 * and skips the login form when it works.
 */
import { ApiError, call, describe, getToken, SESSION_ENDED, setToken } from './api.js';
import { byId, showText } from './dom.js';

const AUTH = 'aria.auth.v1.AuthService';

/** Whether calls work as things stand (a token kept from before, or no auth on the server). */
export async function canCall(): Promise<boolean> {
  try {
    await call('aria.planner.v1.PlannerService', 'ListDomains', { name: '__aria_probe__' }, 15_000);
    return true;
  } catch (err) {
    if (err instanceof ApiError && err.code === 'UNAUTHENTICATED') {
      setToken(undefined);
      return false;
    }
    throw err;
  }
}

/** Shows the login form, or the app when `loggedIn`; `who` says who is working. */
export function showSignedIn(loggedIn: boolean, who: string): void {
  byId('login-section').hidden = loggedIn;
  byId('app').hidden = !loggedIn;
  byId('logout').hidden = !loggedIn || getToken() === undefined;
  showText('who', loggedIn ? who : '');
}

/** Wires the login form and the log-out button; `onLogin` runs after a successful login. */
export function wireSession(onLogin: (user: string) => void): void {
  const form = byId<HTMLFormElement>('login-form');
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const username = byId<HTMLInputElement>('login-user').value.trim();
    const password = byId<HTMLInputElement>('login-password').value;
    showText('login-error', '');
    const button = form.querySelector('button')!;
    button.disabled = true;
    call<{ tokens?: { accessToken?: string } }>(AUTH, 'Login', { username, password })
      .then((res) => {
        const token = res.tokens?.accessToken;
        if (!token) throw new ApiError('BAD_ANSWER', 'the server logged you in but sent no access token');
        setToken(token);
        sessionStorage.setItem('aria.user', username);
        byId<HTMLInputElement>('login-password').value = '';
        onLogin(username);
      })
      .catch((err: unknown) => showText('login-error', describe(err)))
      .finally(() => {
        button.disabled = false;
      });
  });
  window.addEventListener(SESSION_ENDED, (ev) => {
    sessionStorage.removeItem('aria.user');
    showSignedIn(false, '');
    showText('login-error', `Your session ended (${(ev as CustomEvent<string>).detail || 'the token was refused'}): log in again.`);
  });
  byId('logout').addEventListener('click', () => {
    // Revoking the token server-side would need the refresh token; forgetting it here ends this tab's session.
    setToken(undefined);
    sessionStorage.removeItem('aria.user');
    showSignedIn(false, '');
  });
}

/** The user name kept with the token, for the header. */
export function currentUser(): string | undefined {
  return sessionStorage.getItem('aria.user') ?? undefined;
}
