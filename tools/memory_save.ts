/**
 * Saves a goal, strategy, pattern, fact, insight or preference to long-term memory: the old
 * agent's UPDATE_CONTEXT, writing the same `facts` row shape (source "autonomous_context_update")
 * so the old and new agents can read each other's context.
 */
import { z } from "zod";
import { defineTool } from "../core/tool.ts";
import { memoryServiceFrom } from "../core/memory/memory_service.ts";
import { contextFactMemory, FACT_KINDS, writerOf } from "../core/memory/platform_rows.ts";

export default defineTool({
  description:
    "Save a goal, strategy, pattern, fact, insight or preference to long-term memory (UPDATE_CONTEXT)",
  input: z.object({
    text: z.string().min(1).describe("The thing to remember, one or two sentences"),
    type: z.enum(FACT_KINDS).default("fact").describe("Kind of context"),
    category: z.string().default("general").describe("Free-form topic, e.g. audience, content"),
    importance: z.enum(["high", "medium", "low"]).default("medium"),
    context: z.string().default("").describe("Why this matters or where it came from"),
  }),
  output: z.object({ id: z.string(), saved: z.string() }),
  tags: ["remember", "update_context", "goal", "strategy", "note", "fact"],
  run: async (input, ctx) => {
    const memory = memoryServiceFrom(ctx.services);
    const saved = await memory.save(contextFactMemory({ ...input, ...writerOf(ctx.params) }));
    return { id: saved.id, saved: `${input.type}: ${input.text}` };
  },
});
