/** Multi-row parameterised inserts into `memories` and `embeddings`, shared by store and backfill. */
import { toVectorLiteral } from "./embedder.ts";
import type { SqlQueryable } from "./sql_client.ts";
import { EMBEDDING_DIMS, type Memory } from "./types.ts";

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

/** The key of `metadata.embeddingModels` naming the model of the `dim_<N>` vector. */
export function modelKey(dim: number): string {
  return `dim_${dim}`;
}

/**
 * Puts each memory's vector into the `dim_<N>` column of its one `embeddings` row: filled on the
 * row that exists (the platform keeps one row per memory, a column per dimension), inserted
 * where there is none. With `recordModel` the model is noted in the memory's
 * `metadata.embeddingModels` (rows built by the store already carry it); with `clearOthers` the
 * other dimensions' vectors (of an older text) are cleared.
 */
export async function putVectors(
  tx: SqlQueryable,
  dim: number,
  pairs: [string, number[]][],
  o: { recordModel?: string; clearOthers?: boolean; newRows?: boolean } = {},
): Promise<void> {
  if (!pairs.length) return;
  const ids = pairs.map(([id]) => id);
  const vectors = pairs.map(([, v]) => toVectorLiteral(v));
  const others = o.clearOthers
    ? EMBEDDING_DIMS.filter((d) => d !== dim).map((d) => `, dim_${d} = NULL`).join("")
    : "";
  // Rows inserted in this transaction have no embeddings row yet: nothing to fill.
  const updated = o.newRows ? [] : await tx.query<{ id: string }>(
    `UPDATE embeddings e SET dim_${dim} = v.vec::vector${others}
     FROM unnest($1::uuid[], $2::text[]) AS v(id, vec)
     WHERE e.memory_id = v.id RETURNING e.memory_id AS id`,
    [ids, vectors],
  );
  const done = new Set(updated.map((r) => String(r.id)));
  const fresh = pairs.filter(([id]) => !done.has(id));
  if (fresh.length) {
    await tx.query(
      `INSERT INTO embeddings (id, memory_id, dim_${dim})
       SELECT gen_random_uuid(), v.id, v.vec::vector FROM unnest($1::uuid[], $2::text[]) AS v(id, vec)`,
      [fresh.map(([id]) => id), fresh.map((p) => vectors[pairs.indexOf(p)])],
    );
  }
  if (o.recordModel) {
    await tx.query(
      `UPDATE memories SET "metadata" = coalesce("metadata", '{}'::jsonb) || jsonb_build_object(
         'embeddingModels', coalesce("metadata"->'embeddingModels', '{}'::jsonb) ||
           jsonb_build_object($2::text, $3::text))
       WHERE "id" = ANY($1::uuid[])`,
      [ids, modelKey(dim), o.recordModel],
    );
  }
}
