/**
 * PGlite: PostgreSQL compiled to WebAssembly, in this process, with its
 * files in a data folder (or in memory). One connection, serialised by
 * PGlite itself; nothing to reconnect. Several PgliteDatabase objects may
 * share one instance, each with its own schema (tests do).
 */
import { PGlite } from '@electric-sql/pglite';
import { mkdir } from 'node:fs/promises';
import { checkSchema, qualify, type Database, type Queryable } from './database.js';

/** A Database on PGlite. */
export class PgliteDatabase implements Database {
  readonly kind = 'pglite';
  readonly schema: string;

  private constructor(
    private readonly pg: PGlite,
    schema: string,
    private readonly owned: boolean,
  ) {
    this.schema = checkSchema(schema);
  }

  /** Opens PGlite in `dataDir` (created when missing; null: in memory). */
  static async open(dataDir: string | null, schema: string): Promise<PgliteDatabase> {
    if (dataDir !== null) await mkdir(dataDir, { recursive: true });
    const pg = await PGlite.create(dataDir === null ? {} : { dataDir });
    return new PgliteDatabase(pg, schema, true);
  }

  /** A database on an instance that someone else opened and will close. */
  static on(pg: PGlite, schema: string): PgliteDatabase {
    return new PgliteDatabase(pg, schema, false);
  }

  t(name: string): string {
    return qualify(this.schema, name);
  }

  async query<R = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<R[]> {
    return (await this.pg.query<R>(sql, params)).rows;
  }

  async exec(sql: string): Promise<void> {
    await this.pg.exec(sql);
  }

  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.pg.transaction((tx) =>
      fn({
        query: async <R>(sql: string, params: unknown[] = []) => (await tx.query<R>(sql, params)).rows,
        exec: async (sql: string) => {
          await tx.exec(sql);
        },
      }),
    );
  }

  async close(): Promise<void> {
    if (this.owned && !this.pg.closed) await this.pg.close();
  }
}
