/**
 * The daemon's HTTP view of self-analysis: `GET /api/suggestions[?min=N&limit=N]` returns the
 * current suggestions as JSON. A handler that answers only its own path (undefined otherwise),
 * so the daemon's router can try it before its 404.
 */
import type { EvolutionService } from "./evolution_service.ts";

/** Answers `/api/suggestions`; undefined for any other path. */
export function suggestionsHandler(
  service: () => EvolutionService | undefined,
): (req: Request) => Promise<Response> | undefined {
  return (req) => {
    const url = new URL(req.url);
    if (url.pathname !== "/api/suggestions") return undefined;
    if (req.method !== "GET") {
      return Promise.resolve(json({ error: `method ${req.method} not allowed` }, 405));
    }
    return (async () => {
      const s = service();
      if (!s) return json({ error: "no session with an evolution service is running" }, 503);
      const min = Number(url.searchParams.get("min") ?? 2);
      const limit = Number(url.searchParams.get("limit") ?? 10);
      if (!Number.isInteger(min) || min < 2 || !Number.isInteger(limit) || limit < 1) {
        return json({ error: "min must be an integer >= 2 and limit an integer >= 1" }, 400);
      }
      const suggestions = await s.analyzeHistory({ minOccurrences: min, limit });
      return json({ records: s.history.length, suggestions });
    })();
  };
}

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json" },
  });
}
