/**
 * The daemon's HTTP view of self-analysis: `GET /api/suggestions[?session=name&min=N&limit=N]`
 * returns suggestions as JSON, either from a live EvolutionService or from a saved session's
 * history (the newest one under sessions/ when no name is given). Handlers answer only their
 * own path (undefined otherwise), so the daemon's router can try them before its 404. Over the
 * network a suggestion's code has its literals and comments withheld and its parameters' string
 * examples masked: saved sessions hold whatever a person typed, secrets included.
 */
import { analyzeHistory, type Suggestion } from "./analyze_history.ts";
import type { EvolutionService } from "./evolution_service.ts";
import { assertSessionName, readSessionFile } from "../sessions/session_file.ts";
import { MASK, redact } from "../redact.ts";
import { maskCodeLiterals } from "../redact_code.ts";

type Handler = (req: Request) => Promise<Response> | undefined;

/** Answers `/api/suggestions` from a live session; undefined for any other path. */
export function suggestionsHandler(service: () => EvolutionService | undefined): Handler {
  return route(async (_url, params) => {
    const s = service();
    if (!s) return json({ error: "no session with an evolution service is running" }, 503);
    const suggestions = await s.analyzeHistory(params);
    return json({ records: s.history.length, suggestions: suggestions.map(publicSuggestion) });
  });
}

/** Answers `/api/suggestions` from the history saved in `sessionsDir/<session>/session.json`. */
export function savedSessionSuggestionsHandler(sessionsDir: string): Handler {
  return route(async (url, params) => {
    const session = url.searchParams.get("session") ?? await newestSession(sessionsDir);
    if (!session) return json({ error: `no saved session under ${sessionsDir}` }, 404);
    try {
      assertSessionName(session);
    } catch (e) {
      return json({ error: (e as Error).message }, 400);
    }
    let history;
    try {
      history = (await readSessionFile(`${sessionsDir}/${session}`)).history;
    } catch (e) {
      return json({ error: (e as Error).message }, 404);
    }
    const suggestions = await analyzeHistory(history, params);
    return json({
      session,
      records: history.length,
      suggestions: suggestions.map(publicSuggestion),
    });
  });
}

/** A suggestion as it may leave the process: no literal a person typed. */
export function publicSuggestion(s: Suggestion): Suggestion {
  return {
    ...s,
    example: maskCodeLiterals(s.example),
    parameters: s.parameters.map((p) => ({
      ...p,
      examples: p.examples.map((e) => typeof e === "string" ? MASK : e),
    })),
  };
}

function route(
  answer: (url: URL, p: { minOccurrences: number; limit: number }) => Promise<Response>,
): Handler {
  return (req) => {
    const url = new URL(req.url);
    if (url.pathname !== "/api/suggestions") return undefined;
    if (req.method !== "GET") {
      return Promise.resolve(json({ error: `method ${req.method} not allowed` }, 405));
    }
    const min = Number(url.searchParams.get("min") ?? 2);
    const limit = Number(url.searchParams.get("limit") ?? 10);
    if (!Number.isInteger(min) || min < 2 || !Number.isInteger(limit) || limit < 1) {
      return Promise.resolve(
        json({ error: "min must be an integer >= 2 and limit an integer >= 1" }, 400),
      );
    }
    return answer(url, { minOccurrences: min, limit });
  };
}

async function newestSession(dir: string): Promise<string | undefined> {
  let best: { name: string; mtime: number } | undefined;
  try {
    for await (const entry of Deno.readDir(dir)) {
      if (!entry.isDirectory) continue;
      try {
        const mtime = (await Deno.stat(`${dir}/${entry.name}/session.json`)).mtime?.getTime() ?? 0;
        if (!best || mtime > best.mtime) best = { name: entry.name, mtime };
      } catch {
        // not a saved session
      }
    }
  } catch {
    return undefined;
  }
  return best?.name;
}

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(redact(body)), {
    status,
    headers: { "content-type": "application/json" },
  });
}
