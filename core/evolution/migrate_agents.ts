/**
 * Converts sub-agent folders of the old code format (`config.ts`, `prompts.ts`, `tools.ts`) to the
 * data format (`agent.json`, `prompt.md`) WITHOUT running them: the files are parsed (types
 * stripped with sucrase, then acorn) and only literal values are read (strings, numbers, arrays
 * and objects of them). Anything computed is refused, naming the field. The old files are kept
 * beside as `<file>.legacy` (not TypeScript, so nothing imports or checks them).
 */
import { transform } from "sucrase";
import { parse } from "acorn";
import type { Node } from "acorn";
import {
  AGENT_FILE,
  isLegacyAgent,
  learnedAgentFiles,
  LEGACY_FILES,
  PROMPT_FILE,
} from "../agent/learned_agent.ts";
import { defineSubagent } from "../agent/subagent_definition.ts";

/** The outcome for one folder. */
export interface MigrationResult {
  name: string;
  ok: boolean;
  /** Why it could not be converted. */
  error?: string;
}

/** Converts every old-format folder under `<learnedDir>/agents/`. */
export async function migrateLegacyAgents(learnedDir: string): Promise<MigrationResult[]> {
  const out: MigrationResult[] = [];
  const root = `${learnedDir}/agents`;
  let entries: Deno.DirEntry[] = [];
  try {
    entries = await Array.fromAsync(Deno.readDir(root));
  } catch {
    return out;
  }
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const folder = `${root}/${e.name}`;
    if (!e.isDirectory || e.name.startsWith(".")) continue;
    if (await exists(`${folder}/${AGENT_FILE}`) || !(await isLegacyAgent(folder))) continue;
    try {
      await migrateOne(folder, e.name);
      out.push({ name: e.name, ok: true });
    } catch (err) {
      out.push({ name: e.name, ok: false, error: (err as Error).message });
    }
  }
  return out;
}

async function migrateOne(folder: string, name: string): Promise<void> {
  const config = await exportedLiteral(`${folder}/config.ts`, "default");
  if (!config || typeof config !== "object" || Array.isArray(config)) {
    throw new Error("config.ts: the default export is not an object literal");
  }
  const c = config as Record<string, unknown>;
  const prompt = await exists(`${folder}/prompts.ts`)
    ? await exportedLiteral(`${folder}/prompts.ts`, "SYSTEM_PROMPT")
    : c.systemPrompt;
  const extra = await exists(`${folder}/tools.ts`)
    ? await exportedLiteral(`${folder}/tools.ts`, "TOOLS")
    : [];
  const def = defineSubagent({
    name: c.name as string,
    description: c.description as string,
    systemPrompt: prompt as string,
    tools: [...(c.tools as string[] ?? []), ...(extra as string[] ?? [])],
    budgets: (c.budgets ?? {}) as Record<string, number>,
  }, `old sub-agent folder ${folder}`);
  if (def.name !== name) throw new Error(`config.ts names "${def.name}", expected "${name}"`);
  for (const [file, text] of Object.entries(learnedAgentFiles(def))) {
    if (file === "README.md" && await exists(`${folder}/README.md`)) continue;
    await Deno.writeTextFile(`${folder}/${file}`, text);
  }
  for (const f of LEGACY_FILES) {
    if (await exists(`${folder}/${f}`)) {
      await Deno.rename(`${folder}/${f}`, `${folder}/${f}.legacy`);
    }
  }
  if (!(await exists(`${folder}/${PROMPT_FILE}`))) throw new Error("prompt.md was not written");
}

/** The literal value of `export default` or `export const <name>` in a file, never run. */
export async function exportedLiteral(file: string, name: string): Promise<unknown> {
  const source = await Deno.readTextFile(file);
  const where = file.split("/").pop();
  let ast: Node & { body: Node[] };
  try {
    const js = transform(source, { transforms: ["typescript"] }).code;
    ast = parse(js, { ecmaVersion: "latest", sourceType: "module" }) as Node & { body: Node[] };
  } catch (e) {
    throw new Error(`${where}: cannot parse: ${(e as Error).message}`);
  }
  for (const stmt of ast.body as (Node & Record<string, never>)[]) {
    if (name === "default" && stmt.type === "ExportDefaultDeclaration") {
      return literal(stmt.declaration, `${where}: default export`);
    }
    if (stmt.type === "ExportNamedDeclaration" && stmt.declaration) {
      const decl = stmt.declaration as Node & { declarations?: { id: Node; init: Node }[] };
      for (const d of decl.declarations ?? []) {
        if ((d.id as Node & { name?: string }).name === name) {
          return literal(d.init, `${where}: ${name}`);
        }
      }
    }
  }
  throw new Error(`${where}: no exported ${name}`);
}

/** Evaluates a literal expression; anything computed throws naming `what`. */
function literal(node: Node | null | undefined, what: string): unknown {
  const n = node as (Node & Record<string, unknown>) | null | undefined;
  if (!n) throw new Error(`${what} is missing`);
  switch (n.type) {
    case "Literal":
      if (n.regex || typeof n.value === "bigint") break;
      return n.value;
    case "TemplateLiteral":
      if ((n.expressions as Node[]).length) break;
      return (n.quasis as { value: { cooked: string } }[])[0]!.value.cooked;
    case "UnaryExpression":
      if (n.operator === "-" && (n.argument as Node & { type: string }).type === "Literal") {
        return -(literal(n.argument as Node, what) as number);
      }
      break;
    case "ArrayExpression":
      return (n.elements as (Node | null)[]).map((e, i) => literal(e, `${what}[${i}]`));
    case "ObjectExpression": {
      const out: Record<string, unknown> = {};
      for (const p of n.properties as (Node & Record<string, unknown>)[]) {
        const key = p.key as Node & { name?: string; value?: unknown };
        if (p.type !== "Property" || p.computed || p.method || p.kind !== "init") {
          throw new Error(`${what}: only plain properties are read`);
        }
        const k = key.type === "Identifier" ? key.name! : String(key.value);
        if (k === "__proto__") throw new Error(`${what}: __proto__ is not allowed`);
        out[k] = literal(p.value as Node, `${what}.${k}`);
      }
      return out;
    }
  }
  throw new Error(`${what} is not a literal (${n.type}); it is not run, so it cannot be read`);
}

async function exists(path: string): Promise<boolean> {
  return await Deno.stat(path).then(() => true, () => false);
}
