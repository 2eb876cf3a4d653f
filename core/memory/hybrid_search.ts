/**
 * Hybrid retrieval: nearest neighbours on the vector column (HNSW) and PostgreSQL full-text
 * candidates ('english' stemming, OR of the query's words) reranked by the lexical score of
 * `lexical_rerank.ts` (BM25 with the store's IDF statistics, as ts_rank has no IDF; an author
 * bonus; a word-vector soft match), fused by reciprocal rank fusion, rescored with each memory's
 * neighbours in room and time (`neighbour_rerank.ts`) and, for "when" queries, favouring memories
 * that say when (`time_intent.ts`), then optional recency and importance weighting, with
 * duplicate texts collapsed to their best hit.
 */
import { toVectorLiteral } from "./embedder.ts";
import { FTS_EXPR } from "./migrations.ts";
import { filterSql, IMPORTANCE_SQL, MEMORY_COLUMNS, rowToMemory } from "./rows.ts";
import type { Row, SqlQueryable } from "./sql_client.ts";
import { isStopword, stem, words } from "./text_features.ts";
import { type IdfTable, loadIdf, terms } from "./term_stats.ts";
import { lexicalScores, type LexicalWeights } from "./lexical_rerank.ts";
import type { TermStatsCache } from "./term_stats_cache.ts";
import { neighbourRerank, type NeighbourWeights } from "./neighbour_rerank.ts";
import { timeIntentBonus } from "./time_intent.ts";
import { sameModelSql } from "./unique_check.ts";
import type { WordVectors } from "./word_vectors.ts";
import type { Memory, SearchHit, SearchQuery } from "./types.ts";

/** Tuning of the fusion (MemoryStore picks defaults tuned on the LoCoMo dev split). */
export interface FusionOptions {
  /** Candidates taken from the vector index; default max(5 × limit, 50). */
  candidates?: number;
  /** Most full-text rows fetched per query (rare words first, see {@link rareWords}); 200. */
  textBudget?: number;
  /** RRF constant; default 60. */
  k?: number;
  vectorWeight?: number;
  textWeight?: number;
  /** Author and semantic parts of the lexical score (see {@link lexicalScores}). */
  lexical?: LexicalWeights;
  /** Word vectors for the semantic soft match; without them it is off. */
  wordVectors?: WordVectors;
  /** Where BM25's term counts come from; default: read `memory_term_stats` on every search. */
  termStats?: Pick<TermStatsCache, "load">;
  /** The second stage by room and time (see {@link neighbourRerank}); `false`: off. */
  neighbours?: NeighbourWeights | false;
  /** Bonus for memories that say when, on "when" queries ({@link timeIntentBonus}); 0.5. */
  timeIntent?: number;
  /**
   * The embedder's model: only vectors it made are compared with the query (the platform's
   * column may hold another model's vectors of the same dimension). Unset: every vector.
   */
  model?: string;
}

/** An OR tsquery over the words of `text` (only letters and digits reach PostgreSQL). */
export function orQuery(text: string): string {
  return [...new Set(words(text))].slice(0, 64).join(" | ");
}

/**
 * The words worth a full-text lookup: rarest first while their summed document frequency stays
 * within `budget` (always at least the rarest one). Common words would match most rows and make
 * the lookup cost grow with the corpus; BM25 still scores them on the candidates found.
 */
export function rareWords(text: string, table: IdfTable, budget: number): string[] {
  const byDf = [...new Set(words(text).filter((w) => !isStopword(w)))]
    .map((w) => ({ w, df: table.df(stem(w)) }))
    .sort((a, b) => a.df - b.df);
  const out: string[] = [];
  let sum = 0;
  for (const { w, df } of byDf) {
    if (out.length && sum + df > budget) break;
    out.push(w);
    sum += df;
  }
  return out;
}

/** Runs both retrievers, reranks lexical candidates with BM25, and fuses by RRF. */
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
  const tsq = orQuery(q.text);
  const queryTerms = terms(q.text);
  const budget = fusion.textBudget ?? 200;
  const lexical = async () => {
    const idf = await (fusion.termStats?.load(db, queryTerms) ?? loadIdf(db, queryTerms));
    const rare = rareWords(q.text, idf, budget).join(" | ");
    return { idf, rows: rare ? await textCandidates(db, rare, q, budget) : [] };
  };
  const [byVector, { idf, rows: byText }, archived] = await Promise.all([
    fusion.vectorWeight === 0
      ? Promise.resolve([])
      : vectorCandidates(db, dim, vector, q, n, fusion.model),
    lexical(),
    q.includeArchived && tsq ? archiveCandidates(db, tsq, q, n) : Promise.resolve([]),
  ]);
  const hits = new Map<string, Candidate>();
  const add = (r: Row, isArchived: boolean) => {
    const memory = rowToMemory(r);
    let c = hits.get(memory.id);
    if (!c) {
      c = { memory, score: 0, archived: isArchived, importance: Number(r.importance ?? 0.5) };
      hits.set(memory.id, c);
    }
    return c;
  };
  byVector.forEach((r, i) => {
    const c = add(r, false);
    c.vectorRank ??= i + 1;
  });
  for (const r of byText) add(r, false);
  for (const r of archived) add(r, true);
  const all = [...hits.values()];
  lexicalScores(q.text, all.map((c) => c.memory), idf, fusion.wordVectors, fusion.lexical)
    .forEach((s, i) => (all[i]!.lexical = s));
  all.filter((c) => c.lexical! > 0).sort((a, b) => b.lexical! - a.lexical!)
    .forEach((c, i) => (c.textRank = i + 1));
  const now = Date.now();
  const halfLife = (q.recencyHalfLifeHours ?? 72) * 3_600_000;
  for (const c of hits.values()) {
    if (c.vectorRank) c.score += (fusion.vectorWeight ?? 1) / (k + c.vectorRank);
    if (c.textRank) c.score += (fusion.textWeight ?? 1) / (k + c.textRank);
  }
  if (fusion.neighbours !== false) neighbourRerank(all, fusion.neighbours);
  timeIntentBonus(q.text, all, fusion.timeIntent);
  for (const c of hits.values()) {
    const recency = Math.pow(0.5, Math.max(0, now - c.memory.createdAt.getTime()) / halfLife);
    c.score *= 1 + (q.recencyWeight ?? 0) * recency +
      (q.importanceWeight ?? 0) * (c.importance - 0.5);
  }
  const ranked = [...hits.values()].filter((c) => c.score > 0).sort((a, b) => b.score - a.score);
  const seen = new Set<string>();
  const out: SearchHit[] = [];
  for (const { importance: _i, lexical: _l, ...hit } of ranked) {
    const key = `${hit.memory.type}\n${normalizeText(hit.memory)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(hit);
    if (out.length >= limit) break;
  }
  return out;
}

interface Candidate extends SearchHit {
  importance: number;
  lexical?: number;
}

function normalizeText(m: Memory): string {
  return String(m.content.text ?? "").toLowerCase().replace(/\s+/g, " ").trim();
}

/**
 * Nearest neighbours in `dim_<N>`. Vectors another model made are dropped after the index scan
 * rather than filtered in SQL: PostgreSQL cannot estimate a filter on a jsonb key, and with one
 * it left the HNSW index for a sequential scan (10,000 rows: 93 ms instead of ~5 ms).
 */
async function vectorCandidates(
  db: SqlQueryable,
  dim: number,
  vector: number[],
  q: SearchQuery,
  n: number,
  model: string | undefined,
): Promise<Row[]> {
  const params: unknown[] = [toVectorLiteral(vector), model ?? null];
  const where = filterSql(q, params);
  params.push(n);
  const col = `e.dim_${dim}`;
  const rows = await db.query(
    `SELECT ${MEMORY_COLUMNS}, ${IMPORTANCE_SQL} AS importance,
       ($2::text IS NULL OR ${sameModelSql(dim, "$2::text")}) AS "sameModel"
     FROM embeddings e JOIN memories m ON m."id" = e.memory_id
     WHERE ${col} IS NOT NULL AND ${where}
     ORDER BY ${col} <=> $1::vector LIMIT $${params.length}`,
    params,
  );
  return rows.filter((r) => r.sameModel === true);
}

/**
 * Rows matching the (rare) words. The match runs alone in a materialised CTE so PostgreSQL uses
 * the GIN index; filtering first (e.g. by room) would recompute `to_tsvector` for every row.
 */
function textCandidates(db: SqlQueryable, terms: string, q: SearchQuery, n: number) {
  const params: unknown[] = [terms, 4 * n];
  const where = filterSql(q, params);
  params.push(n);
  return db.query(
    `WITH hits AS MATERIALIZED (
       SELECT * FROM memories m WHERE ${FTS_EXPR} @@ to_tsquery('english', $1) LIMIT $2
     )
     SELECT ${MEMORY_COLUMNS}, ${IMPORTANCE_SQL} AS importance
     FROM hits m WHERE ${where} LIMIT $${params.length}`,
    params,
  );
}

/**
 * Archived rows keep their original memory under `archived_content`, searched lexically. Both
 * formats are read: the old agent's `{memory_id, content, metadata, created_at, type}` and the
 * whole row (`id`, `createdAt`, ...) that earlier versions of this agent wrote.
 */
function archiveCandidates(db: SqlQueryable, terms: string, q: SearchQuery, n: number) {
  const params: unknown[] = [terms];
  const where = filterSql(q, params);
  params.push(n);
  const ac = (...keys: string[]) =>
    `coalesce(${keys.map((k) => `a.archived_content->>'${k}'`).join(", ")})`;
  return db.query(
    `SELECT ${MEMORY_COLUMNS}, ${IMPORTANCE_SQL} AS importance FROM (
       SELECT ${ac("id", "memory_id")}::uuid AS "id", coalesce(${ac("type")}, 'memories') AS "type",
         ${ac("createdAt", "created_at")}::timestamptz AS "createdAt",
         a.archived_content->'content' AS "content",
         ${ac("entityId")}::uuid AS "entityId",
         coalesce(${ac("agentId")}::uuid, a.agent_id) AS "agentId",
         ${ac("roomId")}::uuid AS "roomId",
         ${ac("worldId")}::uuid AS "worldId", true AS "unique",
         coalesce(a.archived_content->'metadata', '{}'::jsonb) AS "metadata",
         ts_rank(to_tsvector('english', coalesce(a.archived_content->'content'->>'text', '')),
           query, 1) AS rank
       FROM context_archive a, to_tsquery('english', $1) query
       WHERE to_tsvector('english', coalesce(a.archived_content->'content'->>'text', '')) @@ query
     ) m WHERE ${where} ORDER BY rank DESC LIMIT $${params.length}`,
    params,
  );
}
