/** Minimal actor for the runtime benchmark. */
import { z } from "zod";
import { defineActor } from "../../core/actor.ts";

export default defineActor({
  messages: z.object({ type: z.literal("ping"), n: z.number() }),
  receive: (msg) => msg.n,
});
