/**
 * The research backend behind `do_research`: an interface so another search service can be
 * plugged in, and a client for SearXNG-compatible JSON search (`?q=...&format=json`).
 */

/** One search result. */
export interface ResearchResult {
  title: string;
  url: string;
  snippet: string;
}

/** A search backend (`services.research`). */
export interface ResearchService {
  search(query: string, limit: number, signal?: AbortSignal): Promise<ResearchResult[]>;
}

/** A SearXNG-style backend at `url`. */
export function searxngResearch(url: string): ResearchService {
  return {
    async search(query, limit, signal) {
      const u = new URL(url);
      u.searchParams.set("q", query);
      u.searchParams.set("format", "json");
      const res = await fetch(u, { ...(signal ? { signal } : {}) });
      if (!res.ok) {
        await res.body?.cancel();
        throw new Error(`Research backend ${u.host} answered ${res.status}`);
      }
      const body = await res.json() as { results?: unknown };
      if (!Array.isArray(body.results)) {
        throw new Error(`Research backend ${u.host} returned no "results" array`);
      }
      return body.results.slice(0, limit).map((r) => {
        const o = (r ?? {}) as Record<string, unknown>;
        return {
          title: String(o.title ?? ""),
          url: String(o.url ?? ""),
          snippet: String(o.content ?? o.snippet ?? "").slice(0, 500),
        };
      });
    },
  };
}
