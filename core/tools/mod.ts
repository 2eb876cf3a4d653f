/**
 * Tool registry and progressive tool discovery: load `tools/*.ts`, apply `tools.yaml`, search
 * tools (BM25F) and render them as TypeScript declarations, run calls with validation,
 * approval and timeouts. Re-exports only.
 */
export * from "./bm25_index.ts";
export * from "./call_tool.ts";
export * from "./catalog.ts";
export * from "./close_names.ts";
export * from "./hybrid_search.ts";
export * from "./json_schema_ts.ts";
export * from "./meta_tools.ts";
export * from "./registry.ts";
export * from "./signature.ts";
export * from "./tokenize.ts";
export * from "./tool_loader.ts";
export * from "./tool_search.ts";
export * from "./tool_spec.ts";
export * from "./tools_config.ts";
export * from "./watch_tools.ts";
export * from "./word_vector_embedder.ts";
