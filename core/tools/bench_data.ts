/**
 * Reads the tool-retrieval development data (`../shared/bench-data/tools-dev/`: BFCL v4 and
 * MetaTool; see that folder's README) into catalogues and labelled queries. Read in place, never
 * copied into the project. Returns undefined when the folder is absent so callers can skip.
 */
import { join } from "node:path";
import Papa from "papaparse";
import { parseCatalog } from "./catalog.ts";
import type { ToolSpec } from "./tool_spec.ts";

/** A query and the tool names that answer it. */
export interface LabelledQuery {
  query: string;
  gold: string[];
  /** BFCL file category (simple_python, live_multiple, ...) or "metatool". */
  group: string;
  /** BFCL: the functions the question came with (its own candidate list). */
  candidates?: string[];
}

/** BFCL: pooled catalogue, answered queries, and irrelevance queries with their own tools. */
export interface BfclData {
  catalog: ToolSpec[];
  queries: LabelledQuery[];
  irrelevance: { query: string; tools: string[]; group: string }[];
  irrelevantTools: ToolSpec[];
}

/** The BFCL categories that have ground truth, in report order. */
export const BFCL_ANSWERED = [
  "simple_python",
  "multiple",
  "parallel",
  "parallel_multiple",
  "live_simple",
  "live_multiple",
  "live_parallel",
  "live_parallel_multiple",
];
const BFCL_IRRELEVANCE = ["irrelevance", "live_irrelevance"];

/** Default data folder, relative to the project root. */
export const DEFAULT_TOOLS_DATA = "../shared/bench-data/tools-dev";

interface BfclLine {
  id: string;
  question: { role: string; content: string }[][];
  function: unknown[];
}

/** Loads BFCL, or undefined when `dir/bfcl` does not exist. */
export async function loadBfcl(dir: string): Promise<BfclData | undefined> {
  const base = join(dir, "bfcl");
  if (!await exists(base)) return undefined;
  const pool = new Map<string, ToolSpec>();
  const queries: LabelledQuery[] = [];
  for (const cat of BFCL_ANSWERED) {
    const lines = await jsonLines<BfclLine>(join(base, `BFCL_v4_${cat}.json`));
    const answers = await jsonLines<{ id: string; ground_truth: Record<string, unknown>[] }>(
      join(base, "possible_answer", `BFCL_v4_${cat}.json`),
    );
    const gold = new Map(answers.map((a) => [a.id, a.ground_truth.flatMap(Object.keys)]));
    for (const line of lines) {
      const specs = parseCatalog(line.function, `bfcl/${cat}`);
      for (const spec of specs) if (!pool.has(spec.name)) pool.set(spec.name, spec);
      const names = gold.get(line.id);
      if (!names?.length) continue;
      queries.push({
        query: lastUser(line),
        gold: [...new Set(names)],
        group: cat,
        candidates: specs.map((s) => s.name),
      });
    }
  }
  const irrelevance: BfclData["irrelevance"] = [];
  const irrelevantTools = new Map<string, ToolSpec>();
  for (const cat of BFCL_IRRELEVANCE) {
    for (const line of await jsonLines<BfclLine>(join(base, `BFCL_v4_${cat}.json`))) {
      const specs = parseCatalog(line.function, `bfcl/${cat}`);
      for (const s of specs) if (!irrelevantTools.has(s.name)) irrelevantTools.set(s.name, s);
      // A few live_irrelevance items offer no function at all: trivially "nothing fits", skipped.
      if (specs.length === 0) continue;
      irrelevance.push({ query: lastUser(line), tools: specs.map((s) => s.name), group: cat });
    }
  }
  return {
    catalog: [...pool.values()],
    queries,
    irrelevance,
    irrelevantTools: [...irrelevantTools.values()],
  };
}

/**
 * Loads MetaTool (199 plugin descriptions, 20,614 single-tool queries and 497 queries needing
 * several tools), or undefined.
 */
export async function loadMetaTool(
  dir: string,
): Promise<{ catalog: ToolSpec[]; queries: LabelledQuery[]; multi: LabelledQuery[] } | undefined> {
  const base = join(dir, "metatool");
  if (!await exists(base)) return undefined;
  const des = JSON.parse(await Deno.readTextFile(join(base, "plugin_des.json"))) as Record<
    string,
    string
  >;
  const catalog = Object.entries(des).map(([name, description]): ToolSpec => ({
    name,
    description,
    parameters: { type: "object" },
    source: "metatool",
  }));
  const csv = Papa.parse(await Deno.readTextFile(join(base, "all_clean_data.csv")), {
    header: true,
    skipEmptyLines: true,
  }) as { data: { Query?: string; Tool?: string }[] };
  const queries = csv.data
    .filter((r) => r.Query && r.Tool)
    .map((r) => ({ query: r.Query!, gold: [r.Tool!], group: "metatool" }));
  const multi = (JSON.parse(
    await Deno.readTextFile(join(base, "multi_tool_query_golden.json")),
  ) as { query: string; tool: string[] }[])
    .map((m) => ({ query: m.query, gold: [...new Set(m.tool)], group: "metatool_multi" }));
  return { catalog, queries, multi };
}

function lastUser(line: BfclLine): string {
  const turns = line.question.flat().filter((t) => t.role === "user");
  return turns[turns.length - 1]?.content ?? "";
}

async function jsonLines<T>(path: string): Promise<T[]> {
  const text = await Deno.readTextFile(path);
  return text.split("\n").filter((l) => l.trim()).map((l) => JSON.parse(l) as T);
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}
