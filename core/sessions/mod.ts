/** Saved sessions: save/load of kernel data, definitions, learned refs and history. Re-exports only. */
export * from "./definitions.ts";
export * from "./learned_refs.ts";
export * from "./session_file.ts";
export * from "./session_state.ts";
export * from "./sync_dir.ts";
