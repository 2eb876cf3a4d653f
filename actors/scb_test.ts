/**
 * The scb actor in Redis mode (a permission-restricted worker against real Redis) reads only
 * DEBUG from the environment: ioredis's `debug` used to need all of it, the secrets included.
 */
import assert from "node:assert/strict";
import { ActorSystem } from "../core/actor_system.ts";
import { memoryLogger } from "../core/log.ts";
import { serviceUrl } from "../core/testing/services.ts";
import scbActor from "./scb.ts";

const redisUrl = serviceUrl("REDIS_URL");
const SECRET = "OPENAI_API_KEY";

Deno.test("in Redis mode the scb actor may read only DEBUG from the environment", () => {
  const perms = (scbActor.permissions as (c: unknown) => Record<string, unknown>)({
    mode: "redis",
    redisUrl: "redis://redis:6379/0",
  });
  assert.deepEqual(perms, { net: ["redis:6379"], env: ["DEBUG"] });
});

Deno.test({
  name: "the scb actor works in Redis mode and its worker cannot read the supervisor's secrets",
  ignore: !redisUrl,
  fn: async () => {
    const before = Deno.env.get(SECRET);
    Deno.env.set(SECRET, "sk-canary-in-the-supervisor");
    const prefix = `test:scb-actor:${crypto.randomUUID()}`;
    const system = new ActorSystem({
      log: memoryLogger().logger,
      actorsDir: new URL(".", import.meta.url).pathname,
    });
    try {
      await system.spawn("scb", {
        config: {
          mode: "redis",
          redisUrl,
          logKey: `${prefix}:log`,
          summaryKey: `${prefix}:summary`,
        },
      });
      assert.equal(await system.ask("scb", { type: "ping" }), true);
      await system.ask("scb", {
        type: "event",
        entry: { type: "event", actor: "user", text: "hello" },
      });
      const slice = await system.ask<{ window: { text: string }[] }>("scb", { type: "slice" });
      assert.deepEqual(slice.window.map((e) => e.text), ["hello"]);
      // Any module with those permissions (the actor's npm dependencies) is refused the secret.
      await system.spawn(
        new URL("../core/testdata/actors/scb_env_probe.ts", import.meta.url).href,
        {
          name: "probe",
        },
      );
      const seen = await system.ask<{ one: string; all: string }>("probe", {
        type: "read",
        name: SECRET,
      });
      assert.deepEqual(seen, { one: "NotCapable", all: "NotCapable" });
    } finally {
      await system.shutdown();
      if (before === undefined) Deno.env.delete(SECRET);
      else Deno.env.set(SECRET, before);
      const { Redis } = await import("ioredis");
      const r = new Redis(redisUrl!);
      await r.del(`${prefix}:log`, `${prefix}:summary`);
      r.disconnect();
    }
  },
});
