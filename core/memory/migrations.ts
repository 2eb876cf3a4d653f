/**
 * Idempotent migrations: create the platform's ElizaOS tables when missing (same column names
 * and types as ../shared/contracts/neurosync.md), then add what retrieval needs (an HNSW index
 * on the dimension column in use, a full-text index over `content->>'text'`). Nothing is ever
 * dropped or rewritten, so a database the old agent uses keeps working.
 */
import type { SqlClient } from "./sql_client.ts";
import { EMBEDDING_DIMS } from "./types.ts";

/**
 * The full-text expression over a memory's text plus its optional search context
 * (`metadata.searchContext`); the index and every query must use this same expression.
 */
export function ftsExpr(alias = "m."): string {
  return `to_tsvector('english', coalesce(${alias}"content"->>'text', '') || ' ' || ` +
    `coalesce(${alias}"metadata"->>'searchContext', ''))`;
}

/** {@link ftsExpr} for a `memories m` alias. */
export const FTS_EXPR: string = ftsExpr();

const TABLES = `
CREATE EXTENSION IF NOT EXISTS vector;
CREATE TABLE IF NOT EXISTS memories (
  "id" uuid PRIMARY KEY,
  "type" text NOT NULL,
  "createdAt" timestamptz NOT NULL DEFAULT now(),
  "content" jsonb NOT NULL,
  "entityId" uuid,
  "agentId" uuid,
  "roomId" uuid,
  "worldId" uuid,
  "unique" boolean DEFAULT true,
  "metadata" jsonb DEFAULT '{}'::jsonb
);
CREATE TABLE IF NOT EXISTS embeddings (
  id uuid PRIMARY KEY,
  memory_id uuid NOT NULL REFERENCES memories("id") ON DELETE CASCADE,
  created_at timestamptz DEFAULT now(),
  ${EMBEDDING_DIMS.map((d) => `dim_${d} vector(${d})`).join(",\n  ")}
);
CREATE TABLE IF NOT EXISTS tool_usage (
  id serial PRIMARY KEY,
  timestamp timestamptz DEFAULT now(),
  agent_id uuid NOT NULL,
  tool_name varchar(100),
  input_context jsonb,
  output_result jsonb,
  execution_time_ms int,
  success boolean,
  impact_score float DEFAULT 0.5,
  embedding vector(1536),
  metadata jsonb
);
CREATE TABLE IF NOT EXISTS context_archive (
  id serial PRIMARY KEY,
  timestamp timestamptz DEFAULT now(),
  agent_id uuid NOT NULL,
  archived_content jsonb,
  compression_ratio float,
  importance_score float,
  retrieval_count int DEFAULT 0,
  last_accessed timestamptz,
  archive_reason varchar(100),
  metadata jsonb
);
CREATE TABLE IF NOT EXISTS memory_term_stats (term text PRIMARY KEY, df bigint NOT NULL);
CREATE INDEX IF NOT EXISTS embeddings_memory_id_idx ON embeddings (memory_id);
CREATE INDEX IF NOT EXISTS memories_type_created_idx ON memories ("type", "createdAt");
CREATE INDEX IF NOT EXISTS memories_room_idx ON memories ("roomId");
CREATE INDEX IF NOT EXISTS memories_search_fts_idx ON memories USING gin (${ftsExpr("")});
CREATE INDEX IF NOT EXISTS context_archive_text_fts_idx ON context_archive
  USING gin (to_tsvector('english', coalesce(archived_content->'content'->>'text', '')));
`;

/**
 * Session settings for HNSW search: a beam (100) wider than the 50 candidates a search takes, so
 * an unfiltered search ends in one pass (with pgvector's default of 40, LIMIT 50 always started
 * an iterative scan: at 100,000 memories p95 14 ms and up to 40 ms, now 8 ms, and 0.72 instead of
 * 0.63 of the exact top 50); iterative scans only where filters thin the results out.
 */
export const SEARCH_SESSION_SQL = [
  "SET hnsw.ef_search = 100",
  "SET hnsw.iterative_scan = relaxed_order",
];

/** Creates what is missing; safe to run on every start and concurrently with readers. */
export async function migrate(sql: SqlClient, dim: number): Promise<void> {
  if (!(EMBEDDING_DIMS as readonly number[]).includes(dim)) {
    throw new Error(`Cannot migrate: embedding dim ${dim} is not one of ${EMBEDDING_DIMS}`);
  }
  await sql.exec(TABLES);
  // pgvector's HNSW indexes vectors up to 2000 dimensions; dim_3072 is searched exactly.
  if (dim <= 2000) {
    await sql.exec(
      `CREATE INDEX IF NOT EXISTS embeddings_dim_${dim}_hnsw_idx ON embeddings ` +
        `USING hnsw (dim_${dim} vector_cosine_ops)`,
    );
  }
}
