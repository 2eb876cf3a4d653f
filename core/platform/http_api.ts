/**
 * The daemon's HTTP routes: health on `/health` and `/api/health` (the platform has probed both),
 * Prometheus text on `/metrics`, status, recent cycles, "run one cycle now", and the operators'
 * `/vtuber/control` and `/scb/control` (GET reads the status; `POST ?action=activate|deactivate`
 * changes it). Who may call them is decided before, in ../http/api_guard.ts. Every GET route
 * answers HEAD with the same status and headers and no body. At most one manual cycle is queued
 * or running at a time: another `POST /api/cycle` meanwhile gets 429. Bad requests get a 4xx with
 * a JSON `{error}` naming what was wrong; every JSON answer goes through redact.ts.
 */
import type { CycleRecord } from "./decision_loop.ts";
import type { ServiceSwitch } from "./platform_services.ts";
import { redact } from "../redact.ts";

/** What the API reads from the daemon. */
export interface ApiDeps {
  status(): Record<string, unknown>;
  metrics(): string;
  cycles(limit: number): CycleRecord[];
  /**
   * Runs one cycle now (through one ManualCycle, manual_cycle.ts); undefined when there is no loop (the
   * reason is in `waiting()`), `"busy"` while a manual cycle is queued or running.
   */
  runCycle(): Promise<CycleRecord> | undefined | "busy";
  /** Why no cycle can run (no model endpoint yet, still starting); undefined when one can. */
  waiting(): string | undefined;
  switches: { vtuber: ServiceSwitch; scb: ServiceSwitch };
  onControl?: (service: string, action: string) => void;
}

const READ = ["GET", "HEAD"];
const ROUTES: Record<string, string[]> = {
  "/health": READ,
  "/api/health": READ,
  "/metrics": READ,
  "/api/status": READ,
  "/api/cycles": READ,
  "/api/cycle": ["POST"],
  "/vtuber/control": [...READ, "POST"],
  "/scb/control": [...READ, "POST"],
};

/** The request handler. */
export function apiHandler(deps: ApiDeps): (req: Request) => Promise<Response> {
  const answer = async (req: Request, url: URL): Promise<Response> => {
    switch (url.pathname) {
      case "/health":
      case "/api/health":
        return json({ status: "ok" });
      case "/metrics":
        return new Response(deps.metrics(), {
          headers: { "content-type": "text/plain; version=0.0.4; charset=utf-8" },
        });
      case "/api/status":
        return json(deps.status());
      case "/api/cycles": {
        const raw = url.searchParams.get("limit") ?? "20";
        const limit = Number(raw);
        if (!/^\d+$/.test(raw) || limit < 1 || limit > 200) {
          return json({ error: `limit must be an integer from 1 to 200, got "${raw}"` }, 400);
        }
        return json({ cycles: deps.cycles(limit) });
      }
      case "/api/cycle": {
        const run = deps.runCycle();
        if (run === "busy") {
          return json(
            {
              error: "a manual cycle is already queued or running; try again after it",
            },
            429,
            { "retry-after": "5" },
          );
        }
        if (!run) return json({ error: `cannot run a cycle: ${deps.waiting() ?? "no loop"}` }, 503);
        return json({ cycle: await run });
      }
      case "/vtuber/control":
      case "/scb/control":
        return control(req, url, url.pathname.startsWith("/vtuber") ? "vtuber" : "scb", deps);
    }
    return json({ error: `no route for ${url.pathname}` }, 404);
  };
  return async (req) => {
    const url = new URL(req.url);
    const methods = ROUTES[url.pathname];
    if (!methods) return json({ error: `no route for ${url.pathname}` }, 404);
    if (!methods.includes(req.method)) {
      return json({ error: `method ${req.method} not allowed on ${url.pathname}` }, 405, {
        allow: methods.join(", "),
      });
    }
    const res = await answer(req, url);
    return req.method === "HEAD" ? await withoutBody(res) : res;
  };
}

/** The same status and headers as `res`, with its body's length and no body (HEAD). */
export async function withoutBody(res: Response): Promise<Response> {
  const length = res.body ? (await res.arrayBuffer()).byteLength : 0;
  const headers = new Headers(res.headers);
  headers.set("content-length", String(length));
  return new Response(null, { status: res.status, headers });
}

function control(req: Request, url: URL, service: "vtuber" | "scb", deps: ApiDeps): Response {
  const sw = deps.switches[service];
  const action = url.searchParams.get("action") ?? "status";
  if (!["status", "activate", "deactivate"].includes(action)) {
    return json({
      error: `unknown action "${action}": expected status, activate or deactivate`,
    }, 400);
  }
  if (req.method !== "POST" && action !== "status") {
    return json(
      {
        error:
          `action "${action}" changes the ${service}: send it as POST ${url.pathname}?action=${action}`,
      },
      405,
      { allow: "POST" },
    );
  }
  switch (action) {
    case "status":
      return json(sw.status());
    case "activate":
      if (sw.unavailable) {
        return json({ error: `cannot activate the ${service}: ${sw.unavailable}` }, 409);
      }
      sw.active = true;
      deps.onControl?.(service, action);
      return json(sw.status());
    case "deactivate":
      sw.active = false;
      deps.onControl?.(service, action);
      return json(sw.status());
  }
  return json(sw.status());
}

/** Every JSON answer goes through the one redaction function: no secret leaves over the network. */
function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(redact(body)), {
    status,
    headers: { "content-type": "application/json", ...headers },
  });
}
