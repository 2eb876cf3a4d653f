/** Multi-row parameterised inserts into `memories` and `embeddings`, shared by store and backfill. */
import { toVectorLiteral } from "./embedder.ts";
import type { SqlQueryable } from "./sql_client.ts";
import type { Memory } from "./types.ts";

/**
 * Inserts memory rows in one statement; returns the ids actually inserted. Ids that already
 * exist are skipped, which makes a retry after a lost COMMIT acknowledgement idempotent.
 */
export async function insertRows(tx: SqlQueryable, rows: Memory[]): Promise<Set<string>> {
  const params: unknown[] = [];
  const values = rows.map((r) => {
    params.push(
      r.id,
      r.type,
      r.createdAt.toISOString(),
      JSON.stringify(r.content),
      r.entityId,
      r.agentId,
      r.roomId,
      r.worldId,
      r.unique,
      JSON.stringify(r.metadata),
    );
    const b = params.length - 10;
    return `($${b + 1}::uuid, $${b + 2}, $${b + 3}::timestamptz, $${b + 4}::jsonb, ` +
      `$${b + 5}::uuid, $${b + 6}::uuid, $${b + 7}::uuid, $${b + 8}::uuid, $${b + 9}, $${
        b + 10
      }::jsonb)`;
  });
  const inserted = await tx.query<{ id: string }>(
    `INSERT INTO memories ("id", "type", "createdAt", "content", "entityId", "agentId", "roomId",
       "worldId", "unique", "metadata") VALUES ${values.join(", ")}
     ON CONFLICT ("id") DO NOTHING RETURNING "id"`,
    params,
  );
  return new Set(inserted.map((r) => String(r.id)));
}

/** Inserts one `embeddings` row per (memory id, vector) into the `dim_<N>` column. */
export async function insertVectors(
  tx: SqlQueryable,
  dim: number,
  pairs: [string, number[]][],
): Promise<void> {
  if (!pairs.length) return;
  const params: unknown[] = [];
  const values = pairs.map(([id, v]) => {
    params.push(crypto.randomUUID(), id, toVectorLiteral(v));
    const b = params.length - 3;
    return `($${b + 1}::uuid, $${b + 2}::uuid, $${b + 3}::vector)`;
  });
  await tx.query(
    `INSERT INTO embeddings (id, memory_id, dim_${dim}) VALUES ${values.join(", ")}`,
    params,
  );
}
