/**
 * Test helpers: open a throw-away database on either engine. PGlite runs in memory; PostgreSQL
 * gets a fresh schema (`mem_test_<random>`) on the search_path so parallel runs never collide,
 * dropped again by `cleanup`.
 */
import { SEARCH_SESSION_SQL } from "./migrations.ts";
import { PgClient } from "./pg_client.ts";
import { PgliteClient } from "./pglite_client.ts";
import type { SqlClient } from "./sql_client.ts";

/** A disposable database. */
export interface TestDatabase {
  sql: SqlClient;
  /** The scratch schema (PostgreSQL only). */
  schema?: string;
  /** Closes the client and drops what the test created. */
  cleanup(): Promise<void>;
}

/** An in-memory PGlite with pgvector (or persisted under `dataDir`). */
export async function testPglite(dataDir?: string): Promise<TestDatabase> {
  const sql = await PgliteClient.open(dataDir, SEARCH_SESSION_SQL);
  return { sql, cleanup: () => sql.close() };
}

/** A fresh schema in the PostgreSQL at `url`; pgvector must be installable there. */
export async function testPostgres(url: string): Promise<TestDatabase> {
  const schema = `mem_test_${crypto.randomUUID().replaceAll("-", "").slice(0, 12)}`;
  const admin = new PgClient({ url, max: 1 });
  await admin.exec(`CREATE EXTENSION IF NOT EXISTS vector; CREATE SCHEMA ${schema}`);
  const sql = new PgClient({
    url,
    sessionSql: [`SET search_path TO ${schema}, public`, ...SEARCH_SESSION_SQL],
  });
  return {
    sql,
    schema,
    cleanup: async () => {
      await sql.close();
      await admin.exec(`DROP SCHEMA ${schema} CASCADE`);
      await admin.close();
    },
  };
}
