/**
 * External tool catalogues: a JSON file of OpenAI function schemas or MCP tool definitions,
 * turned into {@link ToolSpec}s so `search_tools` works over large catalogues. Accepted shapes:
 * an array, or `{tools: [...]}` / `{functions: [...]}`, of `{name, description, parameters}`
 * (OpenAI), `{type: "function", function: {...}}` (OpenAI tools) or `{name, description,
 * inputSchema, outputSchema?}` (MCP). Catalogue entries can be searched and described, not run.
 */
import { LoadError } from "../errors.ts";
import type { JsonSchema, ToolSpec } from "./tool_spec.ts";

/** Parses catalogue JSON (already decoded); `source` names the file in errors. */
export function parseCatalog(data: unknown, source: string): ToolSpec[] {
  const list = Array.isArray(data) ? data : listIn(data);
  if (!list) {
    throw new LoadError(
      `Cannot load catalog "${source}": expected an array of tools or {"tools": [...]}`,
    );
  }
  const seen = new Set<string>();
  const specs: ToolSpec[] = [];
  list.forEach((raw, i) => {
    const spec = entryToSpec(raw, `catalog:${source}`);
    if (typeof spec === "string") {
      throw new LoadError(`Cannot load catalog "${source}": entry ${i} ${spec}`);
    }
    if (seen.has(spec.name)) return; // first definition of a name wins
    seen.add(spec.name);
    specs.push(spec);
  });
  return specs;
}

/** Reads and parses a catalogue file. */
export async function loadCatalog(path: string): Promise<ToolSpec[]> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (e) {
    throw new LoadError(`Cannot load catalog "${path}": ${(e as Error).message}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new LoadError(`Cannot load catalog "${path}": invalid JSON: ${(e as Error).message}`);
  }
  return parseCatalog(data, path);
}

function listIn(data: unknown): unknown[] | undefined {
  if (!data || typeof data !== "object") return undefined;
  const d = data as Record<string, unknown>;
  if (Array.isArray(d.tools)) return d.tools;
  if (Array.isArray(d.functions)) return d.functions;
  return undefined;
}

/** One entry → spec, or a string saying what is wrong with it. */
function entryToSpec(raw: unknown, source: string): ToolSpec | string {
  if (!raw || typeof raw !== "object") return "is not an object";
  let e = raw as Record<string, unknown>;
  if (e.type === "function" && e.function && typeof e.function === "object") {
    e = e.function as Record<string, unknown>;
  }
  if (typeof e.name !== "string" || !e.name) return 'has no "name" string';
  const schema = e.inputSchema ?? e.input_schema ?? e.parameters ?? { type: "object" };
  if (typeof schema !== "object" || schema === null || Array.isArray(schema)) {
    return `("${e.name}") has parameters that are not a JSON Schema object`;
  }
  const spec: ToolSpec = {
    name: e.name,
    description: typeof e.description === "string" ? e.description : "",
    parameters: schema as JsonSchema,
    source,
  };
  const out = e.outputSchema ?? e.returns ?? e.response;
  if (out && typeof out === "object" && !Array.isArray(out)) spec.returns = out as JsonSchema;
  return spec;
}
