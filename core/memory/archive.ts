/**
 * Archiving as the platform does it: memories older than 48 h with importance < 0.3 move to
 * `context_archive`, oldest first, keeping about 200 active. Rows are written in the old agent's
 * format (`archived_content` = `{memory_id, content, metadata, created_at, type}`, plus the
 * row's ids) with `archive_reason` `automatic_archival`, so its `archived_content::text ILIKE`
 * reader finds them too. Copy and delete are one statement in one transaction: nothing is lost.
 */
import { IMPORTANCE_SQL } from "./rows.ts";
import type { SqlClient } from "./sql_client.ts";
import { type RetryPolicy, withRetry } from "./retry.ts";

/** Options for {@link archiveMemories}; defaults are the platform's. */
export interface ArchiveOptions {
  olderThanHours?: number | undefined;
  /** Strictly below this importance; default 0.3. */
  maxImportance?: number | undefined;
  /** Memories left active (per agent when `agentId` is set); default 200. */
  keepActive?: number | undefined;
  /** Only this agent's memories. */
  agentId?: string | undefined;
  /** The `agent_id` for rows that name no agent (the column is NOT NULL). */
  ownerAgentId?: string | undefined;
  now?: Date | undefined;
  retry?: RetryPolicy | undefined;
}

/** `archived_content` of a memory row `c`, in the old agent's format plus the row's ids. */
const ARCHIVED_CONTENT = `jsonb_build_object(
  'memory_id', c."id", 'content', c."content", 'metadata', c."metadata",
  'created_at', c."createdAt", 'type', c."type", 'entityId', c."entityId",
  'agentId', c."agentId", 'roomId', c."roomId", 'worldId', c."worldId", 'unique', c."unique")`;

/** Moves eligible memories to `context_archive`; returns the ids archived. */
export async function archiveMemories(sql: SqlClient, o: ArchiveOptions = {}): Promise<string[]> {
  const cutoff = new Date((o.now ?? new Date()).getTime() - (o.olderThanHours ?? 48) * 3_600_000);
  const owner = o.ownerAgentId ?? o.agentId;
  if (!owner) throw new Error("Cannot archive: no agentId or ownerAgentId for context_archive");
  const params: unknown[] = [
    cutoff.toISOString(),
    o.maxImportance ?? 0.3,
    o.keepActive ?? 200,
    o.agentId ?? null,
    owner,
  ];
  const agentFilter = `($4::uuid IS NULL OR m."agentId" = $4::uuid)`;
  const rows = await withRetry("archive", () =>
    sql.transaction((tx) =>
      tx.query<{ id: string }>(
        `WITH active AS (SELECT count(*) AS c FROM memories m WHERE ${agentFilter}),
         cand AS (
           SELECT m.*, ${IMPORTANCE_SQL} AS importance FROM memories m
           WHERE m."createdAt" < $1::timestamptz AND ${IMPORTANCE_SQL} < $2::float8
             AND ${agentFilter}
           ORDER BY m."createdAt", m."id"
           LIMIT greatest(0, (SELECT c FROM active) - $3::int)
           FOR UPDATE
         ),
         copied AS (
           INSERT INTO context_archive (agent_id, archived_content, compression_ratio,
             importance_score, archive_reason, metadata)
           SELECT coalesce(c."agentId", $5::uuid), ${ARCHIVED_CONTENT}, 1.0, c.importance,
             'automatic_archival', jsonb_build_object('archived_at', now(),
               'original_type', c."type", 'memoryId', c."id", 'archivedBy', 'autoliza')
           FROM cand c RETURNING 1
         ),
         -- Vectors first: one of the ElizaOS foreign keys from embeddings does not cascade.
         vectors AS (DELETE FROM embeddings WHERE memory_id IN (SELECT "id" FROM cand) RETURNING 1)
         DELETE FROM memories WHERE "id" IN (SELECT "id" FROM cand) RETURNING "id"`,
        params,
      )
    ), o.retry);
  return rows.map((r) => String(r.id));
}
