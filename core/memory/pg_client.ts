/**
 * SqlClient over a real PostgreSQL through a `npm:pg` pool. Each new connection gets the
 * session settings the HNSW search needs (iterative scans so filters do not starve results).
 */
// @ts-types="@types/pg"
import pg from "pg";
import type { Row, SqlClient, SqlQueryable } from "./sql_client.ts";

/** Options for {@link PgClient}. */
export interface PgClientOptions {
  url: string;
  /** Pool size; default 4. */
  max?: number;
  /** Statements run on every new connection, e.g. `SET search_path TO x`. */
  sessionSql?: string[];
  connectTimeoutMs?: number;
}

/** A pooled PostgreSQL connection. */
export class PgClient implements SqlClient {
  readonly engine = "postgres" as const;
  readonly #pool: pg.Pool;

  constructor(options: PgClientOptions) {
    this.#pool = new pg.Pool({
      connectionString: options.url,
      max: options.max ?? 4,
      connectionTimeoutMillis: options.connectTimeoutMs ?? 5_000,
    });
    const session = options.sessionSql ?? [];
    this.#pool.on("connect", (client) => {
      // Queued on the same client before any user query, so ordering is guaranteed.
      for (const sql of session) client.query(sql).catch(() => {});
    });
    // An idle client losing its connection must not crash the process; the next query retries.
    this.#pool.on("error", () => {});
  }

  /** Runs one parameterised query on any pooled connection. */
  async query<R extends Row = Row>(text: string, params: unknown[] = []): Promise<R[]> {
    const result = await this.#pool.query(text, params);
    return result.rows as R[];
  }

  /** Runs `fn` inside BEGIN/COMMIT on one connection. */
  async transaction<T>(fn: (tx: SqlQueryable) => Promise<T>): Promise<T> {
    const client = await this.#pool.connect();
    let broken = false;
    // A connection dropped while checked out emits "error" on the client; unhandled, it would
    // crash the process. The failing query rejects as well, which is what callers see.
    const onError = () => (broken = true);
    client.on("error", onError);
    try {
      await client.query("BEGIN");
      const tx: SqlQueryable = {
        query: async <R extends Row = Row>(text: string, params: unknown[] = []) =>
          (await client.query(text, params)).rows as R[],
      };
      const value = await fn(tx);
      await client.query("COMMIT");
      return value;
    } catch (e) {
      try {
        await client.query("ROLLBACK");
      } catch {
        broken = true;
      }
      throw e;
    } finally {
      client.off("error", onError);
      client.release(broken);
    }
  }

  /** Runs a multi-statement script. */
  async exec(sql: string): Promise<void> {
    await this.#pool.query(sql);
  }

  /** Ends the pool. */
  async close(): Promise<void> {
    await this.#pool.end();
  }
}
