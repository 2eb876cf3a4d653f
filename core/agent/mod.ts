/**
 * The orchestrator: the code-mode loop (`runTask`), its initial context, the tool router that
 * answers cells' `tools.x()` calls, sub-agents (`call_subagent`) and sessions. Re-exports only.
 */
export * from "./agent_session.ts";
export * from "./budgets.ts";
export * from "./context_stats.ts";
export * from "./events.ts";
export * from "./kernel_port.ts";
export * from "./kernel_prelude.ts";
export * from "./observation.ts";
export * from "./real_kernel.ts";
export * from "./render_value.ts";
export * from "./run_task.ts";
export * from "./subagent_actor.ts";
export * from "./subagent_capabilities.ts";
export * from "./subagent_catalog.ts";
export * from "./subagent_definition.ts";
export * from "./subagent_runner.ts";
export * from "./system_prompt.ts";
export * from "./tool_router.ts";
