/**
 * UPDATE_SCB: posts a directive to the Shared Cognitive Blackboard the avatar reads (actor
 * `autonomous_manager`, ttl 30, the old agent's text shape `SCB Update: <description> - Mood:
 * <mood>, Intensity: subtle|moderate|dramatic`) and keeps a `memories` row shaped as the old
 * agent's (`content.type = 'scb_update'`, epoch-ms `timestamp`).
 */
import { z } from "zod";
import { defineTool } from "../core/tool.ts";
import type { ScbService } from "../core/platform/scb_entry.ts";
import { type PlatformMemory, serviceFrom } from "../core/platform/platform_services.ts";
import { writerOf } from "../core/memory/platform_rows.ts";

/** The old agent's intensity words. */
const INTENSITIES = ["subtle", "moderate", "dramatic"] as const;

/** A 0..1 intensity as the old agent's word. */
function intensityWord(v: number): typeof INTENSITIES[number] {
  return v < 1 / 3 ? "subtle" : v < 2 / 3 ? "moderate" : "dramatic";
}

export default defineTool({
  description:
    "Update the Shared Cognitive Blackboard (UPDATE_SCB): set the stream's current focus, mood and intensity for the avatar",
  input: z.object({
    description: z.string().trim().min(1).max(500).describe("What the stream should focus on now"),
    mood: z.string().trim().min(1).max(40).default("neutral").describe("e.g. excited, calm"),
    intensity: z.union([
      z.enum(INTENSITIES),
      z.number().min(0).max(1).transform(intensityWord),
    ]).default("moderate").describe("subtle, moderate or dramatic (or 0 to 1)"),
  }),
  output: z.object({ posted: z.string(), memoryId: z.string() }),
  permissions: { net: ["NEUROSYNC_URL or REDIS_URL host"] },
  tags: ["blackboard", "scb", "mood", "focus", "update_scb", "directive", "state"],
  run: async ({ description, mood, intensity }, ctx) => {
    const scb = serviceFrom<ScbService>(ctx.services, "scb", ["directive"]);
    const memory = serviceFrom<PlatformMemory>(ctx.services, "memory", ["save"]);
    const text = `SCB Update: ${description} - Mood: ${mood}, Intensity: ${intensity}`;
    const entry = await scb.directive({ text, actor: "autonomous_manager", ttl: 30 });
    const { ids, speaker } = writerOf(ctx.params);
    const saved = await memory.save({
      type: "memories",
      content: {
        text: `SCB Update: ${description}`,
        type: "scb_update",
        description,
        directive: entry.text,
        mood,
        intensity,
        source: "autonomous_scb_control",
        timestamp: Date.now(),
        t: entry.t,
        ...(speaker ? { speaker } : {}),
      },
      // Transient stream state: eligible for archiving once old (below 0.3).
      importance: 0.25,
      ...ids,
    });
    return { posted: text, memoryId: saved.id };
  },
});
