/**
 * MCP benchmark on live servers: the three official reference servers (everything, filesystem,
 * memory) plus a large real catalogue, Microsoft's Azure MCP server in `--mode all` (235 tools;
 * pinned in bench/mcp_bench_servers.json, installed by
 * `.ci/install_mcp_servers.sh bench/mcp_bench_servers.json`; left out, and said so, when absent).
 * Reports the tokens of the initial context and of every request of a multi-step task in code
 * mode against every tool definition up front (mcp_task.ts), search latency over the whole
 * catalogue, and the per-call overhead of an MCP tool from a cell against the SDK client calling
 * the server directly. Medians; the peer of each figure is measured in the same run.
 * Run: deno task bench --only mcp
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { Tool } from "@modelcontextprotocol/sdk/types.js";
import { realKernelFactory } from "../core/agent/real_kernel.ts";
import { createToolRouter } from "../core/agent/tool_router.ts";
import type { KernelPort } from "../core/agent/kernel_port.ts";
import type { Config } from "../core/config.ts";
import { memoryLogger } from "../core/log.ts";
import type { McpServerConfig } from "../core/mcp/config.ts";
import { openRegistryWithMcp } from "../core/mcp/open_registry.ts";
import { DenoStdioTransport } from "../core/mcp/stdio_transport.ts";
import { referenceServers, referenceServersDir } from "../core/mcp/testing/reference_servers.ts";
import { searchToolsText } from "../core/tools/meta_tools.ts";
import { WordVectorEmbedder } from "../core/tools/word_vector_embedder.ts";
import { WORD_VECTOR_FUSION } from "../core/tools/tool_embedder.ts";
import { SentenceEncoder } from "../core/embedding/sentence_encoder.ts";
import { codeModeRun, initialContexts, peopleCsv, traditionalRun } from "./mcp_task.ts";
import { median, quantile, round, timeEach } from "./stats.ts";

const BENCH_PINS = new URL("./mcp_bench_servers.json", import.meta.url);
const QUERIES = [
  "read a text file",
  "create entities in a knowledge graph",
  "add two numbers",
  "list storage accounts",
  "query a cosmos database container",
  "search files by name pattern",
  "delete observations from the graph",
  "get the secrets of a key vault",
  "show the kubernetes clusters",
  "echo a message back",
];

/** Runs the benchmark; `calls` timed calls per variant. */
export async function runMcpBench(calls = 100, log = (l: string) => console.error(l)) {
  const ref = await referenceServers();
  if (!ref) return { skipped: "MCP reference servers not installed (.ci/install_mcp_servers.sh)" };
  const root = await Deno.realPath(await Deno.makeTempDir({ prefix: "mcp-bench-" }));
  const csvPath = `${root}/people.csv`;
  await Deno.writeTextFile(csvPath, peopleCsv(150));
  const servers: Record<string, McpServerConfig> = {
    everything: ref.everything(),
    filesystem: ref.filesystem(root),
    memory: { ...ref.memory(), env: { MEMORY_FILE_PATH: `${root}/memory.jsonl` } },
  };
  const azure = await azureServer();
  if (azure) servers.azure = azure;
  const direct = new Map<string, { client: Client; tools: Tool[] }>();
  try {
    log("mcp: listing tools directly with the SDK client");
    for (const [name, s] of Object.entries(servers)) direct.set(name, await connect(s, root, name));
    const catalogue = [...direct.values()].flatMap((d) => d.tools);
    const context = await initialContexts(catalogue.map((t) => ({
      name: t.name,
      ...(t.description ? { description: t.description } : {}),
      parameters: t.inputSchema,
    })));
    log("mcp: the task, traditional (all tools up front)");
    const traditional = await traditionalRun(direct, csvPath);
    await Deno.writeTextFile(`${root}/memory.jsonl`, ""); // the same graph state for both
    const { registry, mcp } = await openRegistryWithMcp(
      { mcpServers: servers } as Pick<Config, "mcpServers">,
      { log: memoryLogger("warn").logger, mcpFile: null },
    );
    try {
      await mcp.startAll();
      log("mcp: the task, code mode");
      const codeMode = await codeModeRun(registry, csvPath, `${root}/session`);
      log("mcp: search latency");
      const search = await searchLatency(servers, registry.names().length);
      log("mcp: per-call overhead");
      const overhead = await callOverhead(direct.get("everything")!.client, registry, root, calls);
      return {
        servers: Object.fromEntries([...direct].map(([n, d]) => [n, d.tools.length])),
        largeCatalogue: azure ? "azure (@azure/mcp --mode all)" : "absent: " + AZURE_HINT,
        tools: catalogue.length,
        toolDefinitionJsonBytes: JSON.stringify(catalogue).length,
        initialContextTokens: {
          ...context,
          ratio: round(context.traditional / context.codeMode, 1),
        },
        task: {
          traditional,
          codeMode,
          inputTokenRatio: round(traditional.total / codeMode.total, 1),
        },
        search,
        callOverhead: overhead,
      };
    } finally {
      await mcp.close();
      registry.close();
    }
  } finally {
    for (const d of direct.values()) await d.client.close().catch(() => {});
    await Deno.remove(root, { recursive: true }).catch(() => {});
  }
}

const AZURE_HINT = "run .ci/install_mcp_servers.sh bench/mcp_bench_servers.json";

async function azureServer(): Promise<McpServerConfig | undefined> {
  const dir = await referenceServersDir(BENCH_PINS);
  const bin = `${dir}/node_modules/@azure/mcp/index.js`;
  try {
    await Deno.stat(`${dir}/.complete`);
  } catch {
    return undefined;
  }
  return {
    command: "node",
    args: [bin, "server", "start", "--mode", "all"],
    env: { AZURE_MCP_COLLECT_TELEMETRY: "false" },
  };
}

async function connect(s: McpServerConfig, cwd: string, name: string) {
  const client = new Client({ name: "bench-direct", version: "1.0.0" });
  await client.connect(
    new DenoStdioTransport({ command: s.command!, args: s.args ?? [], env: s.env ?? {}, cwd }),
  );
  const tools: Tool[] = [];
  let cursor: string | undefined;
  do {
    const r = await client.listTools(cursor ? { cursor } : {});
    tools.push(...r.tools);
    cursor = r.nextCursor;
  } while (cursor);
  if (tools.length === 0) throw new Error(`${name} listed no tools`);
  return { client, tools };
}

/** search_tools over the whole catalogue: keywords, word vectors, the local encoder. */
async function searchLatency(servers: Record<string, McpServerConfig>, tools: number) {
  const out: Record<string, unknown> = { tools, queries: QUERIES.length };
  const variants = {
    keywords: undefined,
    words: { embedder: new WordVectorEmbedder(), fusion: WORD_VECTOR_FUSION },
    local: { embedder: new SentenceEncoder() },
  };
  for (const [name, semantic] of Object.entries(variants)) {
    const { registry, mcp } = await openRegistryWithMcp(
      { mcpServers: servers } as Pick<Config, "mcpServers">,
      { log: memoryLogger("warn").logger, mcpFile: null, semantic },
    );
    try {
      await mcp.startAll();
      await searchToolsText(registry, "warm up", 5); // loads and embeds the catalogue
      const times = await timeEach(
        QUERIES.length * 3,
        (i) => searchToolsText(registry, QUERIES[i % QUERIES.length]!, 5),
      );
      out[name] = { p50Ms: round(median(times)), p95Ms: round(quantile(times, 0.95)) };
    } finally {
      await mcp.close();
      registry.close();
    }
  }
  return out;
}

/**
 * everything's `echo`: the SDK client calling the server directly; `registry.call` (validation,
 * policy, logging); and from a cell, as (one cell of `calls` sequential calls − an empty cell) /
 * calls, so the cell's own cost is not charged to the calls. Interleaved, medians.
 */
async function callOverhead(
  client: Client,
  registry: Awaited<ReturnType<typeof openRegistryWithMcp>>["registry"],
  root: string,
  calls: number,
) {
  const holder: { kernel?: KernelPort } = {};
  const router = createToolRouter({ registry, kernel: () => holder.kernel });
  const kernel = await realKernelFactory({
    sessionId: "bench-calls",
    rootDir: `${root}/calls`,
    log: memoryLogger("warn").logger,
  })(router);
  holder.kernel = kernel;
  try {
    const args = { message: "ping" };
    const directMs: number[] = [];
    const registryMs: number[] = [];
    const cellPerCallMs: number[] = [];
    const loop =
      `for (let i = 0; i < ${calls}; i++) await tools.everything.echo({ message: "ping" })`;
    for (let round_ = 0; round_ < 5; round_++) {
      directMs.push(
        ...await timeEach(calls, () => client.callTool({ name: "echo", arguments: args })),
      );
      registryMs.push(...await timeEach(calls, () => registry.call("everything.echo", args)));
      const [empty] = await timeEach(1, () => kernel.execute("0"));
      const [full] = await timeEach(1, () => kernel.execute(loop));
      cellPerCallMs.push((full! - empty!) / calls);
    }
    const d = median(directMs);
    const c = median(cellPerCallMs);
    return {
      calls: calls * 5,
      directSdkP50Ms: round(d),
      registryCallP50Ms: round(median(registryMs)),
      fromCellPerCallMedianMs: round(c),
      fromCellOverheadMs: round(c - d),
      ratio: round(c / d, 2),
    };
  } finally {
    await kernel.close();
  }
}

if (import.meta.main) console.log(JSON.stringify(await runMcpBench(), null, 2));
