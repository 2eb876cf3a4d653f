/**
 * The text the model sees from its discovery meta-tools: `search_tools(query, k)` returns the
 * best tools as TypeScript declarations, or says plainly that nothing fits; `describe_tool(name)`
 * returns one declaration, or close names when the name is unknown.
 */
import { closeNames } from "./close_names.ts";
import { renderSignature } from "./signature.ts";
import type { ToolHit } from "./tool_search.ts";
import type { ToolSpec } from "./tool_spec.ts";

/** The `search_tools` meta-tool as an OpenAI function schema, for the model's tool list. */
export const SEARCH_TOOLS_FUNCTION = {
  name: "search_tools",
  description: "Find tools for a task. Returns the best matches as TypeScript declarations; " +
    "call them inside execute_code as `await tools.<name>(input)`. Says so when nothing fits.",
  parameters: {
    type: "object",
    properties: {
      query: { type: "string", description: "What you want to do, in a few words" },
      k: { type: "integer", minimum: 1, maximum: 20, description: "How many tools (default 5)" },
    },
    required: ["query"],
  },
} as const;

/** Something searchable by name and query (a {@link ToolRegistry}). */
export interface ToolLookup {
  rank(query: string, k?: number): Promise<ToolHit[]>;
  spec(name: string): ToolSpec | undefined;
  names(): string[];
}

/** `search_tools` output: declarations of the best `k` tools, or a "nothing fits" line. */
export async function searchToolsText(
  lookup: ToolLookup,
  query: string,
  k = 5,
): Promise<string> {
  if (!query.trim()) return "search_tools needs a non-empty query describing the task.";
  const hits = await lookup.rank(query, k);
  if (hits.length === 0) {
    return `No tool fits "${query}". Try other words, or do it in code without a tool.`;
  }
  const header = `${hits.length} tool(s) for "${query}", best first. Call as ` +
    "`await tools.<name>(input)` in execute_code" +
    (hits.some((h) => h.spec.signature)
      ? ", except learned functions and sub-agents: call those exactly as declared."
      : ".");
  return [header, ...hits.map((h) => renderSignature(h.spec))].join("\n\n");
}

/** `describe_tool` output: one declaration, or an error naming close names. */
export function describeToolText(lookup: ToolLookup, name: string): string {
  const spec = lookup.spec(name);
  if (spec) return renderSignature(spec);
  const near = closeNames(name, lookup.names());
  return `Unknown tool "${name}"` +
    (near.length
      ? `; did you mean ${near.map((n) => `"${n}"`).join(", ")}?`
      : "; use search_tools to find one.");
}
