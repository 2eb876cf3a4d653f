/**
 * Test actor for actors/scb_test.ts: a module running with the scb actor's own Redis-mode
 * permissions (what its npm dependencies get), trying to read the supervisor's environment.
 */
import { z } from "zod";
import { defineActor } from "../../actor.ts";
import scb from "../../../actors/scb.ts";

const perms = scb.permissions as (c: unknown) => Record<string, unknown>;

export default defineActor({
  permissions: perms({ mode: "redis", redisUrl: "redis://127.0.0.1:6379" }),
  messages: z.object({ type: z.literal("read"), name: z.string() }),
  receive(msg) {
    const tryIt = (f: () => unknown) => {
      try {
        return JSON.stringify(f());
      } catch (e) {
        return (e as Error).name;
      }
    };
    return { one: tryIt(() => Deno.env.get(msg.name)), all: tryIt(() => Deno.env.toObject()) };
  },
});
