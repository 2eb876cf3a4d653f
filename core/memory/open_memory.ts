/**
 * Builds the memory store from the configuration: PostgreSQL when `database.url` is set
 * (DATABASE_URL / POSTGRES_URL), embedded PGlite in `<database.dataDir>/pglite` otherwise; the HTTP
 * embedder when `embedding.baseUrl` and `embedding.model` are set, the offline one otherwise.
 */
import type { Config } from "../config.ts";
import type { Embedder } from "./embedder.ts";
import { HashEmbedder } from "./hash_embedder.ts";
import { httpEmbedderFromConfig } from "./http_embedder.ts";
import { loadWordVectors } from "./load_word_vectors.ts";
import { MemoryStore } from "./memory_store.ts";
import { SEARCH_SESSION_SQL } from "./migrations.ts";
import { PgliteClient } from "./pglite_client.ts";
import type { SqlClient } from "./sql_client.ts";

/** The parts of Config the memory manager reads; `agent` owns rows that name no agent. */
export type MemoryConfig = Pick<Config, "database" | "embedding"> & {
  agent?: { id: string } | undefined;
};

/** The embedder the configuration selects. */
export function embedderFromConfig(config: MemoryConfig): Embedder {
  return httpEmbedderFromConfig(config.embedding) ?? new HashEmbedder(config.embedding.dim);
}

/** Opens the SQL client the configuration selects (`backend` overrides the choice). */
export async function sqlClientFromConfig(
  config: MemoryConfig,
  backend?: "postgres" | "pglite",
): Promise<SqlClient> {
  const which = backend ?? (config.database.url ? "postgres" : "pglite");
  if (which === "postgres") {
    if (!config.database.url) {
      throw new Error("The postgres backend needs DATABASE_URL (or POSTGRES_URL) to be set");
    }
    // Loaded lazily: npm:pg reads environment variables at import, which the embedded
    // engine's actor is not granted.
    const { PgClient } = await import("./pg_client.ts");
    return new PgClient({ url: config.database.url, sessionSql: SEARCH_SESSION_SQL });
  }
  return await PgliteClient.open(`${config.database.dataDir}/pglite`, SEARCH_SESSION_SQL);
}

/**
 * Opens the configured store and runs the migrations. The word vectors of the semantic soft
 * match are the table shipped in core/memory/data/; without them search still works, lexically
 * only, after one warning.
 */
export async function openMemoryStore(
  config: MemoryConfig,
  o: { warn?: (line: string) => void } = {},
): Promise<MemoryStore> {
  const wordVectors = await loadWordVectors(o);
  const sql = await sqlClientFromConfig(config);
  try {
    return await MemoryStore.open(sql, {
      embedder: embedderFromConfig(config),
      ...(config.agent ? { owner: { agentId: config.agent.id } } : {}),
      ...(wordVectors ? { fusion: { wordVectors } } : {}),
    });
  } catch (e) {
    await sql.close();
    throw e;
  }
}
