import assert from "node:assert/strict";
import { ConfigSchema } from "../config.ts";
import { SentenceEncoder } from "../embedding/sentence_encoder.ts";
import { HttpEmbedder } from "../memory/http_embedder.ts";
import { toolSemanticOptions, WORD_VECTOR_FUSION } from "./tool_embedder.ts";
import { WordVectorEmbedder } from "./word_vector_embedder.ts";

const config = (toolSearch: object, embedding: object = {}, dataDir = "/tmp/tool-embedder-test") =>
  ConfigSchema.parse({ toolSearch, embedding, database: { dataDir } });

Deno.test("tool search embedder: local by default, word vectors, endpoint on request, or off", () => {
  const local = toolSemanticOptions(config({}));
  assert.ok(local?.embedder instanceof SentenceEncoder);
  assert.equal(local?.cacheFile, "/tmp/tool-embedder-test/tool_vectors.json");
  assert.equal(toolSemanticOptions(config({ embedder: "off" })), undefined);
  const words = toolSemanticOptions(config({ embedder: "words" }));
  assert.ok(words?.embedder instanceof WordVectorEmbedder);
  assert.equal(words?.cacheFile, undefined);
  assert.deepEqual(words?.fusion, WORD_VECTOR_FUSION);
  const endpoint = toolSemanticOptions(
    config({ embedder: "endpoint" }, { baseUrl: "http://127.0.0.1:9/v1", model: "bge/small" }),
  );
  assert.ok(endpoint?.embedder instanceof HttpEmbedder);
  assert.equal(endpoint?.cacheFile, "/tmp/tool-embedder-test/tool_vectors.bge_small.json");
});

Deno.test("tool search embedder: endpoint without an embedding endpoint is a config error", () => {
  assert.throws(
    () => toolSemanticOptions(config({ embedder: "endpoint" })),
    /TOOL_SEARCH_EMBEDDER=endpoint needs EMBEDDING_BASE_URL and EMBEDDING_MODEL/,
  );
  assert.throws(() => config({ embedder: "magic" }), /embedder/);
});
