/** The memory actor in a real permission-restricted worker: PGlite, and PostgreSQL when set. */
import assert from "node:assert/strict";
import { ActorSystem } from "../core/actor_system.ts";
import { memoryLogger } from "../core/log.ts";
import { memoryPermissions } from "../core/memory/memory_permissions.ts";
import { serviceUrl } from "../core/testing/services.ts";
import { testPostgres } from "../core/memory/testing.ts";
import type { Memory, SearchHit } from "../core/memory/types.ts";

const ACTOR = new URL("./memory.ts", import.meta.url).href;
const pgUrl = serviceUrl("DATABASE_URL");

const AGENT = "00000000-0000-4000-8000-0000000000cc";

Deno.test("memory permissions name only the database host and the word vectors when a URL is set", () => {
  const p = memoryPermissions({
    database: { url: "postgres://u:pw@db.internal:5434/x", dataDir: "./data" },
    embedding: { dim: 384, baseUrl: "https://emb.example/v1", model: "m" },
  });
  assert.deepEqual(p.net, ["emb.example:443", "db.internal:5434"]);
  assert.deepEqual(p.write, []);
  const read = p.read as string[];
  assert.deepEqual(read, [
    new URL("../core/memory/data/word_vectors.wvec", import.meta.url).pathname,
  ]);
});

Deno.test("memory permissions for PGlite read its package and own the data dir", () => {
  const p = memoryPermissions({ database: { dataDir: "./data" }, embedding: { dim: 384 } });
  assert.equal(p.net, undefined);
  assert.deepEqual(p.write, ["./data/pglite"]);
  const read = p.read as string[];
  assert.ok(read.includes("./data/pglite"), read.join(","));
  assert.ok(read.some((r) => /@electric-sql\/pglite\/0\.5\.14$/.test(r)), read.join(","));
});

Deno.test("memory actor stores and searches inside a restricted worker (PGlite)", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "memory_actor_" });
  const { logger, records } = memoryLogger();
  const sys = new ActorSystem({ log: logger });
  try {
    const ref = await sys.spawn(ACTOR, {
      name: "memory",
      config: { database: { dataDir }, embedding: { dim: 384 } },
      readyTimeoutMs: 120_000,
    });
    const saved = await ref.ask<Memory>({
      type: "store",
      memory: { type: "facts", content: { text: "The stream raises money for otters" } },
    }, { timeoutMs: 60_000 });
    const hits = await ref.ask<SearchHit[]>({ type: "search", query: { text: "otters" } });
    assert.equal(hits[0]?.memory.id, saved.id);
    // Its permissions let it read the shipped word vector table.
    const warned = records.filter((r) => r.event === "memory_word_vectors");
    assert.deepEqual(warned, []);
    await assert.rejects(
      ref.ask({ type: "store", memory: { type: "notes", content: { text: "x" } } }),
      /Unknown memory type "notes"/,
    );
    // A tool_usage write retried with the same writeId lands once (the write queue retries).
    const usage = { agentId: AGENT, toolName: "send_to_vtuber", success: true, metadata: { c: 1 } };
    const first = await ref.ask({ type: "record_tool_usage", usage, writeId: "w-1" });
    const again = await ref.ask({ type: "record_tool_usage", usage, writeId: "w-1" });
    const other = await ref.ask({ type: "record_tool_usage", usage });
    assert.equal(first, again);
    assert.notEqual(first, other);
  } finally {
    await sys.shutdown(30_000);
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test({
  name: "memory actor reaches PostgreSQL with net to the database host only",
  ignore: !pgUrl,
  fn: async () => {
    const { logger } = memoryLogger();
    const sys = new ActorSystem({ log: logger });
    const db = await testPostgres(pgUrl!);
    // The actor gets a URL whose connection options select the scratch schema.
    const url = new URL(pgUrl!);
    url.searchParams.set("options", `-c search_path=${db.schema},public`);
    try {
      const ref = await sys.spawn(ACTOR, {
        name: "memory",
        config: { database: { url: url.href, dataDir: "./data" }, backfill: false },
        readyTimeoutMs: 60_000,
      });
      const stats = await ref.ask<{ engine: string }>({ type: "stats" });
      assert.equal(stats.engine, "postgres");
      const [row] = await db.sql.query(`SELECT count(*)::int AS n FROM memories`);
      assert.equal(row?.n, 0, "tables were created in the scratch schema");
    } finally {
      await sys.shutdown(30_000);
      await db.cleanup();
    }
  },
});
