/**
 * Self-evolution: generated functions, sub-agents and tests, reviews, approval, and
 * self-analysis of the recorded history. Re-exports only.
 */
export * from "./analyze_history.ts";
export * from "./approval.ts";
export * from "./evolution_service.ts";
export * from "./evolution_paths.ts";
export * from "./evolution_tools.ts";
export * from "./finding.ts";
export * from "./forbidden_apis.ts";
export * from "./generate_function.ts";
export * from "./generate_subagent.ts";
export * from "./generate_tests.ts";
export * from "./history_record.ts";
export * from "./learned_index.ts";
export * from "./learned_loader.ts";
export * from "./model_reply.ts";
export * from "./normalize_code.ts";
export * from "./prompts.ts";
export * from "./review_code.ts";
export * from "./run_deno.ts";
export * from "./skill_file.ts";
export * from "./staged_test.ts";
export * from "./static_checks.ts";
export * from "./static_review.ts";
export * from "./test_runner.ts";
export * from "./history_recorder.ts";
export * from "./repl_text.ts";
export * from "./evolution_api.ts";
