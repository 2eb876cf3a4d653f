/**
 * The shape of a tool: one file in `tools/` whose default export is `defineTool({...})`.
 * The file name is the tool name the model sees. Policy (approval, timeout, permissions) is
 * data on the definition; the registry checks each export at load time.
 */
import type { z } from "zod";
import type { Logger } from "./log.ts";

/** What a tool's `run` receives besides its validated input. */
export interface ToolContext {
  /** Aborted when the call times out or the task is cancelled. */
  signal: AbortSignal;
  log: Logger;
  /** Per-tool parameters from tools.yaml (`tools.<name>.params`). */
  params: Record<string, unknown>;
  /** Capabilities the host offers (memory, SCB, VTuber clients, ...), by name. */
  services: Record<string, unknown>;
  /** The session or cycle this call belongs to, for logs and `tool_usage` rows. */
  sessionId?: string;
  /** The calling kernel's workspace (its cells' cwd), when the call comes from a cell. */
  workspaceDir?: string;
}

/** A tool definition as written by a skill author. */
export interface ToolDefinition<I extends z.ZodType = z.ZodType, O = unknown> {
  /** One or two sentences: what it does and when to use it. Searched by `search_tools`. */
  description: string;
  /** Input schema; its `.describe()` texts become parameter docs. */
  input: I;
  /** Optional output schema, rendered in the TypeScript signature. */
  output?: z.ZodType<O>;
  run: (input: z.infer<I>, ctx: ToolContext) => O | Promise<O>;
  /** Ask a person (REPL) or the approval policy before running. Default false. */
  requiresApproval?: boolean;
  /** Per-call timeout; default 30 s. */
  timeoutMs?: number;
  /** Hosts or paths this tool reaches; documentation for reviewers and the registry. */
  permissions?: { net?: string[]; read?: string[]; write?: string[] };
  /** Extra words for search (synonyms); optional. */
  tags?: string[];
}

/**
 * Declares a tool. Identity at run time; it exists for type inference.
 *
 * @example
 * ```ts
 * export default defineTool({
 *   description: "Count the words in a text",
 *   input: z.object({ text: z.string().describe("Text to count") }),
 *   run: ({ text }) => ({ words: text.split(/\s+/).filter(Boolean).length }),
 * });
 * ```
 */
export function defineTool<I extends z.ZodType, O>(
  def: ToolDefinition<I, O>,
): ToolDefinition<I, O> {
  return def;
}
