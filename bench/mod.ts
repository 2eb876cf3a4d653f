/**
 * `deno task bench`: runs every benchmark in turn and prints one JSON report (progress on
 * stderr). `--only actor,kernel,...` picks sections; `--quick` shrinks sample sizes for a
 * smoke run. Sections that need ../shared/bench-data or PostgreSQL say why they were skipped.
 */
import { parseArgs } from "node:util";
import { actorBenchmark } from "./actor_bench.ts";
import { agentBench } from "./agent_bench.ts";
import { runEvolutionBench } from "./evolution_bench.ts";
import { runCliBench } from "./cli_bench.ts";
import { runKernelBench } from "./kernel_bench.ts";
import { runMcpBench } from "./mcp_bench.ts";
import { runMemoryBench } from "./memory_bench.ts";
import { runModelBench } from "./model_bench.ts";
import { runPlatformBench } from "./platform_bench.ts";
import { searchToolsBenchmark } from "./tools_bench.ts";
import { SentenceEncoder } from "../core/embedding/sentence_encoder.ts";

const LOCOMO = new URL("../../shared/bench-data/locomo-dev/locomo_dev.json", import.meta.url)
  .pathname;

type Section = (quick: boolean) => Promise<unknown>;

const SECTIONS: Record<string, Section> = {
  actor: (q) => actorBenchmark(q ? 5 : 20, q ? 200 : 2_000),
  kernel: (q) => runKernelBench(q),
  cli: (q) => runCliBench(q ? 3 : 10),
  model: (q) => runModelBench(q ? 50 : 300),
  tools: async () => {
    const semantic = new SentenceEncoder();
    try {
      return await searchToolsBenchmark({ log: (l) => console.error(l), semantic });
    } finally {
      semantic.close();
    }
  },
  agent: (q) => agentBench(q ? 3 : 15),
  memory: async (q) => {
    if (!exists(LOCOMO)) return { skipped: `no LoCoMo data at ${LOCOMO}` };
    const databaseUrl = Deno.env.get("DATABASE_URL");
    return await runMemoryBench({
      locomo: LOCOMO,
      backend: databaseUrl ? "postgres" : "pglite",
      ...(databaseUrl ? { databaseUrl } : {}),
      sizes: q ? [] : [10_000, 100_000],
      log: (l) => console.error(l),
    });
  },
  platform: (q) =>
    runPlatformBench({
      memories: q ? 1_000 : 100_000,
      databaseUrl: Deno.env.get("DATABASE_URL"),
      log: (l) => console.error(l),
    }),
  evolution: (q) => runEvolutionBench(q ? 10 : 100),
  mcp: (q) => runMcpBench(q ? 20 : 100),
};

function exists(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: { only: { type: "string" }, quick: { type: "boolean" } },
  });
  const names = values.only ? values.only.split(",") : Object.keys(SECTIONS);
  const unknown = names.filter((n) => !(n in SECTIONS));
  if (unknown.length) {
    console.error(`unknown section(s): ${unknown.join(", ")}; known: ${Object.keys(SECTIONS)}`);
    Deno.exit(2);
  }
  const report: Record<string, unknown> = {};
  for (const name of names) {
    const t0 = performance.now();
    console.error(`bench: ${name} ...`);
    try {
      report[name] = await SECTIONS[name]!(values.quick ?? false);
    } catch (e) {
      report[name] = { error: (e as Error).message };
    }
    console.error(`bench: ${name} done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  console.log(JSON.stringify(report, null, 2));
}
