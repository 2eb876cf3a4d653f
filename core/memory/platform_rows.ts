/**
 * The platform's other rows the agent reads and writes: UPDATE_CONTEXT facts (`memories` with
 * `type='facts'` and the old agent's content shape), the latest facts read back as goals and
 * strategy, and `tool_usage` records.
 */
import type { SqlClient } from "./sql_client.ts";
import { MEMORY_COLUMNS, rowToMemory } from "./rows.ts";
import type { Memory, NewMemory } from "./types.ts";
import { withRetry } from "./retry.ts";
import { checkUuid } from "./validate.ts";
import { MemoryInputError } from "./errors.ts";

/** Kinds of context facts the old agent wrote. */
export const FACT_KINDS = ["goal", "strategy", "pattern", "fact", "insight", "preference"] as const;

/** The old agent's importance labels, with the numeric importance they map to. */
export const IMPORTANCE_LEVELS = { high: 0.9, medium: 0.5, low: 0.2 } as const;

/** Input of UPDATE_CONTEXT. */
export interface ContextFact {
  text: string;
  type: typeof FACT_KINDS[number];
  category?: string | undefined;
  importance?: keyof typeof IMPORTANCE_LEVELS | undefined;
  context?: string | undefined;
  /** The row's agent, room, world and entity ids. */
  ids?: Writer["ids"] | undefined;
  /** Who wrote it (the agent's name), stored as `content.speaker` for author-aware search. */
  speaker?: string | undefined;
  /**
   * Written in a cycle that showed untrusted text (these origins): stored as an unverified note,
   * kept out of goals and strategy (for the old agent too) until {@link confirmFact}.
   */
  unverifiedBecause?: string[] | undefined;
}

/** Who writes a tool's memories and where, from the tool's params. */
export interface Writer {
  speaker: string | undefined;
  /** The row ids: `agentId`, and the loop's `roomId`, `worldId`, `entityId` when known. */
  ids: Partial<Record<"agentId" | "roomId" | "worldId" | "entityId", string>>;
}

/**
 * Who writes a tool's memories, from its params (the daemon passes `agentId`, `agentName` and
 * the loop's `roomId`, `worldId`, `entityId`): the row's ids, so ElizaOS's room-scoped readers
 * see the rows, and the `content.speaker` that author-aware search matches.
 */
export function writerOf(params: Record<string, unknown>): Writer {
  const ids: Writer["ids"] = {};
  for (const k of ["agentId", "roomId", "worldId", "entityId"] as const) {
    if (typeof params[k] === "string") ids[k] = params[k];
  }
  return {
    speaker: typeof params.agentName === "string" ? params.agentName : undefined,
    ids,
  };
}

/** `content.source` of the old agent's UPDATE_CONTEXT facts (its loop reads them as strategy). */
export const FACT_SOURCE = "autonomous_context_update";

/** `content.source` and `content.type` of an unverified fact: neither agent reads it as strategy. */
export const UNVERIFIED = { source: `${FACT_SOURCE}_unverified`, type: "unverified" } as const;

/** Builds the `facts` row the old agent's UPDATE_CONTEXT wrote (timestamp in epoch ms). */
export function contextFactMemory(f: ContextFact, now = new Date()): NewMemory {
  const importance = f.importance ?? "medium";
  const unverified = f.unverifiedBecause?.length ? f.unverifiedBecause : undefined;
  return {
    type: "facts",
    content: {
      text: f.text,
      type: unverified ? UNVERIFIED.type : f.type,
      category: f.category ?? "general",
      importance,
      context: f.context ?? "",
      source: unverified ? UNVERIFIED.source : FACT_SOURCE,
      timestamp: now.getTime(),
      ...(f.speaker ? { speaker: f.speaker } : {}),
      ...(unverified ? { proposedType: f.type, untrustedOrigins: unverified } : {}),
    },
    importance: IMPORTANCE_LEVELS[importance],
    createdAt: now,
    ...(unverified ? { metadata: { unverified: true, untrusted: true } } : {}),
    ...f.ids,
  };
}

/**
 * Confirms an unverified fact (by id, or the agent's pending one with this exact text): it becomes
 * the fact it proposed (`type` restored, source `autonomous_context_update`), with who confirmed
 * it. Returns the confirmed fact, or undefined when none matched.
 */
export async function confirmFact(
  sql: SqlClient,
  match: { agentId?: string | undefined; id?: string | undefined; text?: string | undefined },
  by: string,
): Promise<Memory | undefined> {
  if (match.agentId) checkUuid(match.agentId, "agentId");
  if (match.id) checkUuid(match.id, "id");
  if (!match.id && !match.text) throw new MemoryInputError("confirmFact needs an id or a text");
  const rows = await withRetry("confirmFact", () =>
    sql.query(
      `UPDATE memories m SET
         "content" = (m."content" - 'proposedType' - 'untrustedOrigins') || jsonb_build_object(
           'type', coalesce(m."content"->>'proposedType', 'fact'), 'source', $4::text,
           'verifiedBy', $5::text, 'verifiedAt', $6::bigint),
         "metadata" = (coalesce(m."metadata", '{}'::jsonb) - 'unverified' - 'untrusted') ||
           jsonb_build_object('verifiedBy', $5::text)
       WHERE m."id" IN (
         SELECT f."id" FROM memories f
         WHERE f."type" = 'facts' AND f."content"->>'type' = '${UNVERIFIED.type}'
           AND ($1::uuid IS NULL OR f."id" = $1::uuid)
           AND ($2::uuid IS NULL OR f."agentId" = $2::uuid)
           AND ($3::text IS NULL OR lower(trim(f."content"->>'text')) = lower(trim($3::text)))
         ORDER BY f."createdAt" DESC LIMIT 1)
       RETURNING ${MEMORY_COLUMNS}`,
      [match.id ?? null, match.agentId ?? null, match.text ?? null, FACT_SOURCE, by, Date.now()],
    ));
  return rows[0] ? rowToMemory(rows[0]) : undefined;
}

/** The agent's newest memory whose `content.type` is `kind` (e.g. its last `cycle_result`). */
export async function latestMemory(
  sql: SqlClient,
  o: { agentId: string; kind: string },
): Promise<Memory | undefined> {
  checkUuid(o.agentId, "agentId");
  const rows = await withRetry("latestMemory", () =>
    sql.query(
      `SELECT ${MEMORY_COLUMNS} FROM memories m
       WHERE m."type" = 'memories' AND m."agentId" = $1 AND m."content"->>'type' = $2
       ORDER BY m."createdAt" DESC LIMIT 1`,
      [o.agentId, o.kind],
    ));
  return rows[0] ? rowToMemory(rows[0]) : undefined;
}

/** The newest current (not superseded) facts, newest first; optionally only some kinds. */
export async function latestFacts(
  sql: SqlClient,
  o: { agentId?: string | undefined; limit?: number | undefined; kinds?: string[] | undefined } =
    {},
): Promise<Memory[]> {
  if (o.agentId) checkUuid(o.agentId, "agentId");
  const rows = await withRetry("latestFacts", () =>
    sql.query(
      `SELECT ${MEMORY_COLUMNS} FROM memories m
       WHERE m."type" = 'facts' AND ($1::uuid IS NULL OR m."agentId" = $1::uuid)
         AND ($2::text[] IS NULL OR m."content"->>'type' = ANY($2::text[]))
         AND NOT (coalesce(m."metadata", '{}'::jsonb) ? 'supersededBy')
       ORDER BY m."createdAt" DESC LIMIT $3`,
      [o.agentId ?? null, o.kinds ?? null, o.limit ?? 20],
    ));
  return rows.map(rowToMemory);
}

/** One `tool_usage` row. */
export interface ToolUsage {
  agentId: string;
  toolName: string;
  input?: unknown | undefined;
  output?: unknown | undefined;
  executionTimeMs?: number | undefined;
  success: boolean;
  impactScore?: number | undefined;
  metadata?: Record<string, unknown> | undefined;
}

/**
 * Inserts a `tool_usage` row; returns its serial id. With a `writeId` the insert happens at most
 * once (the id is kept in `metadata.writeId`): a retry after a connection dropped during COMMIT,
 * when the row may already be in, returns the existing row instead of adding a duplicate.
 */
export async function recordToolUsage(
  sql: SqlClient,
  u: ToolUsage,
  writeId?: string,
): Promise<number> {
  checkUuid(u.agentId, "agentId");
  if (writeId && !writeIdIndexed.has(sql)) {
    await withRetry("tool_usage writeId index", () =>
      sql.query(
        `CREATE INDEX IF NOT EXISTS tool_usage_write_id_idx ON tool_usage ((metadata->>'writeId'))`,
      ));
    writeIdIndexed.add(sql);
  }
  const values = [
    u.agentId,
    u.toolName.slice(0, 100),
    JSON.stringify(u.input ?? null),
    JSON.stringify(u.output ?? null),
    u.executionTimeMs === undefined ? null : Math.round(u.executionTimeMs),
    u.success,
    u.impactScore ?? 0.5,
    JSON.stringify(writeId ? { ...u.metadata, writeId } : u.metadata ?? {}),
  ];
  const rows = await withRetry("recordToolUsage", () =>
    writeId
      ? sql.query<{ id: number }>(
        `WITH ins AS (
           INSERT INTO tool_usage (agent_id, tool_name, input_context, output_result,
             execution_time_ms, success, impact_score, metadata)
           SELECT $1::uuid, $2, $3::jsonb, $4::jsonb, $5, $6, $7, $8::jsonb
           WHERE NOT EXISTS (SELECT 1 FROM tool_usage WHERE metadata->>'writeId' = $9)
           RETURNING id)
         SELECT id FROM ins
         UNION ALL SELECT id FROM tool_usage WHERE metadata->>'writeId' = $9
         LIMIT 1`,
        [...values, writeId],
      )
      : sql.query<{ id: number }>(
        `INSERT INTO tool_usage (agent_id, tool_name, input_context, output_result,
           execution_time_ms, success, impact_score, metadata)
         VALUES ($1::uuid, $2, $3::jsonb, $4::jsonb, $5, $6, $7, $8::jsonb) RETURNING id`,
        values,
      ));
  return Number(rows[0]!.id);
}

const writeIdIndexed = new WeakSet<SqlClient>();

/**
 * The names the old agent recorded in `tool_usage` (the platform's `tool_effectiveness` view
 * groups by them): UPDATE_SCB was `scb_controller`, UPDATE_CONTEXT `context_manager`, and the
 * analytics script's own rows call speech `vtuber_prompter`. Other tools keep their name.
 */
export const PLATFORM_TOOL_NAMES: Readonly<Record<string, string>> = {
  update_scb: "scb_controller",
  update_context: "context_manager",
  send_to_vtuber: "vtuber_prompter",
};

/** The `tool_usage.tool_name` of one of our tools. */
export function platformToolName(tool: string): string {
  return PLATFORM_TOOL_NAMES[tool] ?? tool;
}

/** The old agent's `impact_score`: by SCB intensity and by fact importance; 0.5 otherwise. */
export function impactScore(tool: string, args: unknown, ok: boolean): number {
  if (!ok) return 0.1;
  const a = (args ?? {}) as Record<string, unknown>;
  if (tool === "update_scb") {
    return ({ dramatic: 0.9, moderate: 0.7, subtle: 0.5 } as Record<string, number>)[
      String(a.intensity ?? "moderate")
    ] ?? 0.7;
  }
  if (tool === "update_context") {
    return ({ high: 0.8, medium: 0.6, low: 0.4 } as Record<string, number>)[
      String(a.importance ?? "medium")
    ] ?? 0.6;
  }
  return 0.5;
}
