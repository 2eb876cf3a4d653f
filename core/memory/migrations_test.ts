/**
 * Migrations against a database that already holds the platform's tables and rows: nothing is
 * dropped or rewritten, running twice is harmless, and the old rows become searchable.
 */
import assert from "node:assert/strict";
import { HashEmbedder } from "./hash_embedder.ts";
import { MemoryStore } from "./memory_store.ts";
import { migrate } from "./migrations.ts";
import { testPglite } from "./testing.ts";

const PLATFORM_SCHEMA = `
CREATE EXTENSION IF NOT EXISTS vector;
CREATE TABLE memories ("id" uuid PRIMARY KEY, "type" text NOT NULL,
  "createdAt" timestamptz DEFAULT now(), "content" jsonb NOT NULL, "entityId" uuid,
  "agentId" uuid, "roomId" uuid, "worldId" uuid, "unique" boolean DEFAULT true,
  "metadata" jsonb DEFAULT '{}', "legacyColumn" text);
CREATE TABLE embeddings (id uuid PRIMARY KEY, memory_id uuid NOT NULL REFERENCES memories(id)
  ON DELETE CASCADE, created_at timestamptz DEFAULT now(), dim_384 vector(384),
  dim_512 vector(512), dim_768 vector(768), dim_1024 vector(1024), dim_1536 vector(1536),
  dim_3072 vector(3072));
INSERT INTO memories ("id", "type", "content", "legacyColumn") VALUES
  ('11111111-1111-4111-8111-111111111111', 'facts',
   '{"text": "Goal: reach 500 followers by streaming cooking shows", "type": "goal"}', 'keep me'),
  ('22222222-2222-4222-8222-222222222222', 'messages', '{"text": "hello chat"}', 'keep me too');
`;

Deno.test("migrations keep the platform's rows and make them searchable", async () => {
  const db = await testPglite();
  try {
    await db.sql.exec(PLATFORM_SCHEMA);
    await migrate(db.sql, 384);
    await migrate(db.sql, 384);
    const rows = await db.sql.query(
      `SELECT "legacyColumn" AS c FROM memories ORDER BY "id"`,
    );
    assert.deepEqual(rows.map((r) => r.c), ["keep me", "keep me too"]);
    const store = await MemoryStore.open(db.sql, { embedder: new HashEmbedder(384) });
    assert.equal((await store.stats()).unembedded, 2);
    const done = await store.backfill();
    assert.deepEqual(done, { embedded: 2, remaining: 0 });
    const hits = await store.search({ text: "followers goal cooking" });
    assert.equal(hits[0]?.memory.id, "11111111-1111-4111-8111-111111111111");
    assert.equal(hits[0]?.vectorRank, 1);
  } finally {
    await db.cleanup();
  }
});

Deno.test("migrations refuse a dimension the platform has no column for", async () => {
  const db = await testPglite();
  try {
    await assert.rejects(migrate(db.sql, 100), /embedding dim 100 is not one of/);
  } finally {
    await db.cleanup();
  }
});
