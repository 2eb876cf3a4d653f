/**
 * Test fixture: a database as the platform leaves it after the old ElizaOS agent ran on it. The
 * ElizaOS migration's statements as drizzle runs them (plain CREATE, every foreign key, CHECK and
 * NOT NULL), the analytics script after its second run (foreign keys to `agents`), and the old
 * agent's rows written the way it wrote them: ids from `stringToUuid`, facts with epoch-ms
 * timestamps, SCB memories with intensity words, `dim_384` vectors from another model (ElizaOS's
 * local BGE; here deterministic pseudo-random unit vectors), `tool_usage` under the old tool
 * names and archive rows in the old format. Not used by the daemon.
 */
import {
  ANALYTICS_TABLES,
  ANALYTICS_VIEWS,
  analyticsForeignKeys,
  statements,
} from "./analytics_schema.ts";
import { createUniqueUuid, loopScope, stringToUuid } from "./eliza_ids.ts";
import { elizaMigrationStatements, recordElizaMigration } from "./eliza_schema.ts";
import type { SqlClient } from "./sql_client.ts";

/** The old agent's ids and rows, for assertions. */
export interface OldAgentRows {
  agentId: string;
  roomId: string;
  worldId: string;
  /** Ids of the old agent's goal and strategy facts, newest first. */
  goalIds: string[];
  factTexts: string[];
  /** All of the old agent's memory ids (each with one embeddings row). */
  memoryIds: string[];
  /** The memory id inside the old-format archive row. */
  archivedMemoryId: string;
  archivedText: string;
}

const HOUR = 3_600_000;

/** A unit vector of `dim` numbers derived from `seed` (stands in for another model's output). */
export function foreignVector(seed: string, dim = 384): number[] {
  let h = 2166136261;
  for (const c of seed) h = Math.imul(h ^ c.charCodeAt(0), 16777619);
  const v = Array.from({ length: dim }, () => {
    h = Math.imul(h ^ (h >>> 15), 2246822507) ^ Math.imul(h ^ (h >>> 13), 3266489909);
    return ((h >>> 0) / 2 ** 32) - 0.5;
  });
  const norm = Math.hypot(...v);
  return v.map((x) => x / norm);
}

/** Creates the platform's schema in the (empty) database `sql` points at. */
export async function createPlatformSchema(sql: SqlClient): Promise<void> {
  await sql.exec("CREATE EXTENSION IF NOT EXISTS vector");
  await sql.transaction(async (tx) => {
    for (const s of elizaMigrationStatements()) await tx.query(s);
    for (const s of recordElizaMigration()) await tx.query(s);
  });
  // db_init runs the analytics script on every start; its second run adds the foreign keys.
  for (const s of statements(ANALYTICS_TABLES)) await sql.query(s);
  for (const s of [...analyticsForeignKeys(), ...statements(ANALYTICS_VIEWS)]) await sql.query(s);
}

/** The platform's schema plus the old agent's rows; returns what was written. */
export async function createPlatformDatabase(
  sql: SqlClient,
  now = Date.now(),
): Promise<OldAgentRows> {
  await createPlatformSchema(sql);
  const agentId = stringToUuid("Autoliza");
  const { roomId, worldId } = loopScope(agentId);
  const copilot = createUniqueUuid(agentId, "copilot");
  await sql.query(
    `INSERT INTO agents ("id", "name", "bio", "system") VALUES ($1, 'Autoliza', $2::jsonb, $3)`,
    [agentId, JSON.stringify(["An autonomous VTuber manager"]), "You manage a VTuber stream."],
  );
  await sql.query(
    `INSERT INTO entities ("id", "agentId", "names") VALUES ($1, $1, '{Autoliza}'),
       ($2, $1, '{Copilot}')`,
    [agentId, copilot],
  );
  await sql.query(
    `INSERT INTO worlds ("id", "agentId", "name", "serverId") VALUES ($1::uuid, $2, 'Auto', $1::text)`,
    [worldId, agentId],
  );
  await sql.query(
    `INSERT INTO rooms ("id", "agentId", "source", "type", "name") VALUES ($1, $1, 'self', 'SELF', 'Autoliza')`,
    [agentId],
  );
  await sql.query(
    `INSERT INTO rooms ("id", "agentId", "source", "type", "name", "channelId", "serverId", "worldId")
     VALUES ($1::uuid, $2, 'auto', 'SELF', 'copilot', $1::text, $1::text, $1::uuid)`,
    [roomId, agentId],
  );
  await sql.query(
    `INSERT INTO participants ("entityId", "roomId", "agentId") VALUES ($1, $1, $1), ($1, $2, $1)`,
    [agentId, roomId],
  );
  const facts = [
    ["goal", "Grow the stream to 500 followers with weekly cooking shows", "high", 30],
    ["strategy", "Ask chat a question every few minutes to keep them talking", "medium", 20],
    ["insight", "Viewers stay longer when the avatar tells cat stories", "low", 10],
  ] as const;
  const memoryIds: string[] = [];
  const goalIds: string[] = [];
  const insert = async (type: string, content: Record<string, unknown>, ageHours: number) => {
    const id = crypto.randomUUID();
    const at = new Date(now - ageHours * HOUR);
    await sql.query(
      `INSERT INTO memories ("id", "type", "createdAt", "content", "entityId", "agentId", "roomId",
         "worldId", "unique", "metadata")
       VALUES ($1, $2, $3::timestamptz, $4::jsonb, $5, $5, $6, $6, true, '{}'::jsonb)`,
      [id, type, at.toISOString(), JSON.stringify(content), agentId, roomId],
    );
    await sql.query(
      `INSERT INTO embeddings ("id", "memory_id", "created_at", "dim_384")
       VALUES (gen_random_uuid(), $1, $2::timestamptz, $3::vector)`,
      [id, at.toISOString(), `[${foreignVector(String(content.text)).join(",")}]`],
    );
    memoryIds.push(id);
    return id;
  };
  for (const [type, text, importance, age] of facts) {
    const id = await insert("facts", {
      text,
      type,
      category: "stream",
      importance,
      context: "learned from earlier streams",
      source: "autonomous_context_update",
      timestamp: now - age * HOUR,
    }, age);
    if (type !== "insight") goalIds.unshift(id);
  }
  await insert("memories", {
    text: "SCB Update: Cozy study corner for a research chat",
    type: "scb_update",
    updateType: "context",
    mood: "focused",
    intensity: "moderate",
    duration: "sustained",
    source: "autonomous_scb_control",
    timestamp: now - 5 * HOUR,
  }, 5);
  await insert("messages", { text: "I am awake and watching the stream", source: "auto" }, 4);
  for (
    const [tool, input, output, impact] of [
      ["scb_controller", { context: "scb_update", mood: "focused" }, { updated: true }, 0.7],
      ["context_manager", { action: "store", type: "goal" }, { stored: true }, 0.8],
    ] as const
  ) {
    await sql.query(
      `INSERT INTO tool_usage (agent_id, tool_name, input_context, output_result, execution_time_ms,
         success, impact_score) VALUES ($1, $2, $3::jsonb, $4::jsonb, 120, true, $5)`,
      [agentId, tool, JSON.stringify(input), JSON.stringify(output), impact],
    );
  }
  const archivedMemoryId = crypto.randomUUID();
  const archivedText = "We streamed a retro platformer marathon with speedrun tips";
  await sql.query(
    `INSERT INTO context_archive (agent_id, archived_content, importance_score, archive_reason,
       metadata) VALUES ($1, $2::jsonb, 0.25, 'automatic_archival', $3::jsonb)`,
    [
      agentId,
      JSON.stringify({
        memory_id: archivedMemoryId,
        content: { text: archivedText, source: "auto" },
        metadata: {},
        created_at: new Date(now - 80 * HOUR).toISOString(),
        type: "messages",
      }),
      JSON.stringify({
        archived_at: new Date(now - 30 * HOUR).toISOString(),
        original_type: "messages",
      }),
    ],
  );
  return {
    agentId,
    roomId,
    worldId,
    goalIds,
    factTexts: facts.map(([, text]) => text),
    memoryIds,
    archivedMemoryId,
    archivedText,
  };
}
