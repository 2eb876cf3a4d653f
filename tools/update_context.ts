/**
 * UPDATE_CONTEXT: stores a goal, strategy, pattern, fact, insight or preference as a `facts`
 * row in `memories` with the old agent's content shape (source "autonomous_context_update");
 * the loop reads the latest of them back as the agent's goals and strategy. In a decision cycle
 * that showed untrusted text the fact is stored unverified and kept out of goals and strategy
 * until an operator confirms it (`deno task cli memory confirm <id>`) or a cycle that showed
 * nothing untrusted records the same text again (issue 14.6).
 */
import { z } from "zod";
import { defineTool } from "../core/tool.ts";
import { contextFactMemory, FACT_KINDS, writerOf } from "../core/memory/platform_rows.ts";
import { type PlatformMemory, serviceFrom } from "../core/platform/platform_services.ts";
import { taintOf } from "../core/platform/cycle_taint.ts";

export default defineTool({
  description:
    "Update the agent's own context (UPDATE_CONTEXT): record a goal, strategy, pattern, insight, fact or preference",
  input: z.object({
    text: z.string().trim().min(1).max(1000).describe(
      "The goal, strategy or insight, one or two sentences",
    ),
    type: z.enum(FACT_KINDS).default("insight"),
    category: z.string().default("general").describe("Topic, e.g. audience, content, engagement"),
    importance: z.enum(["high", "medium", "low"]).default("medium"),
    context: z.string().default("").describe("Why, or what it was learned from"),
  }),
  output: z.object({ id: z.string(), saved: z.string(), verified: z.boolean() }),
  tags: ["goal", "strategy", "insight", "context", "update_context", "learn", "plan"],
  run: async (input, ctx) => {
    const memory = serviceFrom<PlatformMemory>(ctx.services, "memory", ["save"]);
    const taint = taintOf(ctx.services);
    if (!taint?.tainted && typeof memory.confirmFact === "function") {
      // A trusted cycle recording a pending note again confirms it instead of adding a copy.
      const confirmed = await memory.confirmFact({ text: input.text }, "trusted cycle");
      if (confirmed) {
        return { id: confirmed.id, saved: `${input.type}: ${input.text}`, verified: true };
      }
    }
    const unverifiedBecause = taint?.tainted ? [...taint.sources] : undefined;
    const saved = await memory.save(
      contextFactMemory({ ...input, ...writerOf(ctx.params), unverifiedBecause }),
    );
    return { id: saved.id, saved: `${input.type}: ${input.text}`, verified: !unverifiedBecause };
  },
});
