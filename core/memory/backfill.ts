/**
 * Makes existing rows searchable: embeds memories that have no vector in the dimension column in
 * use (e.g. rows the old agent wrote in another dimension), in batches, filling that column on
 * the memory's one `embeddings` row (inserting a row only where there is none) and noting the
 * model in `metadata.embeddingModels`. A memory whose column already holds another model's
 * vector keeps it (the old agent reads it) and is found by full-text search only. Resumable:
 * each batch asks the database what is still missing, so a restart continues where it stopped.
 */
import { type Embedder, embedForIndex } from "./embedder.ts";
import { putVectors } from "./write_rows.ts";
import { recordTerms } from "./term_stats.ts";
import type { SqlClient } from "./sql_client.ts";
import { withRetry } from "./retry.ts";

/** Progress after each batch. */
export interface BackfillProgress {
  embedded: number;
  remaining: number;
}

/** Options for {@link backfillEmbeddings}. */
export interface BackfillOptions {
  batchSize?: number;
  signal?: AbortSignal;
  onProgress?: (p: BackfillProgress) => void;
  /** Texts longer than this are cut before embedding; default 20,000. */
  maxTextChars?: number;
  /** Called with the term counts each committed batch added (see {@link recordTerms}). */
  onTerms?: (counts: Map<string, number>) => void;
}

const MISSING = (dim: number) =>
  `FROM memories m WHERE coalesce(m."content"->>'text', '') <> '' AND NOT EXISTS (
     SELECT 1 FROM embeddings e WHERE e.memory_id = m."id" AND e.dim_${dim} IS NOT NULL)`;

/** Counts memories with text but no vector of `dim`. */
export async function countUnembedded(sql: SqlClient, dim: number): Promise<number> {
  const rows = await sql.query<{ n: number | string }>(`SELECT count(*) AS n ${MISSING(dim)}`);
  return Number(rows[0]?.n ?? 0);
}

/** Embeds every memory lacking a vector; returns the final progress. */
export async function backfillEmbeddings(
  sql: SqlClient,
  embedder: Embedder,
  o: BackfillOptions = {},
): Promise<BackfillProgress> {
  const dim = embedder.dim;
  const max = o.maxTextChars ?? 20_000;
  let embedded = 0;
  while (!o.signal?.aborted) {
    const rows = await withRetry(
      "backfill",
      () =>
        sql.query<{ id: string; text: string; context: string | null }>(
          `SELECT m."id" AS id, m."content"->>'text' AS text,
           m."metadata"->>'searchContext' AS context ${MISSING(dim)}
         ORDER BY m."createdAt", m."id" LIMIT $1`,
          [o.batchSize ?? 200],
        ),
    );
    if (!rows.length) break;
    const vectors = await embedForIndex(
      embedder,
      rows.map((r) => ({ text: r.text.slice(0, max), context: r.context?.slice(0, max) })),
    );
    const counts = await withRetry(
      "backfill",
      () =>
        sql.transaction(async (tx) => {
          await putVectors(tx, dim, rows.map((r, i) => [String(r.id), vectors[i]!]), {
            recordModel: embedder.model,
          });
          return await recordTerms(tx, rows.map((r) => `${r.text}\n${r.context ?? ""}`));
        }),
    );
    o.onTerms?.(counts);
    embedded += rows.length;
    o.onProgress?.({ embedded, remaining: await countUnembedded(sql, dim) });
  }
  return { embedded, remaining: await countUnembedded(sql, dim) };
}
