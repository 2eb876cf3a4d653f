/**
 * Idempotent migrations: create the platform's ElizaOS tables when missing (same column names
 * and types as ../shared/contracts/neurosync.md), then add what retrieval needs (an HNSW index
 * on the dimension column in use, a full-text index over `content->>'text'`). Nothing is ever
 * dropped or rewritten, so a database the old agent uses keeps working.
 */
import {
  ANALYTICS_TABLES,
  ANALYTICS_VIEWS,
  analyticsForeignKeys,
  statements,
} from "./analytics_schema.ts";
import { ELIZA_TABLES, elizaMigrationStatements, recordElizaMigration } from "./eliza_schema.ts";
import type { SqlClient, SqlQueryable } from "./sql_client.ts";
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

/**
 * Tables a database created before the ElizaOS schema was adopted has (an earlier version of
 * this agent): kept working as they are; nothing here adds constraints to them.
 */
const LEGACY_TABLES = `
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
CREATE INDEX IF NOT EXISTS embeddings_memory_id_idx ON embeddings (memory_id);
`;

/** The indexes this agent adds to the platform's tables (what a rollback drops). */
export const OWN_INDEXES = [
  "embeddings_memory_id_idx",
  "memories_type_created_idx",
  "memories_room_idx",
  "memories_search_fts_idx",
  "context_archive_text_fts_idx",
  "tool_usage_write_id_idx",
  ...EMBEDDING_DIMS.map((d) => `embeddings_dim_${d}_hnsw_idx`),
] as const;

/**
 * The tables only this agent uses (what a rollback drops). Another part that adds a table of its
 * own to the platform's database lists it here.
 */
export const OWN_TABLES = ["memory_term_stats"] as const;

/** What retrieval needs on top of the platform's tables. */
const OWN_ADDITIONS = `
CREATE TABLE IF NOT EXISTS memory_term_stats (term text PRIMARY KEY, df bigint NOT NULL);
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

/** The schema the platform's tables live in: that of `memories`, else the current one. */
export async function tableSchema(sql: SqlQueryable): Promise<string> {
  const rows = await sql.query<{ s: string }>(
    `SELECT coalesce((SELECT n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE c.oid = to_regclass('memories')), current_schema()) AS s`,
  );
  return String(rows[0]!.s);
}

/** Which of `tables` exist in the platform's schema. */
export async function existingTables(sql: SqlQueryable, tables: string[]): Promise<Set<string>> {
  const schema = await tableSchema(sql);
  const rows = await sql.query<{ t: string }>(
    `SELECT table_name AS t FROM information_schema.tables
     WHERE table_schema = $1 AND table_name = ANY($2::text[])`,
    [schema, tables],
  );
  return new Set(rows.map((r) => String(r.t)));
}

/** True when the ElizaOS tables the agent's writes reference (and are constrained by) exist. */
export async function elizaTablesExist(sql: SqlQueryable): Promise<boolean> {
  const want = ["agents", "entities", "rooms", "worlds", "memories"];
  return (await existingTables(sql, want)).size === want.length;
}

/**
 * Creates what is missing; safe to run on every start. An empty database gets the ElizaOS
 * schema (recorded as migrated, so the old agent can start on it), the analytics tables with
 * their foreign keys, and this agent's additions; an existing one only the additions and any
 * missing analytics table. Rows are never dropped or rewritten.
 */
export async function migrate(sql: SqlClient, dim: number): Promise<void> {
  if (!(EMBEDDING_DIMS as readonly number[]).includes(dim)) {
    throw new Error(`Cannot migrate: embedding dim ${dim} is not one of ${EMBEDDING_DIMS}`);
  }
  await sql.exec("CREATE EXTENSION IF NOT EXISTS vector");
  const eliza = ELIZA_TABLES.map(([name]) => name);
  const found = await existingTables(sql, eliza);
  if (!found.size) await createElizaSchema(sql);
  else if (!found.has("agents")) await sql.exec(LEGACY_TABLES);
  await sql.exec(ANALYTICS_TABLES + OWN_ADDITIONS);
  // pgvector's HNSW indexes vectors up to 2000 dimensions; dim_3072 is searched exactly.
  if (dim <= 2000) {
    await sql.exec(
      `CREATE INDEX IF NOT EXISTS embeddings_dim_${dim}_hnsw_idx ON embeddings ` +
        `USING hnsw (dim_${dim} vector_cosine_ops)`,
    );
  }
}

/** The ElizaOS schema plus the analytics tables with their foreign keys, in one transaction. */
async function createElizaSchema(sql: SqlClient): Promise<void> {
  try {
    await sql.exec("CREATE EXTENSION IF NOT EXISTS fuzzystrmatch");
  } catch {
    // Not on every engine (PGlite without the contrib module): only ElizaOS's cache lookups use it.
  }
  await sql.transaction(async (tx) => {
    // Two agents starting on one empty database: the second waits, then finds the tables.
    await tx.query(`SELECT pg_advisory_xact_lock(7415243)`);
    if ((await existingTables(tx, ["agents"])).size) return;
    for (const statement of elizaMigrationStatements()) await tx.query(statement);
    for (const statement of recordElizaMigration()) await tx.query(statement);
    const analytics = [
      ...statements(ANALYTICS_TABLES),
      ...analyticsForeignKeys(),
      ...statements(ANALYTICS_VIEWS),
    ];
    for (const statement of analytics) await tx.query(statement);
  });
}
