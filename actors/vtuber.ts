/**
 * The VTuber speech actor: owns the one connection to the avatar's `/process_text` and
 * serialises speech (one request in flight). Least privilege: net only to the speech host.
 */
import { z } from "zod";
import { defineActor } from "../core/actor.ts";
import { hostPort } from "../core/memory/memory_permissions.ts";
import { speechUrl, VtuberClient } from "../core/platform/vtuber_client.ts";

/** Every message the vtuber actor accepts. */
export const VtuberMessage = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("speak"),
    text: z.string().min(1),
    directive: z.boolean().optional(),
    priority: z.enum(["low", "normal", "high"]).optional(),
  }),
  z.object({ type: z.literal("status") }),
]);

const Config = z.object({
  url: z.string().url(),
  agentName: z.string().default("Autoliza"),
  loopIntervalMs: z.number().int().positive().default(30_000),
  timeoutMs: z.number().int().positive().default(120_000),
});

let client: VtuberClient | undefined;

export default defineActor({
  description: "Speech to the avatar (NeuroSync Player /process_text), one request at a time",
  config: Config,
  permissions: (c) => ({ net: [hostPort(speechUrl(c.url), 80)] }),
  messages: VtuberMessage,
  init(ctx) {
    client = new VtuberClient(ctx.config);
  },
  async receive(msg) {
    if (!client) throw new Error("The vtuber actor is not initialised");
    switch (msg.type) {
      case "speak":
        return await client.speak(msg.text, {
          ...(msg.directive ? { directive: true } : {}),
          ...(msg.priority ? { priority: msg.priority } : {}),
        });
      case "status":
        return { url: client.url, pending: client.pending };
    }
  },
});
