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

/** Sends the request; a failure to get an answer at all is an ApiError NETWORK. */
async function send(service: string, method: string, body: unknown, token: string | undefined, timeoutMs: number): Promise<Response> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  try {
    return await fetch(`/v1/${service}/${method}`, { method: 'POST', headers, body: JSON.stringify(body), signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    throw networkError(err, timeoutMs);
  }
}

function networkError(err: unknown, timeoutMs: number): ApiError {
  const why = err instanceof DOMException && err.name === 'TimeoutError' ? `no answer within ${timeoutMs / 1000} s` : String((err as Error).message ?? err);
  return new ApiError('NETWORK', `cannot reach the server: ${why}`);
}

/** Calls `service/method` with `body`; resolves to the JSON answer or rejects with an ApiError. */
export async function call<T>(service: string, method: string, body: unknown, timeoutMs = 30_000): Promise<T> {
  const token = getToken();
  const res = await send(service, method, body, token, timeoutMs);
  return answer<T>(res, token);
}

/**
 * Calls a server-streaming method, whose answer is NDJSON (one JSON object a
 * line), handing each object to `onMessage` as it arrives, so a long stream
 * shows progress. A stream that fails after its first message ends with a
 * line `{"error": {"code", "message"}}`: that rejects with an ApiError.
 */
export async function callStream(service: string, method: string, body: unknown, onMessage: (msg: unknown) => void, timeoutMs = 120_000): Promise<void> {
  const token = getToken();
  const res = await send(service, method, body, token, timeoutMs);
  if (!res.ok || !res.body) return void (await answer<unknown>(res, token));
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let rest = '';
  const line = (text: string): void => {
    if (text.trim() === '') return;
    const msg = JSON.parse(text) as { error?: { code?: string; message?: string } };
    if (msg.error) throw new ApiError(msg.error.code ?? 'UNKNOWN', msg.error.message ?? '');
    onMessage(msg);
  };
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      const lines = (rest + decoder.decode(value, { stream: true })).split('\n');
      rest = lines.pop() ?? '';
      lines.forEach(line);
    }
  } catch (err) {
    if (err instanceof ApiError) throw err;
    if (err instanceof SyntaxError) throw new ApiError('BAD_ANSWER', `a line of the stream is not JSON: ${err.message}`);
    throw networkError(err, timeoutMs);
  }
  line(rest);
}

/** The answer's JSON, or the ApiError its status and body say. */
async function answer<T>(res: Response, token: string | undefined): Promise<T> {
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
