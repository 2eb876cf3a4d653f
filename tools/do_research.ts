/**
 * DO_RESEARCH: a web search through a configurable backend, either `services.research` (set by
 * the daemon from RESEARCH_URL) or `params.searchUrl` in tools.yaml: a SearXNG-style JSON
 * endpoint (`GET <url>?q=<query>&format=json` → `{results: [{title, url, content}]}`). With no
 * backend it fails with an error that says how to configure one. Results are kept as a memory.
 */
import { z } from "zod";
import { defineTool } from "../core/tool.ts";
import { type ResearchService, searxngResearch } from "../core/platform/research.ts";
import type { PlatformMemory } from "../core/platform/platform_services.ts";
import { writerOf } from "../core/memory/platform_rows.ts";
import { taintOf } from "../core/platform/cycle_taint.ts";

export default defineTool({
  description:
    "Research a topic on the web (DO_RESEARCH): returns the top results (title, url, snippet) to talk about",
  input: z.object({
    query: z.string().trim().min(2).max(300).describe("What to look up"),
    limit: z.number().int().min(1).max(10).default(5),
  }),
  output: z.object({
    query: z.string(),
    results: z.array(z.object({ title: z.string(), url: z.string(), snippet: z.string() })),
  }),
  timeoutMs: 30_000,
  permissions: { net: ["RESEARCH_URL host"] },
  tags: ["search", "web", "look up", "news", "do_research", "facts", "trending"],
  run: async ({ query, limit }, ctx) => {
    const backend = ctx.services.research as ResearchService | undefined ??
      (typeof ctx.params.searchUrl === "string"
        ? searxngResearch(ctx.params.searchUrl)
        : undefined);
    if (!backend) {
      throw new Error(
        "No research backend is configured: set RESEARCH_URL (a SearXNG-compatible JSON search " +
          "endpoint) or tools.do_research.params.searchUrl in tools.yaml",
      );
    }
    const results = (await backend.search(query, limit, ctx.signal)).slice(0, limit);
    // Web pages are untrusted: the rest of the cycle is tainted, the memory marked (issue 14.6).
    if (results.length) taintOf(ctx.services)?.add("research");
    const memory = ctx.services.memory as PlatformMemory | undefined;
    if (memory && results.length) {
      const text = `Research "${query}": ` +
        results.map((r) => `${r.title}: ${r.snippet}`).join(" | ");
      const { ids, speaker } = writerOf(ctx.params);
      await memory.save({
        type: "memories",
        content: {
          text: text.slice(0, 4000),
          type: "research",
          query,
          results,
          ...(speaker ? { speaker } : {}),
        },
        importance: 0.5,
        metadata: { untrusted: true, origin: "research" },
        ...ids,
      });
    }
    return { query, results };
  },
});
