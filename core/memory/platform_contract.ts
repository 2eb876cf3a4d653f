/**
 * The memory store's contract with the platform's database, run by `memory_store_test.ts` on
 * every engine, on an empty database and on the platform's: writes create what the ElizaOS
 * foreign keys need, `unique` is ElizaOS's, each memory keeps one `embeddings` row, another
 * model's vectors are never scored against ours, and old-format archive rows are found.
 */
import assert from "node:assert/strict";
import { HashEmbedder } from "./hash_embedder.ts";
import { MemoryStore } from "./memory_store.ts";
import { elizaTablesExist } from "./migrations.ts";
import { foreignVector } from "./platform_fixture.ts";
import type { SqlClient } from "./sql_client.ts";
import { oldGetMemories, oldRetrieveFromArchive } from "./old_agent_reads.ts";

const uuid = () => crypto.randomUUID();
const vec = (v: number[]) => `[${v.join(",")}]`;

/** Runs the platform steps against `sql`. */
export async function platformContract(t: Deno.TestContext, sql: SqlClient): Promise<void> {
  const owner = { agentId: uuid() };
  const store = await MemoryStore.open(sql, { embedder: new HashEmbedder(384), owner });
  assert.ok(await elizaTablesExist(sql), "an empty database gets the ElizaOS schema");

  /** A memory as the old agent left it: its own room, a vector of another model in `dim`. */
  const oldMemory = async (text: string, dim: number) => {
    const id = uuid();
    const room = uuid();
    await sql.query(`INSERT INTO rooms ("id", "source", "type") VALUES ($1, 'auto', 'SELF')`, [
      room,
    ]);
    await sql.query(
      `INSERT INTO memories ("id", "type", "content", "roomId") VALUES ($1, 'messages', $2, $3)`,
      [id, JSON.stringify({ text }), room],
    );
    await sql.query(
      `INSERT INTO embeddings ("id", "memory_id", "dim_${dim}") VALUES ($1, $2, $3::vector)`,
      [uuid(), id, vec(foreignVector(text, dim))],
    );
    return { id, room };
  };

  await t.step(
    "a write naming new agents, rooms, worlds and entities satisfies the keys",
    async () => {
      const [agent, room, world, entity] = [uuid(), uuid(), uuid(), uuid()];
      const m = await store.store({
        type: "messages",
        content: { text: "a viewer joined the raid" },
        agentId: agent,
        roomId: room,
        worldId: world,
        entityId: entity,
      });
      const count = async (table: string, id: string) =>
        (await sql.query(`SELECT 1 FROM ${table} WHERE "id" = $1`, [id])).length;
      assert.deepEqual(
        [await count("agents", agent), await count("rooms", room), await count("worlds", world)],
        [1, 1, 1],
      );
      assert.equal(await count("entities", entity), 1);
      assert.equal((await store.get(m.id))?.worldId, world);
      await store.store({ type: "messages", content: { text: "and again" }, roomId: room });
      const usage = await store.recordToolUsage({ agentId: uuid(), toolName: "t", success: true });
      assert.ok(usage > 0, "tool_usage.agent_id has its agents row");
      assert.equal(await store.forget(m.id), true, "vectors go first, so the delete passes");
    },
  );

  await t.step("a near repeat in the same scope is stored with unique false", async () => {
    const room = uuid();
    const base = { type: "facts" as const, roomId: room, agentId: owner.agentId };
    const first = await store.store({ ...base, content: { text: "Chat loves the cat stories" } });
    const again = await store.store({ ...base, content: { text: "Chat loves the cat stories" } });
    const other = await store.store({
      ...base,
      roomId: uuid(),
      content: { text: "Chat loves the cat stories" },
    });
    assert.deepEqual([first.unique, again.unique, other.unique], [true, false, true]);
    const unique = await oldGetMemories(sql, { tableName: "facts", unique: true, roomId: room });
    assert.deepEqual(unique.map((r) => r.id), [first.id], "the old agent's unique read skips it");
  });

  await t.step("backfill fills the existing embeddings row: one row per memory", async () => {
    const { id, room } = await oldMemory("a legacy note about quantum gardening", 768);
    await store.backfill();
    const rows = await sql.query<{ has384: boolean; has768: boolean }>(
      `SELECT dim_384 IS NOT NULL AS has384, dim_768 IS NOT NULL AS has768 FROM embeddings
       WHERE memory_id = $1`,
      [id],
    );
    assert.deepEqual(rows.map((r) => [r.has384, r.has768]), [[true, true]]);
    assert.equal((await oldGetMemories(sql, { tableName: "messages", roomId: room })).length, 1);
    assert.deepEqual((await store.get(id))?.metadata.embeddingModels, {
      dim_384: store.embedder.model,
    });
    const hit = await store.search({ text: "quantum gardening", roomId: room });
    assert.equal(hit[0]?.vectorRank, 1, "our vector is searched");
  });

  await t.step("vectors another model made are kept and never scored against ours", async () => {
    const { id, room } = await oldMemory("the stream schedule moved to fridays", 384);
    await store.backfill();
    const [row] = await sql.query<{ v: string }>(
      `SELECT dim_384::text AS v FROM embeddings WHERE memory_id = $1`,
      [id],
    );
    const kept = JSON.parse(row!.v) as number[];
    assert.ok(
      Math.abs(kept[0]! - foreignVector("the stream schedule moved to fridays")[0]!) < 1e-6,
    );
    const hits = await store.search({ text: "stream schedule fridays", roomId: room });
    assert.equal(hits[0]?.memory.id, id, "found by its words");
    assert.equal(hits[0]?.vectorRank, undefined, "its vector is not compared with the query's");
  });

  await t.step("archive rows in the old agent's format are found by archive search", async () => {
    const memoryId = uuid();
    await sql.query(
      `INSERT INTO agents ("id", "bio") VALUES ($1, '""') ON CONFLICT DO NOTHING`,
      [owner.agentId],
    );
    await sql.query(
      `INSERT INTO context_archive (agent_id, archived_content, importance_score, archive_reason)
       VALUES ($1, $2::jsonb, 0.2, 'automatic_archival')`,
      [
        owner.agentId,
        JSON.stringify({
          memory_id: memoryId,
          content: { text: "the marathon of retro platformers" },
          metadata: {},
          created_at: "2026-01-02T03:04:05.000Z",
          type: "messages",
        }),
      ],
    );
    const hits = await store.search({
      text: "retro platformers marathon",
      agentId: owner.agentId,
      includeArchived: true,
    });
    const hit = hits.find((h) => h.archived);
    assert.equal(hit?.memory.id, memoryId);
    assert.equal(hit?.memory.createdAt.toISOString(), "2026-01-02T03:04:05.000Z");
    assert.equal(hit?.memory.agentId, owner.agentId);
  });

  await t.step(
    "archived rows are written in the old agent's format and it reads them",
    async () => {
      const agent = uuid();
      const old = new Date(Date.now() - 72 * 3_600_000);
      const [m] = await store.storeMany([{
        type: "memories",
        agentId: agent,
        content: { text: "an unimportant banana remark" },
        importance: 0.1,
        createdAt: old,
      }]);
      assert.deepEqual(await store.archive({ agentId: agent, keepActive: 0 }), [m!.id]);
      const [found] = await oldRetrieveFromArchive(sql, agent, "banana");
      assert.equal(found?.memory_id, m!.id);
      assert.equal((found?.content as { text: string }).text, "an unimportant banana remark");
      assert.equal(found?.type, "memories");
    },
  );
}
