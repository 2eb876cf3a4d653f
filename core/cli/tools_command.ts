/**
 * `cli tools`: list the registry, search it the way the model does, describe one tool, or run
 * the tool-search benchmark. The configured MCP servers are started and their tools included;
 * `--catalog file.json` adds an OpenAI/MCP catalogue (search only) to the search.
 */
import { type Command, UsageError } from "./command.ts";
import { intFlag, parseArgs } from "./args.ts";
import { loadConfig } from "../config.ts";
import { Logger } from "../log.ts";
import { loadCatalog } from "../tools/catalog.ts";
import { describeToolText, searchToolsText } from "../tools/meta_tools.ts";
import type { ToolRegistry } from "../tools/registry.ts";
import { openRegistryWithMcp, type SessionTools } from "../mcp/open_registry.ts";
import { SentenceEncoder } from "../embedding/sentence_encoder.ts";
import { toolSemanticOptions } from "../tools/tool_embedder.ts";
import { defaultToolsConfigPath, loadToolsConfig } from "../tools/tools_config.ts";

const USAGE = [
  "deno task cli tools list [--json] [--catalog file.json]...",
  '       deno task cli tools search "<query>" [--k N] [--catalog file.json]... [--json] [--no-embed]',
  "       deno task cli tools describe <name> [--catalog file.json]...",
  "       deno task cli tools bench [--json] [--data dir] [--no-embed]",
  "  common: [--dir tools/] [--config tools.yaml]",
].join("\n");

export const toolsCommand: Command = {
  name: "tools",
  summary: "list, search and describe tools; benchmark tool search",
  usage: USAGE,
  async run(args) {
    const { values, positionals } = parseArgs(args, {
      json: { type: "boolean" },
      k: { type: "string" },
      catalog: { type: "string", multiple: true },
      dir: { type: "string" },
      config: { type: "string" },
      data: { type: "string" },
      "no-embed": { type: "boolean" },
    });
    const [action, ...rest] = positionals;
    const json = values.json === true;
    if (action === "bench") {
      return await bench(json, values.data as string | undefined, values["no-embed"] !== true);
    }
    if (action !== "list" && action !== "search" && action !== "describe") {
      throw new UsageError(action ? `unknown tools action "${action}"` : "missing tools action");
    }
    const { registry, mcp } = await open(values);
    try {
      return await act(registry, action, rest.join(" ").trim(), json, intFlag(values, "k", 5));
    } finally {
      await mcp.close();
      registry.close();
    }
  },
};

async function act(
  registry: ToolRegistry,
  action: "list" | "search" | "describe",
  arg: string,
  json: boolean,
  k: number,
): Promise<number> {
  if (action === "list") return list(registry, json);
  if (!arg) {
    throw new UsageError(`tools ${action} needs a ${action === "search" ? "query" : "name"}`);
  }
  if (action === "describe") {
    const spec = registry.spec(arg);
    console.log(describeToolText(registry, arg));
    return spec ? 0 : 1;
  }
  if (!json) {
    console.log(await searchToolsText(registry, arg, k));
    return 0;
  }
  const results = (await registry.rank(arg, k)).map((h) => ({
    name: h.name,
    score: h.score,
    description: h.spec.description,
  }));
  console.log(JSON.stringify({ results }));
  return 0;
}

/** The registry with the configured MCP servers, started (their tools are listed and searched). */
async function open(values: Record<string, unknown>): Promise<SessionTools> {
  const config = loadConfig();
  const configPath = (values.config as string | undefined) ?? config.paths.toolsConfig ??
    defaultToolsConfigPath();
  const toolsConfig = configPath ? await loadToolsConfig(configPath) : undefined;
  const { registry, mcp } = await openRegistryWithMcp(config, {
    dir: (values.dir as string | undefined) ?? config.paths.tools,
    ...(toolsConfig ? { config: toolsConfig } : {}),
    ...(configPath ? { configPath } : {}),
    log: new Logger({ level: "warn", format: "pretty", actor: "tools" }),
    semantic: values["no-embed"] === true ? undefined : toolSemanticOptions(config),
  });
  for (const file of (values.catalog as string[] | undefined) ?? []) {
    registry.addCatalog(await loadCatalog(file));
  }
  await mcp.startAll();
  return { registry, mcp };
}

function list(registry: ToolRegistry, json: boolean): number {
  const rows = registry.list();
  if (json) {
    console.log(
      JSON.stringify({ tools: rows, errors: registry.loadErrors, warnings: registry.warnings }),
    );
    return 0;
  }
  const width = Math.max(4, ...rows.map((r) => r.name.length));
  for (const r of rows) {
    const flags = [
      !r.enabled && "disabled",
      r.requiresApproval && "approval",
      !r.runnable && "catalog",
    ]
      .filter(Boolean).join(",");
    const desc = r.description.replace(/\s+/g, " ");
    console.log(`${r.name.padEnd(width)}  ${(flags || "-").padEnd(17)} ${desc.slice(0, 90)}`);
  }
  console.log(`${rows.length} tool(s), ${registry.loadErrors.length} load error(s)`);
  return registry.loadErrors.length ? 1 : 0;
}

async function bench(
  json: boolean,
  dataDir: string | undefined,
  embed: boolean,
): Promise<number> {
  const { searchToolsBenchmark } = await import("../../bench/tools_bench.ts");
  const encoder = embed ? new SentenceEncoder() : undefined;
  const result = await searchToolsBenchmark({
    ...(dataDir ? { dataDir } : {}),
    ...(json ? {} : { log: (line: string) => console.error(line) }),
    ...(encoder ? { semantic: encoder } : {}),
  }).finally(() => encoder?.close());
  if (result.skipped) {
    console.error(`skipped: ${result.skipped}`);
    return 0;
  }
  console.log(JSON.stringify(result, null, json ? 0 : 2));
  return 0;
}
