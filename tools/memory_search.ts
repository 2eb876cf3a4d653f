/**
 * Searches the agent's long-term memory (hybrid: vector + full-text) through the memory service
 * (`ctx.services.memory`). Returns short hits the model can read; bad input comes back as an
 * error message naming the field.
 */
import { z } from "zod";
import { defineTool } from "../core/tool.ts";
import { memoryServiceFrom } from "../core/memory/memory_service.ts";
import { MEMORY_TYPES } from "../core/memory/types.ts";

export default defineTool({
  description:
    "Search long-term memory (past messages, saved facts, goals, notes) by meaning and keywords",
  input: z.object({
    query: z.string().min(1).describe("What to look for, in natural language"),
    limit: z.number().int().min(1).max(50).default(5).describe("How many results"),
    type: z.enum(MEMORY_TYPES).optional().describe("Only messages, facts or memories"),
    includeArchived: z.boolean().default(false).describe("Also search archived memories"),
  }),
  output: z.object({
    results: z.array(z.object({
      id: z.string(),
      type: z.string(),
      text: z.string(),
      createdAt: z.string(),
      score: z.number(),
      archived: z.boolean(),
    })),
  }),
  tags: ["recall", "remember", "history", "facts", "context", "goals"],
  run: async ({ query, limit, type, includeArchived }, ctx) => {
    const memory = memoryServiceFrom(ctx.services);
    const hits = await memory.search({
      text: query,
      limit,
      includeArchived,
      ...(type ? { type } : {}),
      ...(typeof ctx.params.agentId === "string" ? { agentId: ctx.params.agentId } : {}),
    });
    return {
      results: hits.map((h) => ({
        id: h.memory.id,
        type: h.memory.type,
        text: String(h.memory.content.text),
        createdAt: new Date(h.memory.createdAt).toISOString(),
        score: Math.round(h.score * 10_000) / 10_000,
        archived: h.archived,
      })),
    };
  },
});
