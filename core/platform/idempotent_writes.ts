/**
 * Writes that are safe to retry after a connection dropped mid-commit (the row may already be
 * in): a `tool_usage` row carries a `writeId` in its metadata and is inserted only when no row
 * has it; a memory gets its id before the first attempt, and "duplicate key" on a retry means
 * it was committed. Without this, a cut during COMMIT turned into a duplicate row (measured in
 * the scenario test: 31 rows for 30 calls).
 */
import type { SqlClient } from "../memory/sql_client.ts";
import type { ToolUsage } from "../memory/platform_rows.ts";
import { withRetry } from "../memory/retry.ts";
import type { NewMemory } from "../memory/types.ts";
import type { PlatformMemory } from "./platform_services.ts";

const indexed = new WeakSet<SqlClient>();

/** Inserts `u` unless a row with the same `metadata.writeId` exists; returns the row id. */
export async function recordToolUsageOnce(
  sql: SqlClient,
  u: ToolUsage,
  writeId: string,
): Promise<number> {
  if (!indexed.has(sql)) {
    await withRetry("tool_usage index", () =>
      sql.query(
        `CREATE INDEX IF NOT EXISTS tool_usage_write_id_idx ON tool_usage ((metadata->>'writeId'))`,
      ));
    indexed.add(sql);
  }
  const rows = await withRetry("recordToolUsageOnce", () =>
    sql.query<{ id: number }>(
      `WITH ins AS (
         INSERT INTO tool_usage (agent_id, tool_name, input_context, output_result,
           execution_time_ms, success, impact_score, metadata)
         SELECT $1::uuid, $2, $3::jsonb, $4::jsonb, $5, $6, $7, $8::jsonb
         WHERE NOT EXISTS (SELECT 1 FROM tool_usage WHERE metadata->>'writeId' = $9)
         RETURNING id)
       SELECT id FROM ins
       UNION ALL SELECT id FROM tool_usage WHERE metadata->>'writeId' = $9
       LIMIT 1`,
      [
        u.agentId,
        u.toolName.slice(0, 100),
        JSON.stringify(u.input ?? null),
        JSON.stringify(u.output ?? null),
        u.executionTimeMs === undefined ? null : Math.round(u.executionTimeMs),
        u.success,
        u.impactScore ?? 0.5,
        JSON.stringify({ ...u.metadata, writeId }),
        writeId,
      ],
    ));
  return Number(rows[0]!.id);
}

/** A memory write for the retrying queue: fixed id, and a duplicate key means already saved. */
export function saveOnce(memory: PlatformMemory, m: NewMemory): () => Promise<unknown> {
  const withId = { ...m, id: m.id ?? crypto.randomUUID() };
  return async () => {
    try {
      await memory.save(withId);
    } catch (e) {
      if (/duplicate key|already exists|unique constraint/i.test(String((e as Error).message))) {
        return;
      }
      throw e;
    }
  };
}
