/**
 * Token counts of the orchestrator's context, kept apart from system_prompt.ts because the
 * tokenizer is large and sub-agent workers must not load it.
 */
import { countTokens } from "../model/tokens.ts";
import { META_TOOLS, orchestratorPrompt } from "./system_prompt.ts";

/** Tokens of the initial context (system prompt + meta-tool schemas), without a task. */
export function initialContextTokens(systemPrompt = orchestratorPrompt()): Promise<number> {
  return countTokens([{ role: "system", content: systemPrompt }], META_TOOLS);
}
