/**
 * The orchestrator's initial context: a short system prompt and two meta-tools, `execute_code`
 * and `search_tools`. Everything else (tools, variables, sub-agents, memory) is a function in
 * the kernel that the model finds with `search_tools`, so the context does not grow with the
 * number of tools. `initialContextTokens` (context_stats.ts) measures it (target ≤ 1,000).
 */
import type { ChatMessage, ToolSchema } from "../model/types.ts";
import { SEARCH_TOOLS_FUNCTION } from "../tools/meta_tools.ts";

/** The `execute_code` meta-tool as an OpenAI function schema. */
export const EXECUTE_CODE_FUNCTION: ToolSchema = {
  name: "execute_code",
  description: "Run TypeScript in your persistent kernel. Variables, functions and imports " +
    "persist between calls. Returns the value of the last expression, console output or " +
    "the error, cut to a few thousand characters.",
  parameters: {
    type: "object",
    properties: { code: { type: "string", description: "TypeScript to run" } },
    required: ["code"],
  },
};

/** The two tools the orchestrator model is given. */
export const META_TOOLS: readonly ToolSchema[] = [
  EXECUTE_CODE_FUNCTION,
  SEARCH_TOOLS_FUNCTION as unknown as ToolSchema,
];

/** The orchestrator's system prompt; `name` is the agent's name. */
export function orchestratorPrompt(name = "Autoliza"): string {
  return `You are ${name}, an autonomous agent that works by writing code.
Act with execute_code: TypeScript in a persistent kernel (top-level await works). Keep big data
in variables and print only small summaries: results are cut to a few thousand characters.
Find capabilities with search_tools("what you need"), then call them in code as
\`await tools.<name>(input)\`. The kernel also has these functions:
- list_variables(), inspect_variable(name): what the kernel holds.
- search_tools(query), describe_tool(name): the same search from inside code.
- call_subagent(name, variable_name, instructions?): hand a variable to a specialist
  sub-agent (fresh context, e.g. "summarizer"); returns its result, also stored as a variable.
If code fails, read the error and fix it. When you are done, reply with the final answer as
plain text, without calling a tool.`;
}

/** The first messages of a task: the system prompt, then the task. */
export function initialMessages(task: string, systemPrompt = orchestratorPrompt()): ChatMessage[] {
  return [{ role: "system", content: systemPrompt }, { role: "user", content: task }];
}
