/**
 * Test helper: the old agent's reads, as the SQL its code runs (ElizaOS plugin-sql's drizzle
 * queries, its archive reader and the analytics view), to check that what this agent writes is
 * still read correctly by it after a takeover or a rollback. Not used by the daemon.
 */
import type { SqlQueryable } from "./sql_client.ts";

/** A row as the old agent's `getMemories` returns it (memories LEFT JOIN embeddings). */
export interface OldMemoryRow {
  id: string;
  type: string;
  content: { text?: string; [k: string]: unknown };
  agentId: string | null;
  roomId: string | null;
  unique: boolean;
  hasEmbedding: boolean;
}

/**
 * plugin-sql `getMemories`: `memories LEFT JOIN embeddings` newest first, so a memory with two
 * embeddings rows comes back twice. The old loop read its facts with `{tableName: "facts",
 * count: 20, unique: true}`.
 */
export async function oldGetMemories(
  sql: SqlQueryable,
  o: { tableName: string; count?: number; unique?: boolean; roomId?: string; agentId?: string },
): Promise<OldMemoryRow[]> {
  const rows = await sql.query(
    `SELECT m."id", m."type", m."content", m."agentId", m."roomId", m."unique",
       e."dim_384" IS NOT NULL AS "hasEmbedding"
     FROM memories m LEFT JOIN embeddings e ON e."memory_id" = m."id"
     WHERE m."type" = $1 AND ($2::boolean IS NOT TRUE OR m."unique" = true)
       AND ($3::uuid IS NULL OR m."roomId" = $3) AND ($4::uuid IS NULL OR m."agentId" = $4)
     ORDER BY m."createdAt" DESC LIMIT $5`,
    [o.tableName, o.unique ?? null, o.roomId ?? null, o.agentId ?? null, o.count ?? 1000],
  );
  return rows as unknown as OldMemoryRow[];
}

/**
 * plugin-sql `searchMemoriesByEmbedding` on `dim_384`: `embeddings JOIN memories` for the agent,
 * ordered by similarity DESC, which in PostgreSQL puts rows whose `dim_384` is NULL first.
 */
export async function oldSearchByEmbedding(
  sql: SqlQueryable,
  vector: number[],
  o: { tableName: string; agentId: string; count?: number },
): Promise<Array<{ id: string; similarity: number | null }>> {
  const rows = await sql.query<{ id: string; similarity: number | null }>(
    `SELECT m."id", 1 - (e."dim_384" <=> $1::vector) AS similarity
     FROM embeddings e INNER JOIN memories m ON m."id" = e."memory_id"
     WHERE m."type" = $2 AND m."agentId" = $3
     ORDER BY similarity DESC LIMIT $4`,
    [`[${vector.join(",")}]`, o.tableName, o.agentId, o.count ?? 10],
  );
  return rows.map((r) => ({
    id: String(r.id),
    similarity: r.similarity === null ? null : Number(r.similarity),
  }));
}

/** The old agent's `retrieveFromArchive`: `archived_content::text ILIKE %query%`. */
export async function oldRetrieveFromArchive(
  sql: SqlQueryable,
  agentId: string,
  query: string,
  limit = 5,
): Promise<Array<Record<string, unknown>>> {
  const rows = await sql.query<{ archived_content: Record<string, unknown> }>(
    `SELECT archived_content, importance_score, timestamp FROM context_archive
     WHERE agent_id = $1 AND archived_content::text ILIKE $2
     ORDER BY importance_score DESC, timestamp DESC LIMIT $3`,
    [agentId, `%${query}%`, limit],
  );
  return rows.map((r) => r.archived_content);
}

/** The analytics view `tool_effectiveness`: uses per tool name. */
export async function oldToolEffectiveness(sql: SqlQueryable): Promise<Map<string, number>> {
  const rows = await sql.query<{ tool_name: string; total_uses: string | number }>(
    `SELECT tool_name, total_uses FROM tool_effectiveness`,
  );
  return new Map(rows.map((r) => [String(r.tool_name), Number(r.total_uses)]));
}
