/**
 * SqlClient over embedded PGlite with pgvector, persisted under a data directory (or in memory
 * when `dataDir` is omitted). Uses `@electric-sql/pglite-pgvector`: the `/vector` export of
 * pglite itself is gone in 0.5.x (see ../shared/notes/deno-measurements.md Q6).
 */
import { PGlite } from "@electric-sql/pglite";
import { vector } from "@electric-sql/pglite-pgvector";
import type { Row, SqlClient, SqlQueryable } from "./sql_client.ts";

/** The embedded engine; one connection, serialised by PGlite itself. */
export class PgliteClient implements SqlClient {
  readonly engine = "pglite" as const;
  readonly #db: PGlite;

  private constructor(db: PGlite) {
    this.#db = db;
  }

  /** Opens (creating if needed) the database in `dataDir`; in memory when undefined. */
  static async open(dataDir?: string, sessionSql: string[] = []): Promise<PgliteClient> {
    if (dataDir) await Deno.mkdir(dataDir, { recursive: true });
    const db = await PGlite.create({
      ...(dataDir ? { dataDir } : {}),
      extensions: { vector },
    });
    await db.exec("CREATE EXTENSION IF NOT EXISTS vector");
    for (const sql of sessionSql) {
      try {
        await db.exec(sql);
      } catch {
        // An optional tuning setting the engine does not know; search still works without it.
      }
    }
    return new PgliteClient(db);
  }

  /** Runs one parameterised query. */
  async query<R extends Row = Row>(text: string, params: unknown[] = []): Promise<R[]> {
    const result = await this.#db.query<R>(text, params);
    return result.rows;
  }

  /** Runs `fn` in one transaction. */
  transaction<T>(fn: (tx: SqlQueryable) => Promise<T>): Promise<T> {
    return this.#db.transaction(async (t) => {
      const tx: SqlQueryable = {
        query: async <R extends Row = Row>(text: string, params: unknown[] = []) =>
          (await t.query<R>(text, params)).rows,
      };
      return await fn(tx);
    });
  }

  /** Runs a multi-statement script. */
  async exec(sql: string): Promise<void> {
    await this.#db.exec(sql);
  }

  /** Closes the engine, flushing to the data directory. */
  async close(): Promise<void> {
    if (!this.#db.closed) await this.#db.close();
  }
}
