/** Test actor: echoes, sleeps, crashes on demand and tries things its permissions forbid. */
import { z } from "zod";
import { defineActor } from "../../actor.ts";

const Messages = z.discriminatedUnion("type", [
  z.object({ type: z.literal("echo"), text: z.string() }),
  z.object({ type: z.literal("sleep"), ms: z.number() }),
  z.object({ type: z.literal("throw"), message: z.string() }),
  z.object({ type: z.literal("crash_later") }),
  z.object({ type: z.literal("count") }),
  z.object({
    type: z.literal("try"),
    what: z.enum(["read", "fetch", "env", "run", "write"]),
    arg: z.string(),
  }),
  z.object({ type: z.literal("call"), capability: z.string(), args: z.unknown() }),
  z.object({ type: z.literal("function_reply") }),
  // Only ever sent to subprocess actors: a Worker cannot be stopped from these.
  z.object({ type: z.literal("alloc"), mb: z.number() }),
  z.object({ type: z.literal("spin") }),
  z.object({ type: z.literal("heap_bomb") }),
  z.object({ type: z.literal("pid") }),
]);

const held: Uint8Array[] = [];

let count = 0;

export default defineActor({
  description: "A probe for runtime tests",
  config: z.object({ dir: z.string().optional(), failInit: z.boolean().optional() }),
  permissions: (config) => (config.dir ? { read: [config.dir], write: [config.dir] } : {}),
  messages: Messages,
  init(ctx) {
    if (ctx.config.failInit) throw new Error("init refused by config");
    ctx.log.info("probe_ready", { name: ctx.name });
  },
  async receive(msg, ctx) {
    count++;
    switch (msg.type) {
      case "echo":
        return { text: msg.text, from: ctx.name };
      case "sleep":
        await new Promise((r) => setTimeout(r, msg.ms));
        return "slept";
      case "throw":
        throw new TypeError(msg.message);
      case "crash_later":
        setTimeout(() => {
          throw new Error("uncaught boom");
        }, 0);
        return "scheduled";
      case "count":
        return count;
      case "try":
        switch (msg.what) {
          case "read":
            return await Deno.readTextFile(msg.arg);
          case "write":
            await Deno.writeTextFile(msg.arg, "x");
            return "written";
          case "fetch":
            return (await fetch(msg.arg)).status;
          case "env":
            return Deno.env.get(msg.arg) ?? null;
          case "run":
            return (await new Deno.Command(msg.arg).output()).code;
        }
        break;
      case "call":
        return await ctx.call(msg.capability, msg.args);
      case "function_reply":
        return () => 1;
      case "alloc":
        for (let i = 0; i < msg.mb; i++) held.push(new Uint8Array(1024 * 1024).fill(1));
        return held.length;
      case "spin":
        for (;;) count++;
      case "heap_bomb": {
        const junk: string[][] = [];
        for (let i = 0;; i++) junk.push(new Array(1000).fill(`item ${i}`));
      }
      case "pid":
        return Deno.pid;
    }
  },
});
