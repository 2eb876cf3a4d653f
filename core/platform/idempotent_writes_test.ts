/** Retried writes do not duplicate rows. */
import assert from "node:assert/strict";
import { HashEmbedder } from "../memory/hash_embedder.ts";
import { MemoryStore } from "../memory/memory_store.ts";
import { testPglite } from "../memory/testing.ts";
import { saveOnce } from "./idempotent_writes.ts";
import { memoryFromStore } from "./platform_services.ts";

const AGENT = "00000000-0000-4000-8000-0000000000bb";

Deno.test("a retried tool_usage write with the same writeId inserts one row", async () => {
  const db = await testPglite();
  try {
    const store = await MemoryStore.open(db.sql, { embedder: new HashEmbedder(384) });
    const usage = {
      agentId: AGENT,
      toolName: "send_to_vtuber",
      success: true,
      executionTimeMs: 12,
    };
    const a = await store.recordToolUsage(usage, "w-1");
    const b = await store.recordToolUsage(usage, "w-1");
    const c = await store.recordToolUsage(usage, "w-2");
    assert.equal(a, b);
    assert.notEqual(a, c);
    const rows = await db.sql.query("SELECT 1 FROM tool_usage");
    assert.equal(rows.length, 2);
  } finally {
    await db.cleanup();
  }
});

Deno.test("a retried memory save that already committed counts as saved", async () => {
  const db = await testPglite();
  try {
    const store = await MemoryStore.open(db.sql, { embedder: new HashEmbedder(384) });
    const write = saveOnce(memoryFromStore(store, AGENT), {
      type: "memories",
      content: { text: "cycle 1: send_to_vtuber ok" },
    });
    await write();
    await write();
    const rows = await db.sql.query(`SELECT 1 FROM memories`);
    assert.equal(rows.length, 1);
  } finally {
    await db.cleanup();
  }
});
