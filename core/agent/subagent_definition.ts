/**
 * What a sub-agent is: a name, a system prompt, a tool allow-list and budgets. Built-in ones are
 * actor files under actors/ (`export default subagentActor(defineSubagent({...}))`); generated
 * ones are data in learned_skills/agents/<name>/ (agent.json, prompt.md; learned_agent.ts) and
 * run in the generic `actors/subagent.ts` actor with the definition as spawn config.
 */
import { z } from "zod";

/** Budgets a sub-agent may set (a subset of the loop's). */
export const SubagentBudgetsSchema = z.strictObject({
  maxSteps: z.number().int().positive().optional(),
  maxTokens: z.number().int().positive().optional(),
  timeMs: z.number().int().positive().optional(),
  cellTimeoutMs: z.number().int().positive().optional(),
  observationChars: z.number().int().positive().optional(),
});

/** Schema of a sub-agent definition (validated when loaded and when spawned). */
export const SubagentDefinitionSchema = z.strictObject({
  name: z.string().regex(/^[a-z][a-z0-9_]*$/, "use lower_snake_case"),
  description: z.string().min(1),
  systemPrompt: z.string().min(1),
  /** Registry tools the sub-agent may call from its kernel; kernel helpers are always there. */
  tools: z.array(z.string()).default([]),
  budgets: SubagentBudgetsSchema.default({}),
});

/** A validated sub-agent definition. */
export type SubagentDefinition = z.infer<typeof SubagentDefinitionSchema>;

/** Validates a definition; throws an Error naming the bad field and where it came from. */
export function defineSubagent(
  def: z.input<typeof SubagentDefinitionSchema>,
  source = "sub-agent definition",
): SubagentDefinition {
  const parsed = SubagentDefinitionSchema.safeParse(def);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`);
  throw new Error(`Invalid ${source}: ${issues.join("; ")}`);
}

/** The data a sub-agent receives: a summary, plus the full value in its kernel as `input`. */
export interface SubagentInput {
  /** Variable name in the orchestrator's kernel. */
  variable: string;
  /** A description of the data (the whole data when small). */
  summary: string;
  /** True when the data is too large for the prompt and is only in the kernel variable. */
  large: boolean;
}

/** The first user message of a sub-agent: instructions and the input summary. */
export function subagentTask(input: SubagentInput, instructions?: string): string {
  const where = input.large
    ? "The full data is in your kernel as the variable `input`; read it with execute_code."
    : "The same data is also in your kernel as the variable `input`.";
  return `${instructions?.trim() || "Do your job on the input."}\n\n` +
    `Input (from "${input.variable}"): ${input.summary}\n${where}\n` +
    "Reply with the result as plain text (JSON if it is structured) when you are done.";
}

/** The system prompt suffix every sub-agent gets: how to use its kernel. */
export const SUBAGENT_KERNEL_NOTE = "Work with execute_code (TypeScript in a persistent kernel; " +
  "the value of the last expression is returned, cut to a few thousand characters) and " +
  "search_tools. Tools are called in code as `await tools.<name>(input)`.";
