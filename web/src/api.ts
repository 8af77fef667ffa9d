/**
 * Calls to the server's JSON API (`POST /v1/<service>/<Method>`), with the
 * bearer token when there is one. Every failure becomes an ApiError whose
 * message is fit to show a person: the server's own `{"code","message"}`
 * when it answered, else what went wrong on the way.
 */

const TOKEN_KEY = 'aria.accessToken';

/** The window event sent when the server refuses the kept token (its detail: the server's message). */
export const SESSION_ENDED = 'aria:session-ended';

/** A failed call: the gRPC code name (or NETWORK / BAD_ANSWER) and a message. */
export class ApiError extends Error {
  constructor(readonly code: string, message: string, readonly httpStatus = 0) {
    super(message);
  }
}

/** The access token kept for this tab (sessionStorage: gone when the tab closes). */
export function getToken(): string | undefined {
  return sessionStorage.getItem(TOKEN_KEY) ?? undefined;
}

/** Keeps (or, with undefined, forgets) the access token. */
export function setToken(token: string | undefined): void {
  if (token === undefined) sessionStorage.removeItem(TOKEN_KEY);
  else sessionStorage.setItem(TOKEN_KEY, token);
}

/** Calls `service/method` with `body`; resolves to the JSON answer or rejects with an ApiError. */
export async function call<T>(service: string, method: string, body: unknown, timeoutMs = 30_000): Promise<T> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  const token = getToken();
  if (token) headers.Authorization = `Bearer ${token}`;
  let res: Response;
  try {
    res = await fetch(`/v1/${service}/${method}`, { method: 'POST', headers, body: JSON.stringify(body), signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    const why = err instanceof DOMException && err.name === 'TimeoutError' ? `no answer within ${timeoutMs / 1000} s` : String((err as Error).message ?? err);
    throw new ApiError('NETWORK', `cannot reach the server: ${why}`);
  }
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ApiError('BAD_ANSWER', `the server answered HTTP ${res.status} with something that is not JSON: ${text.slice(0, 200)}`, res.status);
  }
  if (!res.ok) {
    const e = json as { code?: string; message?: string };
    // A token the server no longer takes (expired, revoked): forget it and let the page ask for a login again.
    if (e.code === 'UNAUTHENTICATED' && token && getToken() === token) {
      setToken(undefined);
      window.dispatchEvent(new CustomEvent(SESSION_ENDED, { detail: e.message ?? '' }));
    }
    throw new ApiError(e.code ?? `HTTP_${res.status}`, e.message ?? `HTTP ${res.status}`, res.status);
  }
  return json as T;
}

/** `CODE: message`, the way the page shows a failure. */
export function describe(err: unknown): string {
  if (err instanceof ApiError) return err.code === 'NETWORK' || err.code === 'BAD_ANSWER' ? err.message : `${err.code}: ${err.message}`;
  return String((err as Error)?.message ?? err);
}
