/**
 * The memory manager actor: a thin adapter from messages to {@link MemoryStore}. Permissions
 * are computed from its config (DB host only, or the PGlite data dir). On start it migrates and
 * embeds, in the background, any rows of the platform's database that lack a vector.
 */
import { z } from "zod";
import { defineActor } from "../core/actor.ts";
import type { BackfillProgress } from "../core/memory/backfill.ts";
import { memoryPermissions } from "../core/memory/memory_permissions.ts";
import type { MemoryStore } from "../core/memory/memory_store.ts";
import { openMemoryStore } from "../core/memory/open_memory.ts";
import { ensureAgentIdentity } from "../core/memory/agent_identity.ts";
import {
  confirmFact,
  contextFactMemory,
  FACT_KINDS,
  latestFacts,
  latestMemory,
} from "../core/memory/platform_rows.ts";
import type { NewMemory, SearchQuery } from "../core/memory/types.ts";

const date = z.coerce.date();
const NewMemorySchema = z.object({
  type: z.string(),
  content: z.looseObject({ text: z.string() }),
  id: z.string().optional(),
  createdAt: date.optional(),
  entityId: z.string().optional(),
  agentId: z.string().optional(),
  roomId: z.string().optional(),
  worldId: z.string().optional(),
  metadata: z.record(z.string(), z.unknown()).optional(),
  importance: z.number().optional(),
  embedding: z.array(z.number()).optional(),
});
const QuerySchema = z.object({
  text: z.string(),
  limit: z.number().optional(),
  type: z.union([z.string(), z.array(z.string())]).optional(),
  agentId: z.string().optional(),
  roomId: z.string().optional(),
  entityId: z.string().optional(),
  since: date.optional(),
  until: date.optional(),
  includeSuperseded: z.boolean().optional(),
  includeArchived: z.boolean().optional(),
  recencyWeight: z.number().optional(),
  recencyHalfLifeHours: z.number().optional(),
  importanceWeight: z.number().optional(),
});

/** Every message the memory actor accepts. */
export const MemoryMessage = z.discriminatedUnion("type", [
  z.object({ type: z.literal("store"), memory: NewMemorySchema }),
  z.object({ type: z.literal("store_many"), memories: z.array(NewMemorySchema) }),
  z.object({ type: z.literal("search"), query: QuerySchema }),
  z.object({ type: z.literal("get"), id: z.string() }),
  z.object({
    type: z.literal("update"),
    id: z.string(),
    patch: z.object({
      content: z.looseObject({ text: z.string() }).optional(),
      metadata: z.record(z.string(), z.unknown()).optional(),
      importance: z.number().optional(),
    }),
  }),
  z.object({ type: z.literal("forget"), id: z.string() }),
  z.object({ type: z.literal("supersede"), oldId: z.string(), memory: NewMemorySchema }),
  z.object({
    type: z.literal("archive"),
    olderThanHours: z.number().optional(),
    maxImportance: z.number().optional(),
    keepActive: z.number().int().optional(),
    agentId: z.string().optional(),
  }),
  z.object({ type: z.literal("stats") }),
  z.object({ type: z.literal("backfill_status") }),
  z.object({
    type: z.literal("latest_facts"),
    agentId: z.string().optional(),
    limit: z.number().int().optional(),
    kinds: z.array(z.string()).optional(),
  }),
  z.object({
    type: z.literal("confirm_fact"),
    agentId: z.string().optional(),
    id: z.string().optional(),
    text: z.string().optional(),
    by: z.string().min(1),
  }),
  z.object({ type: z.literal("latest_memory"), agentId: z.string(), kind: z.string().min(1) }),
  z.object({
    type: z.literal("save_context_fact"),
    fact: z.object({
      text: z.string(),
      type: z.enum(FACT_KINDS),
      category: z.string().optional(),
      importance: z.enum(["high", "medium", "low"]).optional(),
      context: z.string().optional(),
      agentId: z.string().optional(),
    }),
  }),
  z.object({
    type: z.literal("record_tool_usage"),
    usage: z.object({
      agentId: z.string(),
      toolName: z.string(),
      input: z.unknown().optional(),
      output: z.unknown().optional(),
      executionTimeMs: z.number().optional(),
      success: z.boolean(),
      impactScore: z.number().optional(),
      metadata: z.record(z.string(), z.unknown()).optional(),
    }),
    /** Makes the insert at-most-once, so the caller may retry after a dropped connection. */
    writeId: z.string().min(1).optional(),
  }),
]);

const Config = z.object({
  database: z.object({ url: z.string().optional(), dataDir: z.string().default("./data") })
    .prefault({}),
  embedding: z.object({
    baseUrl: z.string().optional(),
    apiKey: z.string().optional(),
    model: z.string().optional(),
    dim: z.number().int().default(384),
  }).prefault({}),
  /** Embed the platform's unembedded rows in the background on start; default true. */
  backfill: z.boolean().default(true),
  /** The agent (AGENT_ID / AGENT_NAME): its ElizaOS rows are made sure of on start. */
  agent: z.object({ id: z.string(), name: z.string() }).optional(),
});

let store: MemoryStore | undefined;
let backfill: BackfillProgress & { running: boolean; error?: string } = {
  embedded: 0,
  remaining: 0,
  running: false,
};
const stopping = new AbortController();

function ready(): MemoryStore {
  if (!store) throw new Error("The memory store is not open");
  return store;
}

export default defineActor({
  description: "Long-term memory: hybrid search over the platform's PostgreSQL/pgvector tables",
  config: Config,
  permissions: memoryPermissions,
  messages: MemoryMessage,
  async init(ctx) {
    store = await openMemoryStore(ctx.config, {
      warn: (message) => ctx.log.warn("memory_word_vectors", { message }),
    });
    ctx.log.info("memory_open", { engine: store.sql.engine, dim: store.dim });
    if (ctx.config.agent) {
      const { id, name } = ctx.config.agent;
      const identity = await ensureAgentIdentity(store.sql, { agentId: id, name });
      ctx.log.info("agent_identity", { ...identity });
      if (identity.nameTakenBy) {
        ctx.log.warn("agent_name_taken", {
          name,
          agentId: id,
          heldBy: identity.nameTakenBy,
          hint: `unset AGENT_ID to take over the agent named "${name}", or pick another AGENT_NAME`,
        });
      }
    }
    if (!ctx.config.backfill) return;
    backfill = { ...backfill, running: true };
    store.backfill({
      signal: stopping.signal,
      onProgress: (p) => {
        backfill = { ...p, running: true };
        ctx.log.info("memory_backfill_progress", { ...p });
      },
    }).then(
      (p) => (backfill = { ...p, running: false }),
      (e) => {
        backfill = { ...backfill, running: false, error: String(e) };
        ctx.log.error("memory_backfill_failed", { error: String(e) });
      },
    );
  },
  async receive(msg) {
    const s = ready();
    switch (msg.type) {
      case "store":
        return await s.store(msg.memory as NewMemory);
      case "store_many":
        return await s.storeMany(msg.memories as NewMemory[]);
      case "search":
        return await s.search(msg.query as SearchQuery);
      case "get":
        return await s.get(msg.id);
      case "update":
        return await s.update(msg.id, msg.patch as Parameters<MemoryStore["update"]>[1]);
      case "forget":
        return await s.forget(msg.id);
      case "supersede":
        return await s.supersede(msg.oldId, msg.memory as NewMemory);
      case "archive": {
        const { type: _t, ...options } = msg;
        return await s.archive(options);
      }
      case "stats":
        return await s.stats();
      case "backfill_status":
        return backfill;
      case "latest_facts": {
        const { type: _t, ...options } = msg;
        return await latestFacts(s.sql, options);
      }
      case "confirm_fact": {
        const { type: _t, by, ...match } = msg;
        return (await confirmFact(s.sql, match, by)) ?? null;
      }
      case "latest_memory":
        return (await latestMemory(s.sql, { agentId: msg.agentId, kind: msg.kind })) ?? null;
      case "save_context_fact": {
        const { agentId, ...fact } = msg.fact;
        return await s.store(
          contextFactMemory({ ...fact, ...(agentId ? { ids: { agentId } } : {}) }),
        );
      }
      case "record_tool_usage":
        return await s.recordToolUsage(msg.usage, msg.writeId);
    }
  },
  async stop() {
    stopping.abort();
    await store?.close();
    store = undefined;
  },
});
