/**
 * Renders a tool as a TypeScript declaration with JSDoc: what `search_tools` and
 * `describe_tool` show the model, so it learns how to call `tools.<name>(input)` in the kernel.
 */
import { inlineRefs, schemaToTs } from "./json_schema_ts.ts";
import type { ToolSpec } from "./tool_spec.ts";

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * The declaration of one tool.
 *
 * @example
 * ```ts
 * renderSignature(spec);
 * // /** Count the words in a text *\/
 * // function word_count(input: { ... }): Promise<{ words: number }>;
 * ```
 * A dotted name (`everything.get_sum`, an MCP server's tool) renders inside
 * `declare namespace everything { ... }`.
 */
export function renderSignature(spec: ToolSpec): string {
  // `server.tool` (an MCP server's tool) is a function in a namespace, called as
  // `tools.server.tool(input)`; the kernel's `tools` resolves each segment.
  const segments = spec.name.split(".");
  if (segments.length > 1 && segments.every((p) => IDENT.test(p))) {
    const fn = declaration({ ...spec, name: segments.at(-1)! });
    const body = fn.split("\n").map((l) => l ? `  ${l}` : l).join("\n");
    return `declare namespace ${segments.slice(0, -1).join(".")} {\n${body}\n}`;
  }
  return declaration(spec);
}

function declaration(spec: ToolSpec): string {
  const doc = spec.description.trim().split(/\r?\n/).map((l) => l.replace(/\*\//g, "*\\/"));
  const fnName = IDENT.test(spec.name) ? spec.name : spec.name.replace(/[^A-Za-z0-9_$]/g, "_");
  if (fnName !== spec.name) doc.push(`Call as tools[${JSON.stringify(spec.name)}](input).`);
  const comment = doc.length === 1
    ? `/** ${doc[0]} */`
    : `/**\n${doc.map((l) => ` * ${l}`.trimEnd()).join("\n")}\n */`;
  if (spec.signature) return `${comment}\n${spec.signature}`;
  const input = schemaToTs(inlineRefs(spec.parameters), 0);
  const output = spec.returns ? schemaToTs(inlineRefs(spec.returns), 0) : "unknown";
  return `${comment}\nfunction ${fnName}(input: ${input}): Promise<${output}>;`;
}
