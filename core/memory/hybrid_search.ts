/**
 * Hybrid retrieval: nearest neighbours on the vector column (HNSW) and PostgreSQL full-text
 * ('english' stemming, OR of the query's words), fused by reciprocal rank fusion, then optional
 * recency and importance weighting, with duplicate texts collapsed to their best hit.
 */
import { toVectorLiteral } from "./embedder.ts";
import { FTS_EXPR } from "./migrations.ts";
import { filterSql, IMPORTANCE_SQL, MEMORY_COLUMNS, rowToMemory } from "./rows.ts";
import type { Row, SqlQueryable } from "./sql_client.ts";
import { words } from "./text_features.ts";
import type { Memory, SearchHit, SearchQuery } from "./types.ts";

/** Tuning of the fusion; the defaults were chosen on the LoCoMo dev split. */
export interface FusionOptions {
  /** Candidates taken from each list; default max(5 × limit, 50). */
  candidates?: number;
  /** RRF constant; default 60. */
  k?: number;
  vectorWeight?: number;
  textWeight?: number;
}

/** An OR tsquery over the words of `text` (only letters and digits reach PostgreSQL). */
export function orQuery(text: string): string {
  return [...new Set(words(text))].slice(0, 64).join(" | ");
}

/** Runs both retrievers and fuses them. */
export async function hybridSearch(
  db: SqlQueryable,
  dim: number,
  vector: number[],
  q: SearchQuery,
  fusion: FusionOptions = {},
): Promise<SearchHit[]> {
  const limit = q.limit ?? 10;
  const n = fusion.candidates ?? Math.max(5 * limit, 50);
  const k = fusion.k ?? 60;
  const terms = orQuery(q.text);
  const [byVector, byText, archived] = await Promise.all([
    vectorCandidates(db, dim, vector, q, n),
    terms ? textCandidates(db, terms, q, n) : Promise.resolve([]),
    q.includeArchived && terms ? archiveCandidates(db, terms, q, n) : Promise.resolve([]),
  ]);
  const hits = new Map<string, SearchHit & { importance: number }>();
  const take = (rows: Row[], source: "vector" | "text", weight: number, isArchived: boolean) => {
    rows.forEach((r, i) => {
      const memory = rowToMemory(r);
      const hit = hits.get(memory.id) ??
        { memory, score: 0, archived: isArchived, importance: Number(r.importance ?? 0.5) };
      if (source === "vector" && hit.vectorRank === undefined) hit.vectorRank = i + 1;
      else if (source === "text" && hit.textRank === undefined) hit.textRank = i + 1;
      else return;
      hit.score += weight / (k + i + 1);
      hits.set(memory.id, hit);
    });
  };
  take(byVector, "vector", fusion.vectorWeight ?? 1, false);
  take(byText, "text", fusion.textWeight ?? 1, false);
  take(archived, "text", fusion.textWeight ?? 1, true);
  const now = Date.now();
  const halfLife = (q.recencyHalfLifeHours ?? 72) * 3_600_000;
  for (const hit of hits.values()) {
    const recency = Math.pow(0.5, Math.max(0, now - hit.memory.createdAt.getTime()) / halfLife);
    hit.score *= 1 + (q.recencyWeight ?? 0) * recency +
      (q.importanceWeight ?? 0) * (hit.importance - 0.5);
  }
  const ranked = [...hits.values()].sort((a, b) => b.score - a.score);
  const seen = new Set<string>();
  const out: SearchHit[] = [];
  for (const { importance: _i, ...hit } of ranked) {
    const key = `${hit.memory.type}\n${normalizeText(hit.memory)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(hit);
    if (out.length >= limit) break;
  }
  return out;
}

function normalizeText(m: Memory): string {
  return String(m.content.text ?? "").toLowerCase().replace(/\s+/g, " ").trim();
}

function vectorCandidates(
  db: SqlQueryable,
  dim: number,
  vector: number[],
  q: SearchQuery,
  n: number,
): Promise<Row[]> {
  const params: unknown[] = [toVectorLiteral(vector)];
  const where = filterSql(q, params);
  params.push(n);
  const col = `e.dim_${dim}`;
  return db.query(
    `SELECT ${MEMORY_COLUMNS}, ${IMPORTANCE_SQL} AS importance
     FROM embeddings e JOIN memories m ON m."id" = e.memory_id
     WHERE ${col} IS NOT NULL AND ${where}
     ORDER BY ${col} <=> $1::vector LIMIT $${params.length}`,
    params,
  );
}

function textCandidates(db: SqlQueryable, terms: string, q: SearchQuery, n: number) {
  const params: unknown[] = [terms];
  const where = filterSql(q, params);
  params.push(n);
  return db.query(
    `SELECT ${MEMORY_COLUMNS}, ${IMPORTANCE_SQL} AS importance
     FROM memories m, to_tsquery('english', $1) query
     WHERE ${FTS_EXPR} @@ query AND ${where}
     ORDER BY ts_rank(${FTS_EXPR}, query, 1) DESC LIMIT $${params.length}`,
    params,
  );
}

/** Archived rows keep their original memory under `archived_content`; searched lexically. */
function archiveCandidates(db: SqlQueryable, terms: string, q: SearchQuery, n: number) {
  const params: unknown[] = [terms];
  const where = filterSql(q, params);
  params.push(n);
  return db.query(
    `SELECT ${MEMORY_COLUMNS}, ${IMPORTANCE_SQL} AS importance FROM (
       SELECT (a.archived_content->>'id')::uuid AS "id", a.archived_content->>'type' AS "type",
         (a.archived_content->>'createdAt')::timestamptz AS "createdAt",
         a.archived_content->'content' AS "content",
         (a.archived_content->>'entityId')::uuid AS "entityId",
         (a.archived_content->>'agentId')::uuid AS "agentId",
         (a.archived_content->>'roomId')::uuid AS "roomId",
         (a.archived_content->>'worldId')::uuid AS "worldId", true AS "unique",
         coalesce(a.archived_content->'metadata', '{}'::jsonb) AS "metadata",
         ts_rank(to_tsvector('english', coalesce(a.archived_content->'content'->>'text', '')),
           query, 1) AS rank
       FROM context_archive a, to_tsquery('english', $1) query
       WHERE to_tsvector('english', coalesce(a.archived_content->'content'->>'text', '')) @@ query
     ) m WHERE ${where} ORDER BY rank DESC LIMIT $${params.length}`,
    params,
  );
}
