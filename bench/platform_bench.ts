/**
 * Decision-loop overhead benchmark: cycle wall time minus model time, with a zero-delay scripted
 * model, the NeuroSync emulator and `memories` pre-filled to N rows (PostgreSQL when
 * DATABASE_URL is set, else PGlite). Each cycle reads the SCB, facts and a hybrid memory search,
 * speaks once and saves a fact. `runPlatformBench` returns the figures; run this file to print.
 */
import { memoryLogger } from "../core/log.ts";
import { testPglite, testPostgres } from "../core/memory/testing.ts";
import type { NewMemory } from "../core/memory/types.ts";
import { loopFixture } from "../core/platform/loop_fixture.ts";
import { startNeuroSyncEmulator } from "../core/platform/neurosync_emulator.ts";
import { RestScbClient } from "../core/platform/scb_rest_client.ts";
import { startScriptedModelServer } from "../core/testing/scripted_model_server.ts";

/** Options of {@link runPlatformBench}. */
export interface PlatformBenchOptions {
  /** Memories in the store before timing; default 100,000. */
  memories?: number;
  /** Timed cycles; default 60 (after 5 warm-up cycles). */
  cycles?: number;
  databaseUrl?: string | undefined;
  log?: (line: string) => void;
}

/** The figures. */
export interface PlatformBenchResult {
  backend: "postgres" | "pglite";
  memories: number;
  ingest_s: number;
  cycles: number;
  overhead_p50_ms: number;
  overhead_p95_ms: number;
  cycle_p50_ms: number;
  model_p50_ms: number;
  tool_success_rate: number;
  write_flush_p50_ms: number;
}

/** Fills the store, then times cycles. */
export async function runPlatformBench(o: PlatformBenchOptions = {}): Promise<PlatformBenchResult> {
  const size = o.memories ?? 100_000;
  const cycles = o.cycles ?? 60;
  const log = o.log ?? (() => {});
  const db = o.databaseUrl ? await testPostgres(o.databaseUrl) : await testPglite();
  await using emu = startNeuroSyncEmulator();
  await emu.setSummary("viewers discuss speedrun strategies and snack choices");
  await using model = startScriptedModelServer({
    script: (req) => {
      const last = (req.body?.messages as { role: string }[]).at(-1)!;
      if (last.role === "tool") return { content: "done" };
      return {
        toolCalls: [
          { name: "send_to_vtuber", arguments: { text: "Speedrun time!" } },
          { name: "update_context", arguments: { text: "Speedruns engage chat", type: "insight" } },
        ],
      };
    },
  });
  try {
    const f = await loopFixture({
      modelUrl: model.url,
      speechUrl: emu.speechUrl,
      scb: new RestScbClient({ baseUrl: emu.url }),
      sql: db.sql,
      log: memoryLogger("error").logger,
    });
    const t0 = performance.now();
    const topics = ["speedrun", "snacks", "music", "art", "games", "cats", "weather", "memes"];
    for (let done = 0; done < size;) {
      const batch: NewMemory[] = [];
      for (let i = 0; i < 1000 && done < size; i++, done++) {
        batch.push({
          type: "memories",
          content: {
            text: `note ${done} about ${topics[done % topics.length]} and viewer ${done % 977}`,
          },
          createdAt: new Date(Date.UTC(2025, 0, 1) + done * 1000),
        });
      }
      await f.store.storeMany(batch);
      if (done % 10_000 === 0) log(`ingested ${done}/${size}`);
    }
    const ingestS = (performance.now() - t0) / 1000;
    const overhead: number[] = [];
    const total: number[] = [];
    const modelMs: number[] = [];
    const flush: number[] = [];
    let calls = 0;
    let ok = 0;
    for (let i = 0; i < cycles + 5; i++) {
      const r = await f.loop.runOnce();
      const t = performance.now();
      await f.writes.flush(30_000);
      if (i < 5) continue;
      flush.push(performance.now() - t);
      overhead.push(r.overheadMs);
      total.push(r.durationMs);
      modelMs.push(r.modelMs);
      calls += r.toolCalls.length;
      ok += r.toolCalls.filter((c) => c.ok).length;
    }
    return {
      backend: o.databaseUrl ? "postgres" : "pglite",
      memories: size,
      ingest_s: round(ingestS),
      cycles,
      overhead_p50_ms: round(quantile(overhead, 0.5)),
      overhead_p95_ms: round(quantile(overhead, 0.95)),
      cycle_p50_ms: round(quantile(total, 0.5)),
      model_p50_ms: round(quantile(modelMs, 0.5)),
      tool_success_rate: calls ? round(ok / calls) : 0,
      write_flush_p50_ms: round(quantile(flush, 0.5)),
    };
  } finally {
    await db.cleanup();
  }
}

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))] ?? NaN;
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}

if (import.meta.main) {
  const memories = Number(Deno.args[0] ?? 100_000);
  const result = await runPlatformBench({
    memories,
    databaseUrl: Deno.env.get("DATABASE_URL"),
    log: (l) => console.error(l),
  });
  console.log(JSON.stringify(result, null, 2));
}
