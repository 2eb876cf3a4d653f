/**
 * `cli memory`: the memory manager from the command line. `bench` runs the LoCoMo retrieval and
 * latency benchmark (bench/memory_bench.ts), `stats` prints row counts, `search` runs one query
 * against the configured store, `backfill` embeds the platform's rows that lack a vector,
 * `unverified` lists facts written in cycles that showed untrusted text and `confirm <id>`
 * makes one a fact (issue 14.6).
 */
import { type Command, UsageError } from "./command.ts";
import { intFlag, parseArgs } from "./args.ts";
import { terminalSafe } from "../terminal_safe.ts";
import { loadConfig } from "../config.ts";
import { openMemoryStore } from "../memory/open_memory.ts";
import { confirmFact, latestFacts, UNVERIFIED } from "../memory/platform_rows.ts";
import { runMemoryBench } from "../../bench/memory_bench.ts";

const DEFAULT_LOCOMO = "../shared/bench-data/locomo-dev/locomo_dev.json";

const USAGE = [
  "deno task cli memory bench [--locomo <file>] [--backend pglite|postgres] [--sizes 10000,100000] [--no-word-vectors]",
  "                           [--queries 200] [--json]",
  "deno task cli memory stats | search <text> [--limit 10] [--json] | backfill",
  "deno task cli memory unverified | confirm <id>",
].join("\n");

export const memoryCommand: Command = {
  name: "memory",
  summary: "memory manager: bench, stats, search, backfill, unverified, confirm",
  usage: USAGE,
  async run(args) {
    const [sub, ...rest] = args;
    switch (sub) {
      case "bench":
        return await bench(rest);
      case "stats":
      case "search":
      case "backfill":
      case "unverified":
      case "confirm":
        return await withStore(sub, rest);
      default:
        throw new UsageError(
          sub ? `unknown memory subcommand "${sub}"` : "memory needs a subcommand",
        );
    }
  },
};

async function bench(args: string[]): Promise<number> {
  const { values } = parseArgs(args, {
    locomo: { type: "string" },
    backend: { type: "string" },
    sizes: { type: "string" },
    queries: { type: "string" },
    json: { type: "boolean" },
    "no-word-vectors": { type: "boolean" },
  });
  const config = loadConfig();
  const backend = (values.backend as string | undefined) ??
    (config.database.url ? "postgres" : "pglite");
  if (backend !== "pglite" && backend !== "postgres") {
    throw new UsageError(`--backend expects pglite or postgres, got "${backend}"`);
  }
  const locomo = (values.locomo as string | undefined) ?? DEFAULT_LOCOMO;
  try {
    await Deno.stat(locomo);
  } catch {
    console.error(`memory bench skipped: LoCoMo file "${locomo}" not found (see --locomo)`);
    return 0;
  }
  const sizes = values.sizes === undefined ? [10_000, 100_000] : String(values.sizes)
    .split(",").filter(Boolean).map((s) => {
      const n = Number(s);
      if (!Number.isInteger(n) || n <= 0) {
        throw new UsageError(`--sizes expects comma-separated positive integers, got "${s}"`);
      }
      return n;
    });
  const result = await runMemoryBench({
    locomo,
    backend,
    ...(config.database.url ? { databaseUrl: config.database.url } : {}),
    sizes,
    queries: intFlag(values, "queries", 200),
    dim: config.embedding.dim,
    wordVectors: !values["no-word-vectors"],
    log: (line) => console.error(line),
  });
  if (values.json) console.log(JSON.stringify(result, null, 2));
  else {
    console.log(
      `backend ${result.backend}, embedder ${result.embedder}, word vectors ${result.word_vectors}`,
    );
    console.log(
      `LoCoMo recall@1 ${result.recall_at_1}  @5 ${result.recall_at_5}  @10 ${result.recall_at_10}` +
        `  (${result.questions} questions, categories 1-4)`,
    );
    const per = Object.entries(result.by_conversation);
    console.log(
      `recall@10 by conversation: ${per.map(([id, c]) => `${id} ${c.recall_at_10}`).join(", ")}`,
    );
    for (const l of result.latency) {
      console.log(
        `${l.memories} memories: ingest ${l.ingest_per_s}/s, query p50 ${l.query_p50_ms} ms, ` +
          `p95 ${l.query_p95_ms} ms`,
      );
    }
  }
  return 0;
}

async function withStore(sub: string, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs(args, {
    limit: { type: "string" },
    json: { type: "boolean" },
  });
  const store = await openMemoryStore(loadConfig());
  try {
    if (sub === "stats") {
      console.log(JSON.stringify(await store.stats(), null, 2));
    } else if (sub === "unverified") {
      const facts = await latestFacts(store.sql, { limit: 100, kinds: [UNVERIFIED.type] });
      for (const f of facts) {
        const origins = (f.content.untrustedOrigins as string[] | undefined)?.join(", ");
        console.log(
          `${f.id} ${f.createdAt.toISOString().slice(0, 16)} (${f.content.proposedType}; after ` +
            `${origins}) ${terminalSafe(String(f.content.text))}`,
        );
      }
      if (!facts.length) console.log("no unverified facts");
    } else if (sub === "confirm") {
      const id = positionals[0];
      if (!id) throw new UsageError("memory confirm needs the id of an unverified fact");
      const fact = await confirmFact(store.sql, { id }, "operator");
      if (!fact) throw new UsageError(`no unverified fact with id "${id}" (see memory unverified)`);
      console.log(`confirmed: ${fact.content.type}: ${terminalSafe(String(fact.content.text))}`);
    } else if (sub === "backfill") {
      const done = await store.backfill({
        onProgress: (p) => console.error(`embedded ${p.embedded}, remaining ${p.remaining}`),
      });
      console.log(JSON.stringify(done));
    } else {
      const text = positionals.join(" ");
      if (!text) throw new UsageError("memory search needs the text to search for");
      const hits = await store.search({ text, limit: intFlag(values, "limit", 10) || 10 });
      if (values.json) console.log(JSON.stringify(hits, null, 2));
      for (const h of values.json ? [] : hits) {
        const when = h.memory.createdAt.toISOString().slice(0, 16);
        const text = terminalSafe(String(h.memory.content.text)); // viewers wrote some of it
        console.log(`${h.score.toFixed(4)} ${when} [${h.memory.type}] ${text}`);
      }
    }
  } finally {
    await store.close();
  }
  return 0;
}
