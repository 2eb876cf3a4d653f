/**
 * Archiving as the platform does it: memories older than 48 h with importance < 0.3 move to
 * `context_archive` (the whole row as `archived_content`), oldest first, keeping about 200
 * active. Copy and delete are one statement inside one transaction, so nothing is lost.
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
  /** Only this agent's memories; also the `agent_id` for rows without one. */
  agentId?: string | undefined;
  now?: Date | undefined;
  retry?: RetryPolicy | undefined;
}

/** The platform's agent id used when neither the row nor the options name one. */
export const DEFAULT_AGENT_ID = "00000000-0000-4000-8000-000000000001";

/** Moves eligible memories to `context_archive`; returns the ids archived. */
export async function archiveMemories(sql: SqlClient, o: ArchiveOptions = {}): Promise<string[]> {
  const cutoff = new Date((o.now ?? new Date()).getTime() - (o.olderThanHours ?? 48) * 3_600_000);
  const params: unknown[] = [
    cutoff.toISOString(),
    o.maxImportance ?? 0.3,
    o.keepActive ?? 200,
    o.agentId ?? DEFAULT_AGENT_ID,
    o.agentId ? true : false,
  ];
  const agentFilter = `(NOT $5::boolean OR m."agentId" = $4::uuid)`;
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
           SELECT coalesce(c."agentId", $4::uuid), to_jsonb(c) - 'importance', 1.0, c.importance,
             'age_and_low_importance', jsonb_build_object('memoryId', c."id")
           FROM cand c RETURNING 1
         )
         DELETE FROM memories WHERE "id" IN (SELECT "id" FROM cand) RETURNING "id"`,
        params,
      )
    ), o.retry);
  return rows.map((r) => String(r.id));
}
