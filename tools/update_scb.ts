/**
 * UPDATE_SCB: posts a directive to the Shared Cognitive Blackboard the avatar reads (actor
 * `autonomous_manager`, ttl 30, the old agent's text shape) and keeps a `memories` row with
 * `content.type = 'scb_update'`.
 */
import { z } from "zod";
import { defineTool } from "../core/tool.ts";
import type { ScbService } from "../core/platform/scb_entry.ts";
import { type PlatformMemory, serviceFrom } from "../core/platform/platform_services.ts";
import { writerOf } from "../core/memory/platform_rows.ts";

export default defineTool({
  description:
    "Update the Shared Cognitive Blackboard (UPDATE_SCB): set the stream's current focus, mood and intensity for the avatar",
  input: z.object({
    description: z.string().trim().min(1).max(500).describe("What the stream should focus on now"),
    mood: z.string().trim().min(1).max(40).default("neutral").describe("e.g. excited, calm"),
    intensity: z.number().min(0).max(1).default(0.5).describe("0 = relaxed, 1 = maximum energy"),
  }),
  output: z.object({ posted: z.string(), memoryId: z.string() }),
  permissions: { net: ["NEUROSYNC_URL or REDIS_URL host"] },
  tags: ["blackboard", "scb", "mood", "focus", "update_scb", "directive", "state"],
  run: async ({ description, mood, intensity }, ctx) => {
    const scb = serviceFrom<ScbService>(ctx.services, "scb", ["directive"]);
    const memory = serviceFrom<PlatformMemory>(ctx.services, "memory", ["save"]);
    const text = `SCB Update: ${description} - Mood: ${mood}, Intensity: ${intensity}`;
    const entry = await scb.directive({ text, actor: "autonomous_manager", ttl: 30 });
    const { agentId, speaker } = writerOf(ctx.params);
    const saved = await memory.save({
      type: "memories",
      content: {
        text,
        type: "scb_update",
        description,
        mood,
        intensity,
        t: entry.t,
        ...(speaker ? { speaker } : {}),
      },
      importance: 0.4,
      ...(agentId ? { agentId } : {}),
    });
    return { posted: text, memoryId: saved.id };
  },
});
