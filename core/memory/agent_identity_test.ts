/**
 * Taking over the old agent's identity: AGENT_ID accepts ElizaOS ids, the default id is
 * ElizaOS's `stringToUuid(AGENT_NAME)`, and on start the agent's ElizaOS rows are made sure of
 * without touching the old agent's.
 */
import assert from "node:assert/strict";
import { loadConfig } from "../config.ts";
import { ensureAgentIdentity } from "./agent_identity.ts";
import { loopScope, stringToUuid } from "./eliza_ids.ts";
import { HashEmbedder } from "./hash_embedder.ts";
import { MemoryStore } from "./memory_store.ts";
import { latestFacts } from "./platform_rows.ts";
import { createPlatformDatabase } from "./platform_fixture.ts";
import { testPglite } from "./testing.ts";

const OLD_AGENT = "d63a62b7-d908-0c62-a8c3-c24238cd7fa7";

Deno.test("with no AGENT_ID the id is ElizaOS's stringToUuid(AGENT_NAME)", () => {
  assert.equal(loadConfig({ env: {}, file: "/dev/null" }).agent.id, OLD_AGENT);
  const named = loadConfig({ env: { AGENT_NAME: "Mira" }, file: "/dev/null" });
  assert.equal(named.agent.id, stringToUuid("Mira"));
});

Deno.test("AGENT_ID accepts any 8-4-4-4-12 hex id, ElizaOS's version-0 ids included", () => {
  const env = { AGENT_ID: OLD_AGENT.toUpperCase() };
  assert.equal(loadConfig({ env, file: "/dev/null" }).agent.id, OLD_AGENT);
  assert.throws(
    () => loadConfig({ env: { AGENT_ID: "agent-1" }, file: "/dev/null" }),
    /agent\.id \(from env AGENT_ID\) = "agent-1": expected an 8-4-4-4-12 hex id/,
  );
});

Deno.test("on the old agent's database the agent takes over its rows and facts", async () => {
  const db = await testPglite();
  try {
    const old = await createPlatformDatabase(db.sql);
    const before = await db.sql.query(`SELECT * FROM agents ORDER BY "id"`);
    const id = await ensureAgentIdentity(db.sql, { agentId: OLD_AGENT, name: "Autoliza" });
    assert.equal(id.agent, "existing");
    assert.deepEqual(await db.sql.query(`SELECT * FROM agents ORDER BY "id"`), before);
    assert.equal(id.roomId, old.roomId, "the old loop's room: createUniqueUuid(agent, 'auto')");
    assert.equal(id.worldId, old.worldId);
    const facts = await latestFacts(db.sql, { agentId: OLD_AGENT, kinds: ["goal", "strategy"] });
    assert.deepEqual(facts.map((f) => f.id), old.goalIds);
  } finally {
    await db.cleanup();
  }
});

Deno.test("on an empty database the agent's rows are created once, as ElizaOS does", async () => {
  const db = await testPglite();
  try {
    await MemoryStore.open(db.sql, { embedder: new HashEmbedder(384) });
    const who = { agentId: stringToUuid("Mira"), name: "Mira" };
    assert.equal((await ensureAgentIdentity(db.sql, who)).agent, "created");
    assert.equal((await ensureAgentIdentity(db.sql, who)).agent, "existing");
    const scope = loopScope(who.agentId);
    const rooms = await db.sql.query<{ id: string; source: string }>(
      `SELECT "id" AS id, "source" AS source FROM rooms WHERE "agentId" = $1 ORDER BY "source"`,
      [who.agentId],
    );
    assert.deepEqual(rooms.map((r) => [r.id, r.source]), [
      [scope.roomId, "auto"],
      [who.agentId, "self"],
    ]);
    const parts = await db.sql.query(`SELECT 1 FROM participants WHERE "entityId" = $1`, [
      who.agentId,
    ]);
    assert.equal(parts.length, 2);
  } finally {
    await db.cleanup();
  }
});

Deno.test("an AGENT_ID whose name another agent holds gets an unnamed row and says so", async () => {
  const db = await testPglite();
  try {
    await createPlatformDatabase(db.sql);
    const other = crypto.randomUUID();
    const r = await ensureAgentIdentity(db.sql, { agentId: other, name: "Autoliza" });
    assert.deepEqual([r.agent, r.nameTakenBy], ["created", OLD_AGENT]);
    const [row] = await db.sql.query<{ name: string | null }>(
      `SELECT "name" AS name FROM agents WHERE "id" = $1`,
      [other],
    );
    assert.equal(row?.name, null);
  } finally {
    await db.cleanup();
  }
});
