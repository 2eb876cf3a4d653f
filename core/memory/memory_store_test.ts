/** Runs the memory contract against PGlite (always) and PostgreSQL (when DATABASE_URL is set). */
import { serviceUrl } from "../testing/services.ts";
import { memoryContract } from "./memory_contract.ts";
import { testPglite, testPostgres } from "./testing.ts";

const pgUrl = serviceUrl("DATABASE_URL");

Deno.test("memory store contract on PGlite", async (t) => {
  const db = await testPglite();
  try {
    await memoryContract(t, db.sql);
  } finally {
    await db.cleanup();
  }
});

Deno.test({
  name: "memory store contract on PostgreSQL",
  ignore: !pgUrl,
  fn: async (t) => {
    const db = await testPostgres(pgUrl!);
    try {
      await memoryContract(t, db.sql);
    } finally {
      await db.cleanup();
    }
  },
});
