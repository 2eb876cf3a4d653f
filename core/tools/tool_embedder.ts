/**
 * The embedder `search_tools` fuses with keyword search, chosen by `toolSearch.embedder`
 * (TOOL_SEARCH_EMBEDDER): the local sentence encoder (default), averaged word vectors (fast,
 * nothing to keep), the configured embedding endpoint, or none. Encoder vectors are kept in
 * `<database.dataDir>/tool_vectors.json`.
 */
import { join } from "node:path";
import type { Config } from "../config.ts";
import { SentenceEncoder } from "../embedding/sentence_encoder.ts";
import { ConfigError } from "../errors.ts";
import { httpEmbedderFromConfig } from "../memory/http_embedder.ts";
import type { RegistryOptions } from "./registry.ts";
import { WordVectorEmbedder } from "./word_vector_embedder.ts";

/**
 * Fusion for word vectors: their cosines run higher and mean less than the encoder's, so a lower
 * weight and fit threshold (weight chosen on the even-numbered tools-dev queries; the threshold
 * keeps 97% of BFCL's gold tools, as the encoder's and the keyword threshold do).
 */
export const WORD_VECTOR_FUSION = { weight: 2, minFit: 1.8 };

/** Registry options for semantic search, or undefined when it is off. */
export function toolSemanticOptions(
  config: Pick<Config, "toolSearch" | "embedding" | "database">,
): RegistryOptions["semantic"] {
  const which = config.toolSearch.embedder;
  if (which === "off") return undefined;
  if (which === "words") return { embedder: new WordVectorEmbedder(), fusion: WORD_VECTOR_FUSION };
  const cacheFile = join(config.database.dataDir, "tool_vectors.json");
  Deno.mkdirSync(config.database.dataDir, { recursive: true });
  if (which === "local") return { embedder: new SentenceEncoder(), cacheFile };
  const embedder = httpEmbedderFromConfig(config.embedding);
  if (!embedder) {
    throw new ConfigError(
      "TOOL_SEARCH_EMBEDDER=endpoint needs EMBEDDING_BASE_URL and EMBEDDING_MODEL " +
        "(or use local / off)",
    );
  }
  return {
    embedder,
    cacheFile: join(config.database.dataDir, `tool_vectors.${safe(embedder.model)}.json`),
  };
}

function safe(name: string): string {
  return name.replace(/[^A-Za-z0-9_.-]+/g, "_");
}
