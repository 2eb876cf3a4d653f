/**
 * ElizaOS's `unique` flag: a memory is not unique when the same agent already has one of the
 * same type in the same room/world/entity whose vector is at cosine similarity 0.95 or more
 * (plugin-sql's createMemory). Readers that ask for unique memories (the old agent reads its
 * facts that way) then skip repeats. Only vectors of this store's model are compared.
 */
import { toVectorLiteral } from "./embedder.ts";
import type { SqlQueryable } from "./sql_client.ts";
import type { Memory } from "./types.ts";
import { modelKey } from "./write_rows.ts";

/** ElizaOS's threshold: cosine similarity of at least 0.95 is a repeat. */
export const DUPLICATE_SIMILARITY = 0.95;

/**
 * Larger batches are stored with `unique` true unchecked, as ElizaOS does for memories it is
 * given without an embedding: one nearest-neighbour lookup per row would make bulk loads slow.
 */
export const UNIQUE_CHECK_MAX_BATCH = 50;

/** SQL: the vector in `dim_<N>` was made by `model` (recorded per vector, or by older rows). */
export function sameModelSql(dim: number, modelParam: string, alias = "m."): string {
  return `coalesce(${alias}"metadata"->'embeddingModels'->>'${modelKey(dim)}', ` +
    `${alias}"metadata"->>'embeddingModel') = ${modelParam}`;
}

/** How many nearest vectors are looked at per new memory (scope and model are then checked). */
const NEIGHBOURS = 40;

/**
 * Whether each row repeats an existing memory (same scope, similarity ≥ 0.95). The nearest
 * {@link NEIGHBOURS} vectors come from the HNSW index unfiltered and scope and model are checked
 * on them: with the filters in SQL PostgreSQL misestimates them and scans every memory (40 ms a
 * write at 10,000 memories). A repeat hidden behind 40 closer vectors of other scopes is missed.
 */
export async function repeats(
  tx: SqlQueryable,
  dim: number,
  model: string,
  rows: readonly Memory[],
  vectors: readonly number[][],
): Promise<boolean[]> {
  if (rows.length > UNIQUE_CHECK_MAX_BATCH) return rows.map(() => false);
  const out: boolean[] = [];
  for (const [i, r] of rows.entries()) {
    const near = await tx.query<Record<string, unknown> & { d: number }>(
      `SELECT (e.dim_${dim} <=> $1::vector) AS d, m."type", m."agentId", m."roomId", m."worldId",
         m."entityId", ${sameModelSql(dim, "$2::text")} AS "sameModel"
       FROM embeddings e JOIN memories m ON m."id" = e.memory_id
       WHERE e.dim_${dim} IS NOT NULL
       ORDER BY e.dim_${dim} <=> $1::vector LIMIT ${NEIGHBOURS}`,
      [toVectorLiteral(vectors[i]!), model],
    );
    const id = (v: unknown) => (v ? String(v).toLowerCase() : null);
    const inScope = (n: Record<string, unknown>) =>
      n.type === r.type && id(n.agentId) === id(r.agentId) &&
      (["roomId", "worldId", "entityId"] as const).every((k) => !r[k] || id(n[k]) === id(r[k]));
    out.push(
      near.some((n) =>
        n.sameModel === true && 1 - Number(n.d) >= DUPLICATE_SIMILARITY && inScope(n)
      ),
    );
  }
  return out;
}
