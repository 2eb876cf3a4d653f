/**
 * Runs the memory contracts on PGlite (always) and PostgreSQL (when DATABASE_URL is set), each on
 * an empty database and on one with the platform's real schema and the old agent's rows.
 */
import { serviceUrl } from "../testing/services.ts";
import { memoryContract } from "./memory_contract.ts";
import { platformContract } from "./platform_contract.ts";
import { createPlatformDatabase } from "./platform_fixture.ts";
import type { SqlClient } from "./sql_client.ts";
import { type TestDatabase, testPglite, testPostgres } from "./testing.ts";

const pgUrl = serviceUrl("DATABASE_URL");

const engines: Array<[string, () => Promise<TestDatabase>, boolean]> = [
  ["PGlite", () => testPglite(), false],
  ["PostgreSQL", () => testPostgres(pgUrl!), !pgUrl],
];
const databases: Array<[string, (sql: SqlClient) => Promise<unknown>]> = [
  ["an empty database", () => Promise.resolve()],
  ["the platform's database", (sql) => createPlatformDatabase(sql)],
];

for (const [engine, open, ignore] of engines) {
  for (const [what, prepare] of databases) {
    Deno.test({
      name: `memory store contract on ${engine}, ${what}`,
      ignore,
      fn: async (t) => {
        const db = await open();
        try {
          await prepare(db.sql);
          await memoryContract(t, db.sql);
          await platformContract(t, db.sql);
        } finally {
          await db.cleanup();
        }
      },
    });
  }
}
