/**
 * The one interface both database engines implement: parameterised queries and transactions.
 * The memory store only talks to this, so PostgreSQL (npm:pg) and PGlite share every query.
 */

/** A row as returned by the driver. */
export type Row = Record<string, unknown>;

/** Something that runs a parameterised query. */
export interface SqlQueryable {
  /** Runs `text` with `$1..$n` bound to `params`; returns the rows. */
  query<R extends Row = Row>(text: string, params?: unknown[]): Promise<R[]>;
}

/** A database connection (pool or embedded engine). */
export interface SqlClient extends SqlQueryable {
  /** "postgres" or "pglite": for logs and stats only, never for SQL dialect switches. */
  readonly engine: "postgres" | "pglite";
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: SqlQueryable) => Promise<T>): Promise<T>;
  /** Runs several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * True for errors where the database went away (connection refused or reset, server shutdown,
 * SQLSTATE class 08 / 57P0x): the operation may be retried.
 */
export function isTransientDbError(e: unknown): boolean {
  if (!(e instanceof Error)) return false;
  const code = (e as { code?: unknown }).code;
  if (typeof code === "string") {
    if (code.startsWith("08") || /^57P0[1-3]$/.test(code)) return true;
    if (["ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "ENOTFOUND"].includes(code)) {
      return true;
    }
  }
  return /Connection terminated|connection refused|ECONNRE|socket hang up|Client has encountered a connection error|timeout exceeded when trying to connect/i
    .test(e.message);
}
