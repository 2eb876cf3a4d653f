/** The memory manager: PostgreSQL/PGlite + pgvector store, embedders, hybrid search. Re-exports only. */
export * from "./types.ts";
export * from "./errors.ts";
export * from "./sql_client.ts";
export * from "./pg_client.ts";
export * from "./pglite_client.ts";
export * from "./migrations.ts";
export * from "./embedder.ts";
export * from "./hash_embedder.ts";
export * from "./http_embedder.ts";
export * from "./memory_store.ts";
export * from "./hybrid_search.ts";
export * from "./archive.ts";
export * from "./backfill.ts";
export * from "./platform_rows.ts";
export * from "./memory_service.ts";
export * from "./open_memory.ts";
