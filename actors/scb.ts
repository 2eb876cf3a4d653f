/**
 * The SCB actor: reads and writes the Shared Cognitive Blackboard over the NeuroSync REST
 * routes or directly in Redis (`USE_REDIS_SCB`). Least privilege: net only to that one host.
 */
import { z } from "zod";
import { defineActor } from "../core/actor.ts";
import { hostPort } from "../core/memory/memory_permissions.ts";
import { ScbEntrySchema, type ScbService } from "../core/platform/scb_entry.ts";
import { RestScbClient } from "../core/platform/scb_rest_client.ts";

/** Every message the scb actor accepts. */
export const ScbMessage = z.discriminatedUnion("type", [
  z.object({ type: z.literal("ping") }),
  z.object({ type: z.literal("slice"), tokens: z.number().int().positive().optional() }),
  z.object({ type: z.literal("event"), entry: ScbEntrySchema.partial({ t: true }) }),
  z.object({
    type: z.literal("directive"),
    directive: z.object({
      text: z.string(),
      actor: z.string().optional(),
      ttl: z.number().int().optional(),
    }),
  }),
]);

const Config = z.object({
  mode: z.enum(["rest", "redis"]),
  neurosyncUrl: z.string().url().default("http://neurosync:5000"),
  apiKey: z.string().optional(),
  redisUrl: z.string().optional(),
  logKey: z.string().default("scs:log"),
  summaryKey: z.string().default("scs:summary"),
  maxLines: z.number().int().positive().default(1000),
});

/** The one host the actor may reach. */
export function scbHost(c: z.infer<typeof Config>): string {
  if (c.mode === "redis") {
    return hostPort((c.redisUrl ?? "redis://127.0.0.1:6379").replace(/^rediss?:/, "http:"), 6379);
  }
  return hostPort(c.neurosyncUrl, 80);
}

let scb: (ScbService & { close?(): Promise<void> }) | undefined;

export default defineActor({
  description: "The Shared Cognitive Blackboard over NeuroSync REST or Redis",
  config: Config,
  // Redis mode reads one variable, DEBUG (ioredis's `debug`); see init.
  permissions: (c) => ({ net: [scbHost(c)], ...(c.mode === "redis" ? { env: ["DEBUG"] } : {}) }),
  messages: ScbMessage,
  async init(ctx) {
    const c = ctx.config;
    if (c.mode === "redis") {
      if (!c.redisUrl) throw new Error("The scb actor in redis mode needs redisUrl (REDIS_URL)");
      // ioredis's `debug` enumerates every environment variable when it loads, which Deno allows
      // only with full env access (the supervisor's secrets included): this worker's `process`
      // gets a copy of the one variable it reads instead.
      const { default: nodeProcess } = await import("node:process");
      const debug = Deno.env.get("DEBUG");
      nodeProcess.env = debug === undefined ? {} : { DEBUG: debug };
      const { RedisScbClient } = await import("../core/platform/scb_redis_client.ts");
      scb = new RedisScbClient({ url: c.redisUrl, ...c });
    } else {
      scb = new RestScbClient({ baseUrl: c.neurosyncUrl, apiKey: c.apiKey });
    }
  },
  async receive(msg) {
    if (!scb) throw new Error("The scb actor is not initialised");
    switch (msg.type) {
      case "ping":
        return await scb.ping();
      case "slice":
        return await scb.slice(msg.tokens);
      case "event":
        return await scb.event(msg.entry);
      case "directive":
        return await scb.directive(msg.directive);
    }
  },
  async stop() {
    await scb?.close?.();
    scb = undefined;
  },
});
