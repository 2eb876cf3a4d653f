/**
 * The searchable, renderable description of a tool, independent of where it came from: a file in
 * `tools/` (zod schemas converted with `z.toJSONSchema`) or an external catalogue entry (OpenAI
 * function schema, MCP tool), which arrives as JSON Schema already.
 */
import { z } from "zod";
import type { ToolDefinition } from "../tool.ts";

/** A JSON Schema object, kept loose: catalogues use dialects (BFCL writes "dict", "float"). */
export type JsonSchema = { [key: string]: unknown };

/** What search indexes and what `describe_tool` renders. */
export interface ToolSpec {
  name: string;
  description: string;
  /** JSON Schema of the input object. */
  parameters: JsonSchema;
  /** JSON Schema of the result, when known. */
  returns?: JsonSchema;
  /** Extra search words. */
  tags?: string[];
  /** Where it came from: a file path, or `catalog:<file>`. */
  source: string;
  /**
   * The declaration to show instead of `function name(input: {...})`, for entries not called
   * through `tools.` (learned functions take positional arguments; learned sub-agents go through
   * `call_subagent`).
   */
  signature?: string;
}

/** Builds a spec from a loaded tool definition; zod schemas become JSON Schema. */
export function specFromDefinition(name: string, def: ToolDefinition, source: string): ToolSpec {
  const spec: ToolSpec = {
    name,
    description: def.description,
    parameters: zodToJsonSchema(def.input, "input"),
    source,
  };
  if (def.output) spec.returns = zodToJsonSchema(def.output, "output");
  if (def.tags) spec.tags = def.tags;
  return spec;
}

/** `z.toJSONSchema` that never throws: unrepresentable parts (dates, functions) become `{}`. */
export function zodToJsonSchema(schema: z.ZodType, io: "input" | "output"): JsonSchema {
  const out = z.toJSONSchema(schema, { io, unrepresentable: "any" }) as JsonSchema;
  delete out.$schema;
  return out;
}

/** The parameters of a schema as search text: names and their descriptions, nested included. */
export function parameterText(schema: JsonSchema, depth = 0): string {
  if (depth > 3) return "";
  const parts: string[] = [];
  const props = schema.properties;
  if (props && typeof props === "object") {
    for (const [key, sub] of Object.entries(props as Record<string, JsonSchema>)) {
      parts.push(key);
      if (typeof sub?.description === "string") parts.push(sub.description);
      if (Array.isArray(sub?.enum)) {
        parts.push(sub.enum.filter((v) => typeof v === "string").join(" "));
      }
      if (sub && typeof sub === "object") parts.push(parameterText(sub, depth + 1));
    }
  }
  const items = schema.items;
  if (items && typeof items === "object" && !Array.isArray(items)) {
    parts.push(parameterText(items as JsonSchema, depth + 1));
  }
  return parts.filter(Boolean).join(" ");
}
