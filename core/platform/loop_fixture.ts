/**
 * A decision loop wired for tests and benchmarks: the real tool registry (tools/), the
 * NeuroSync emulator's clients, a memory store on any SqlClient, and a scripted model server
 * as the gateway's endpoint. Not used by the daemon.
 */
import { ConfigSchema } from "../config.ts";
import type { Logger } from "../log.ts";
import { HashEmbedder } from "../memory/hash_embedder.ts";
import { MemoryStore } from "../memory/memory_store.ts";
import type { SqlClient } from "../memory/sql_client.ts";
import { createModelClient } from "../model/create_model_client.ts";
import { openRegistry } from "../tools/registry.ts";
import { nativeDecide } from "./decide.ts";
import { DecisionLoop, type DecisionLoopOptions } from "./decision_loop.ts";
import { Metrics } from "./metrics.ts";
import { memoryFromStore, type PlatformMemory } from "./platform_services.ts";
import type { ScbService } from "./scb_entry.ts";
import { VtuberClient } from "./vtuber_client.ts";
import { WriteQueue } from "./write_queue.ts";
import { withWriterParams } from "./loop_tools.ts";
import { ensureAgentIdentity } from "../memory/agent_identity.ts";
import { loopScope } from "../memory/eliza_ids.ts";

/** The fixture agent's name. */
const AGENT_NAME = "Autoliza";

/** The agent id the fixture writes rows for. */
export const FIXTURE_AGENT = "00000000-0000-4000-8000-00000000f1f1";

/** The VTuber tools a loop offers by default. */
export const LOOP_TOOLS = [
  "send_to_vtuber",
  "direct_vtuber_speech",
  "update_scb",
  "update_context",
  "do_research",
] as const;

/** What {@link loopFixture} needs. */
export interface LoopFixtureOptions {
  modelUrl: string;
  speechUrl: string;
  scb: ScbService;
  sql: SqlClient;
  log: Logger;
  agentId?: string;
  overrides?: Partial<DecisionLoopOptions>;
  /** Model retries (default 0: a scripted failure fails the cycle). */
  maxRetries?: number;
  /** Speech timeout; default 5 s. */
  vtuberTimeoutMs?: number;
  /** More `ctx.services` for the tools (e.g. `research`). */
  services?: Record<string, unknown>;
}

/** A loop plus the parts a test inspects. */
export interface LoopFixture {
  loop: DecisionLoop;
  store: MemoryStore;
  memory: PlatformMemory;
  metrics: Metrics;
  writes: WriteQueue;
}

/** Builds the loop. */
export async function loopFixture(o: LoopFixtureOptions): Promise<LoopFixture> {
  const agentId = o.agentId ?? FIXTURE_AGENT;
  const config = ConfigSchema.parse({
    model: {
      baseUrl: o.modelUrl,
      apiKey: "test",
      maxRetries: o.maxRetries ?? 0,
      timeoutMs: 10_000,
    },
  });
  const model = createModelClient(config, { toolMode: "native" });
  const store = await MemoryStore.open(o.sql, {
    embedder: new HashEmbedder(384),
    owner: { agentId },
  });
  await ensureAgentIdentity(o.sql, { agentId, name: AGENT_NAME });
  const memory = memoryFromStore(store, agentId);
  const registry = await openRegistry({
    dir: new URL("../../tools", import.meta.url).pathname,
    log: o.log.child("tools"),
    config: { tools: withWriterParams({}, agentId, AGENT_NAME) },
  });
  const metrics = new Metrics();
  const writes = new WriteQueue({
    log: o.log,
    backoffMs: 100,
    maxBackoffMs: 1_000,
    onError: () => metrics.error("write"),
  });
  const vtuber = new VtuberClient({
    url: o.speechUrl,
    timeoutMs: o.vtuberTimeoutMs ?? 5_000,
    backoffMs: 200,
  });
  const loop = new DecisionLoop({
    agentId,
    agentName: AGENT_NAME,
    scope: loopScope(agentId),
    intervalMs: 10,
    maxSteps: 4,
    maxTokens: 20_000,
    cycleTimeoutMs: 20_000,
    decide: nativeDecide(model),
    registry,
    toolNames: LOOP_TOOLS,
    services: { vtuber, scb: o.scb, memory, ...o.services },
    scb: o.scb,
    memory,
    log: o.log,
    metrics,
    writes,
    ...o.overrides,
  });
  return { loop, store, memory, metrics, writes };
}
