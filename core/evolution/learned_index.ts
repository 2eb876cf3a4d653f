/**
 * Makes learned skills findable by `search_tools` and `:tools`, advertised the way they are
 * called: one ToolSpec per function in `learned_skills/functions/` (from `deno doc --json`: doc
 * comment, parameters, return type), declared as the plain function it is in every kernel
 * (`twice(n: number): number`), and one per sub-agent in `learned_skills/agents/`, declared as its
 * `call_subagent` call. They are catalogue entries, not registry tools: the code runs only in the
 * kernel, and `tools.<name>` answers with how to call them instead.
 */
import type { JsonSchema, ToolSpec } from "../tools/mod.ts";
import { runDenoTool } from "./run_deno.ts";
import { readLearnedAgent } from "../agent/learned_agent.ts";

interface DocParam {
  name?: string;
  kind: string;
  optional?: boolean;
  tsType?: { repr?: string; kind?: string };
}

interface DocSymbol {
  name: string;
  declarations?: {
    kind: string;
    jsDoc?: { doc?: string };
    def?: { params?: DocParam[]; returnType?: { repr?: string } };
  }[];
}

/** Search entries for every current learned function (versions and pending copies skipped). */
export async function learnedFunctionSpecs(learnedDir: string): Promise<ToolSpec[]> {
  const dir = `${learnedDir}/functions`;
  const files: string[] = [];
  try {
    for await (const e of Deno.readDir(dir)) {
      if (e.isFile && e.name.endsWith(".ts") && !e.name.endsWith("_test.ts")) files.push(e.name);
    }
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return [];
    throw e;
  }
  if (files.length === 0) return [];
  const run = await runDenoTool("doc", files.sort().map((f) => `${dir}/${f}`));
  if (run.code !== 0) {
    throw new Error(`Cannot index learned functions: ${run.stderr.slice(0, 300)}`);
  }
  const doc = JSON.parse(run.stdout) as { nodes?: Record<string, { symbols?: DocSymbol[] }> };
  const out: ToolSpec[] = [];
  for (const [url, node] of Object.entries(doc.nodes ?? {})) {
    const file = decodeURIComponent(url.split("/").pop() ?? "");
    for (const sym of node.symbols ?? []) {
      const d = sym.declarations?.find((x) => x.kind === "function");
      if (!d) continue;
      out.push(specFor(sym.name, d, `learned:functions/${file}`));
    }
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

function specFor(
  name: string,
  d: NonNullable<DocSymbol["declarations"]>[number],
  source: string,
): ToolSpec {
  const params = d.def?.params ?? [];
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  const names: string[] = [];
  const typed: string[] = [];
  params.forEach((p, i) => {
    const pname = p.name ?? `arg${i + 1}`;
    const type = p.tsType?.repr || "unknown";
    names.push(pname);
    typed.push(`${pname}${p.optional ? "?" : ""}: ${type}`);
    properties[pname] = tsToSchema(type);
    if (!p.optional) required.push(pname);
  });
  const doc = (d.jsDoc?.doc ?? "").trim();
  const call = `${name}(${names.join(", ")})`;
  const ret = d.def?.returnType?.repr || "unknown";
  return {
    name,
    description: `${doc || "Learned function."}\nLearned function, loaded in every kernel: ` +
      `call it directly as \`${call}\` (positional arguments; no \`tools.\`).`,
    parameters: { type: "object", properties, required },
    returns: tsToSchema(ret),
    tags: ["learned", ...name.split(/_|(?=[A-Z])/).map((w) => w.toLowerCase())],
    source,
    signature: `function ${name}(${typed.join(", ")}): ${ret};`,
  };
}

/** Search entries for every valid learned sub-agent (invalid or old-format folders skipped). */
export async function learnedAgentSpecs(learnedDir: string): Promise<ToolSpec[]> {
  const out: ToolSpec[] = [];
  let entries: Deno.DirEntry[];
  try {
    entries = await Array.fromAsync(Deno.readDir(`${learnedDir}/agents`));
  } catch {
    return out;
  }
  for (const e of entries) {
    if (!e.isDirectory || e.name.startsWith(".")) continue;
    const def = await readLearnedAgent(`${learnedDir}/agents/${e.name}`, e.name).catch(() => null);
    if (!def) continue;
    out.push({
      name: def.name,
      description: `${def.description}\nLearned sub-agent: call it in code as ` +
        `\`await call_subagent("${def.name}", "<variable name>", "<instructions>")\`; it sees ` +
        `only that variable, and its answer is also stored as \`${def.name}_result\`.`,
      parameters: { type: "object", properties: {}, required: [] },
      tags: ["learned", "subagent", "agent", ...def.name.split("_")],
      source: `learned:agents/${def.name}`,
      signature: `function call_subagent(name: "${def.name}", variable_name: string, ` +
        "instructions?: string): Promise<string>;",
    });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

/** A loose JSON Schema for a TypeScript type as deno doc prints it. */
export function tsToSchema(repr: string): JsonSchema {
  const t = repr.trim();
  if (t === "string" || t === "number" || t === "boolean") return { type: t };
  if (t.endsWith("[]")) return { type: "array", items: tsToSchema(t.slice(0, -2)) };
  const arr = /^(?:Readonly)?Array<(.+)>$/.exec(t);
  if (arr) return { type: "array", items: tsToSchema(arr[1]!) };
  const promise = /^Promise<(.+)>$/.exec(t);
  if (promise) return tsToSchema(promise[1]!);
  if (t === "void" || t === "undefined") return { type: "null" };
  return { description: t };
}
