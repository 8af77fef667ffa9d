/**
 * Messages between PgliteThreadDatabase (the server's thread) and the
 * thread that runs PGlite (pglite-thread.ts). Everything here crosses
 * postMessage, so it is plain data.
 */

/** What the thread is started with. */
export interface PgliteThreadConfig {
  /** PGlite's data folder; null: in memory. */
  dataDir: string | null;
}

/** A request; `id` matches the reply. `tx` runs a statement inside an open transaction. */
export type PgliteRequest =
  | { op: 'query'; id: number; sql: string; params: unknown[]; tx?: number }
  | { op: 'exec'; id: number; sql: string; tx?: number }
  /** Opens a transaction; the reply's value is its number. */
  | { op: 'begin'; id: number }
  /** Commits or rolls back an open transaction; the reply comes once it has ended. */
  | { op: 'end'; id: number; tx: number; commit: boolean }
  | { op: 'close'; id: number };

/** A failure as plain data: the message and the database error's fields (code, detail, constraint ...). */
export interface PlainError {
  name: string;
  message: string;
  fields: Record<string, string | number>;
}

/** The thread's answer to one request, or its first message (`id` 0: started, or why not). */
export type PgliteReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: PlainError };

/** An error as plain data; only string and number fields travel (a DatabaseError's are). */
export function toPlainError(err: unknown): PlainError {
  if (!(err instanceof Error)) return { name: 'Error', message: String(err), fields: {} };
  const fields: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(err)) {
    if (k !== 'message' && k !== 'name' && k !== 'stack' && (typeof v === 'string' || typeof v === 'number')) fields[k] = v;
  }
  return { name: err.name, message: err.message, fields };
}

/** The error again, on the other side: same message, name and fields (so `code` still gives the SQLSTATE). */
export function fromPlainError(e: PlainError): Error {
  const err = new Error(e.message);
  err.name = e.name;
  return Object.assign(err, e.fields);
}
