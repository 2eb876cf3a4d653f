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
 */
export function renderSignature(spec: ToolSpec): string {
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
