/** memory_save and memory_search against a real store (PGlite in memory) through the service. */
import assert from "node:assert/strict";
import memorySave from "./memory_save.ts";
import memorySearch from "./memory_search.ts";
import { memoryLogger } from "../core/log.ts";
import { HashEmbedder } from "../core/memory/hash_embedder.ts";
import { storeService } from "../core/memory/memory_service.ts";
import { MemoryStore } from "../core/memory/memory_store.ts";
import { testPglite } from "../core/memory/testing.ts";
import type { ToolContext } from "../core/tool.ts";

function ctx(services: Record<string, unknown>): ToolContext {
  return {
    signal: new AbortController().signal,
    log: memoryLogger().logger,
    params: {},
    services,
  };
}

Deno.test("memory_save writes an UPDATE_CONTEXT fact that memory_search finds", async () => {
  const db = await testPglite();
  try {
    const store = await MemoryStore.open(db.sql, { embedder: new HashEmbedder(384) });
    const c = ctx({ memory: storeService(store) });
    const input = memorySave.input.parse({
      text: "Viewers love the cooking segments",
      type: "insight",
      importance: "high",
    });
    const saved = await memorySave.run(input, c);
    const row = await store.get(saved.id);
    assert.equal(row?.type, "facts");
    assert.equal(row?.content.source, "autonomous_context_update");
    assert.equal(row?.content.type, "insight");
    assert.equal(row?.content.importance, "high");
    assert.equal(row?.content.category, "general");
    const found = await memorySearch.run(
      memorySearch.input.parse({ query: "what do viewers like about cooking?" }),
      c,
    );
    assert.equal(found.results[0]?.id, saved.id);
    assert.equal(found.results[0]?.text, "Viewers love the cooking segments");
  } finally {
    await db.cleanup();
  }
});

Deno.test("memory tools name the missing service", async () => {
  await assert.rejects(
    Promise.resolve().then(() =>
      memorySearch.run(memorySearch.input.parse({ query: "x" }), ctx({}))
    ),
    /ctx\.services\.memory must have search\(\) and save\(\)/,
  );
});

Deno.test("memory_save rejects an unknown kind of context", () => {
  assert.throws(() => memorySave.input.parse({ text: "x", type: "wish" }), /type/);
});
