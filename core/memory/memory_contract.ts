/**
 * The contract every engine must pass, written once: `memory_store_test.ts` runs it against
 * PGlite always and against PostgreSQL when DATABASE_URL is set, each both on an empty database
 * and on one with the platform's real schema and the old agent's rows. Each step uses its own
 * room or agent id, so steps share one database without seeing each other's rows.
 */
import assert from "node:assert/strict";
import { HashEmbedder } from "./hash_embedder.ts";
import { MemoryStore } from "./memory_store.ts";
import { MemoryInputError, MemoryNotFoundError } from "./errors.ts";
import { contextFactMemory, latestFacts } from "./platform_rows.ts";
import { elizaTablesExist } from "./migrations.ts";
import type { SqlClient } from "./sql_client.ts";
import type { NewMemory } from "./types.ts";

const uuid = () => crypto.randomUUID();
const HOUR = 3_600_000;

/** Runs every contract step against `sql` (already empty or freshly created). */
export async function memoryContract(t: Deno.TestContext, sql: SqlClient): Promise<void> {
  const store = await MemoryStore.open(sql, { embedder: new HashEmbedder(384), maxTextChars: 500 });
  const eliza = await elizaTablesExist(sql);
  const msg = (roomId: string, text: string, extra: Partial<NewMemory> = {}): NewMemory => ({
    type: "messages",
    content: { text },
    roomId,
    ...extra,
  });

  await t.step("store then get returns the same row", async () => {
    const room = uuid();
    const saved = await store.store(
      msg(room, "Caroline went to a support group", { importance: 0.8 }),
    );
    const got = await store.get(saved.id);
    assert.equal(got?.content.text, "Caroline went to a support group");
    assert.equal(got?.type, "messages");
    assert.equal(got?.roomId, room);
    assert.equal(got?.metadata.importance, 0.8);
    assert.equal(await store.get(uuid()), null);
  });

  await t.step("memory search ranks the evidence turn first", async () => {
    const room = uuid();
    await store.storeMany([
      msg(room, "I adopted a puppy named Rex last week"),
      msg(room, "The weather has been rainy all month"),
      msg(room, "My sister is painting a sunrise over the lake"),
      msg(room, "We went camping in the mountains with the kids"),
    ]);
    const hits = await store.search({ text: "Who painted the sunrise?", roomId: room, limit: 3 });
    assert.match(hits[0]!.memory.content.text, /painting a sunrise/);
    assert.ok(hits.every((h) => h.memory.roomId === room));
    const dog = await store.search({ text: "puppies", roomId: room, limit: 1 });
    assert.match(dog[0]!.memory.content.text, /puppy/);
  });

  await t.step("memory search favours what the person the query names said", async () => {
    const room = uuid();
    await store.storeMany([
      msg(room, "Ana: Bo and I went to the pottery class on Sunday", {
        content: { text: "Ana: Bo and I went to the pottery class on Sunday", speaker: "Ana" },
      }),
      msg(room, "Bo: Ana and I went to the pottery class on Sunday", {
        content: { text: "Bo: Ana and I went to the pottery class on Sunday", speaker: "Bo" },
      }),
    ]);
    const hits = await store.search({ text: "Which class did Bo go to?", roomId: room });
    assert.equal(hits[0]!.memory.content.speaker, "Bo");
  });

  await t.step("search filters by type, agent and time range", async () => {
    const room = uuid();
    const agent = uuid();
    const now = Date.now();
    await store.storeMany([
      msg(room, "the launch plan is ready", { createdAt: new Date(now - 10 * HOUR) }),
      { ...msg(room, "the launch plan needs review"), type: "facts", agentId: agent },
      msg(room, "the launch plan was delayed", { createdAt: new Date(now - 100 * HOUR) }),
    ]);
    const facts = await store.search({ text: "launch plan", roomId: room, type: "facts" });
    assert.deepEqual(facts.map((h) => h.memory.content.text), ["the launch plan needs review"]);
    const byAgent = await store.search({ text: "launch plan", agentId: agent });
    assert.equal(byAgent.length, 1);
    const recent = await store.search({
      text: "launch plan",
      roomId: room,
      since: new Date(now - 50 * HOUR),
      until: new Date(now - HOUR),
    });
    assert.deepEqual(recent.map((h) => h.memory.content.text), ["the launch plan is ready"]);
  });

  await t.step("importance and recency weighting reorder equal matches", async () => {
    const room = uuid();
    const now = Date.now();
    const [minor, major] = await store.storeMany([
      msg(room, "raid night with the guild", { importance: 0.1, createdAt: new Date(now - 1000) }),
      msg(room, "raid night with the guild!", {
        importance: 0.9,
        createdAt: new Date(now - 500 * HOUR),
      }),
    ]);
    const byImportance = await store.search({
      text: "raid night",
      roomId: room,
      importanceWeight: 2,
    });
    assert.deepEqual(byImportance.map((h) => h.memory.id), [major!.id, minor!.id]);
    const byRecency = await store.search({ text: "raid night", roomId: room, recencyWeight: 2 });
    assert.deepEqual(byRecency.map((h) => h.memory.id), [minor!.id, major!.id]);
  });

  await t.step("search collapses duplicate texts", async () => {
    const room = uuid();
    await store.storeMany([msg(room, "Stream starts at 8pm"), msg(room, "stream starts  at 8pm")]);
    await store.store(msg(room, "Chat asked about the stream schedule"));
    const hits = await store.search({ text: "when does the stream start", roomId: room });
    assert.equal(hits.filter((h) => /8pm/.test(h.memory.content.text)).length, 1);
  });

  await t.step("a superseding fact hides the old one but keeps it", async () => {
    const room = uuid();
    const old = await store.store({ ...msg(room, "My favourite colour is blue"), type: "facts" });
    const next = await store.supersede(old.id, {
      ...msg(room, "My favourite colour is green now"),
      type: "facts",
    });
    const hits = await store.search({ text: "favourite colour", roomId: room });
    assert.deepEqual(hits.map((h) => h.memory.id), [next.id]);
    assert.equal((await store.get(old.id))?.metadata.supersededBy, next.id);
    assert.equal((await store.get(next.id))?.metadata.supersedes, old.id);
    const all = await store.search({
      text: "favourite colour",
      roomId: room,
      includeSuperseded: true,
    });
    assert.equal(all.length, 2);
    await assert.rejects(store.supersede(uuid(), msg(room, "x")), MemoryNotFoundError);
  });

  await t.step("update re-embeds and forget deletes", async () => {
    const room = uuid();
    const m = await store.store(msg(room, "the password hint is tulips"));
    await store.update(m.id, {
      content: { text: "the meeting moved to thursday" },
      importance: 0.1,
    });
    const hits = await store.search({ text: "meeting thursday", roomId: room });
    assert.equal(hits[0]?.memory.id, m.id);
    assert.equal(hits[0]?.memory.metadata.importance, 0.1);
    assert.equal(hits[0]?.vectorRank, 1);
    assert.equal(await store.forget(m.id), true);
    assert.equal(await store.forget(m.id), false);
    assert.deepEqual(await store.search({ text: "meeting thursday", roomId: room }), []);
    await assert.rejects(store.update(uuid(), { importance: 0.5 }), MemoryNotFoundError);
  });

  await t.step("bad input gets a clear error naming what was wrong", async () => {
    const room = uuid();
    const taken = await store.store(msg(room, "first"));
    const cases: [() => Promise<unknown>, RegExp][] = [
      [
        () => store.store(msg(room, "second", { id: taken.id })),
        /A memory with id "[0-9a-f-]+" already exists/,
      ],
      [() => store.store(msg(room, "   ")), /content\.text is empty/],
      [() => store.store(msg(room, "x".repeat(501))), /too long: 501 characters, the limit is 500/],
      [
        () => store.store(msg(room, "ok", { embedding: [1, 2, 3] })),
        /3 dimensions, the store uses 384/,
      ],
      [
        () => store.store({ ...msg(room, "ok"), type: "notes" as "facts" }),
        /Unknown memory type "notes"/,
      ],
      [() => store.store(msg("room-1", "ok")), /roomId must be a UUID, got "room-1"/],
      [() => store.search({ text: "" }), /query text is empty/],
      [() => store.search({ text: "a", limit: 0 }), /limit must be an integer from 1 to 100/],
      [
        () => store.store(msg(room, "ok", { importance: 2 })),
        /importance must be a number from 0 to 1/,
      ],
    ];
    for (const [p, re] of cases) {
      await assert.rejects(p(), (e) => e instanceof MemoryInputError && re.test(e.message));
    }
    const left = await store.search({ text: "ok second", roomId: room });
    assert.deepEqual(left.map((h) => h.memory.content.text), ["first"], "nothing else landed");
  });

  await t.step("archive moves old unimportant memories and keeps them searchable", async () => {
    const agent = uuid();
    const now = Date.now();
    const base = { type: "memories" as const, agentId: agent };
    await store.storeMany([
      {
        ...base,
        content: { text: "old trivia about the llama hat" },
        importance: 0.1,
        createdAt: new Date(now - 72 * HOUR),
      },
      {
        ...base,
        content: { text: "old important llama decision" },
        importance: 0.9,
        createdAt: new Date(now - 72 * HOUR),
      },
      {
        ...base,
        content: { text: "fresh llama chatter" },
        importance: 0.1,
        createdAt: new Date(now - HOUR),
      },
      {
        ...base,
        content: { text: "older trivia about llama socks" },
        importance: 0.2,
        createdAt: new Date(now - 90 * HOUR),
      },
    ]);
    const moved = await store.archive({ agentId: agent, keepActive: 3 });
    assert.equal(moved.length, 1, "keepActive=3 of 4 allows one move");
    const active = await store.search({ text: "llama", agentId: agent });
    assert.deepEqual(active.map((h) => h.memory.content.text).sort(), [
      "fresh llama chatter",
      "old important llama decision",
      "old trivia about the llama hat",
    ]);
    const withArchive = await store.search({
      text: "llama socks",
      agentId: agent,
      includeArchived: true,
    });
    const socks = withArchive.find((h) =>
      h.memory.content.text === "older trivia about llama socks"
    );
    assert.equal(socks?.archived, true);
    assert.equal(socks?.memory.id, moved[0]);
    assert.equal(socks?.vectorRank, undefined, "archived rows are searched lexically only");
    assert.ok(!active.some((h) => h.archived));
    assert.equal((await store.archive({ agentId: agent, keepActive: 0 })).length, 1);
  });

  await t.step("rows the old agent wrote become searchable after backfill", async () => {
    const room = uuid();
    const id = uuid();
    // The old agent had the room (ElizaOS's ensureConnection) before writing into it.
    if (eliza) {
      await sql.query(`INSERT INTO rooms ("id", "source", "type") VALUES ($1, 'auto', 'SELF')`, [
        room,
      ]);
    }
    await sql.query(
      `INSERT INTO memories ("id", "type", "content", "roomId") VALUES ($1, 'messages', $2, $3)`,
      [id, JSON.stringify({ text: "legacy note about quantum gardening", source: "eliza" }), room],
    );
    const before = await store.stats();
    assert.ok(before.unembedded >= 1);
    const progress: number[] = [];
    const done = await store.backfill({
      batchSize: 1,
      onProgress: (p) => progress.push(p.embedded),
    });
    assert.equal(done.remaining, 0);
    assert.ok(progress.length >= 1);
    const hits = await store.search({ text: "quantum gardening", roomId: room });
    assert.equal(hits[0]?.memory.id, id);
    assert.equal(hits[0]?.vectorRank, 1);
  });

  await t.step("context facts, latest facts and tool usage use the platform's shapes", async () => {
    const agent = uuid();
    const t0 = Date.now();
    await store.store(
      contextFactMemory({
        text: "Grow to 100 viewers",
        type: "goal",
        importance: "high",
        ids: { agentId: agent },
      }, new Date(t0 - 2000)),
    );
    await store.store(
      contextFactMemory(
        { text: "Ask chat questions", type: "strategy", ids: { agentId: agent } },
        new Date(t0 - 1000),
      ),
    );
    const facts = await latestFacts(sql, { agentId: agent, limit: 20 });
    assert.deepEqual(facts.map((f) => f.content.text), [
      "Ask chat questions",
      "Grow to 100 viewers",
    ]);
    assert.equal(facts[1]!.content.source, "autonomous_context_update");
    assert.equal(facts[1]!.content.importance, "high");
    const goals = await latestFacts(sql, { agentId: agent, kinds: ["goal"] });
    assert.deepEqual(goals.map((f) => f.content.type), ["goal"]);
    const id = await store.recordToolUsage({
      agentId: agent,
      toolName: "memory_save",
      input: { a: 1 },
      output: { ok: true },
      executionTimeMs: 12.4,
      success: true,
    });
    const rows = await sql.query(`SELECT * FROM tool_usage WHERE id = $1`, [id]);
    assert.equal(rows[0]?.tool_name, "memory_save");
    assert.equal(rows[0]?.execution_time_ms, 12);
    assert.deepEqual(rows[0]?.input_context, { a: 1 });
  });
}
