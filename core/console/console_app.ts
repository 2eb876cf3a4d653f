/**
 * The operator console, served by the daemon under `/console` on the API's port and behind the
 * API's guard (http/api_guard.ts): with a token, `/console/login` takes it once and sets an
 * HttpOnly SameSite=Strict cookie. Pages are rendered here (html.ts); the one script
 * (static/app.js) only adds live updates from `/console/events` (server-sent events). Actions
 * are plain form POSTs answered with a redirect, so every control works from the keyboard.
 */
import type { CycleRecord } from "../platform/decision_loop.ts";
import type { PlatformMemory } from "../platform/platform_services.ts";
import type { ToolRegistry } from "../tools/registry.ts";
import type { PendingKind } from "../evolution/evolution_paths.ts";
import { sameSecret, SESSION_COOKIE } from "../http/api_guard.ts";
import { type Html, html, htmlResponse, page, type ViewName, VIEWS } from "./html.ts";
import type { ToolApprovals } from "./tool_approvals.ts";
import type { SkillsQueue } from "./skills_queue.ts";
import { costView, cycleRow, cyclesView, type ShownCycle } from "./views_cycles.ts";
import { approvalsView, memoryView, statusView, toolStats, toolsView } from "./views_state.ts";
import { skillsView } from "./views_skills.ts";

/** What the console reads and drives. */
export interface ConsoleDeps {
  status(): Record<string, unknown>;
  cycles(limit: number): ShownCycle[];
  /** Calls `fn` with each finished cycle; returns the unsubscribe function. */
  onCycle(fn: (record: ShownCycle) => void): () => void;
  /** Starts one cycle; undefined when none can run. */
  runCycle(): Promise<CycleRecord> | undefined | "busy";
  approvals: ToolApprovals;
  skills: SkillsQueue;
  memory(): PlatformMemory | undefined;
  registry(): ToolRegistry | undefined;
  prices: { inputPerM: number; outputPerM: number };
  /** The API token, when one is required (the login page compares against it). */
  token?: string | undefined;
}

const STATIC: Record<string, string> = {
  "/console/app.js": "text/javascript; charset=utf-8",
  "/console/app.css": "text/css; charset=utf-8",
};

/** Answers `/console` and below; undefined for every other path. */
export function consoleHandler(deps: ConsoleDeps): (req: Request) => Promise<Response> | undefined {
  return (req) => {
    const url = new URL(req.url);
    if (url.pathname !== "/console" && !url.pathname.startsWith("/console/")) return undefined;
    return route(req, url, deps).catch((e) =>
      htmlResponse(page("status", "Error", html`<p role="alert">${(e as Error).message}</p>`), 500)
    );
  };
}

async function route(req: Request, url: URL, deps: ConsoleDeps): Promise<Response> {
  const path = url.pathname;
  const type = STATIC[path];
  if (type) {
    const file = new URL(`./static/${path.slice("/console/".length)}`, import.meta.url);
    return new Response(await Deno.readTextFile(file), {
      headers: {
        "content-type": type,
        "cache-control": "no-cache",
        "x-content-type-options": "nosniff",
      },
    });
  }
  if (path === "/console" || path === "/console/") return redirect("/console/status");
  if (path === "/console/login") return login(req, deps);
  if (path === "/console/events") return events(deps);
  if (req.method === "POST") return await act(req, path, deps);
  const view = path.slice("/console/".length) as ViewName;
  if (!VIEWS.some(([name]) => name === view)) {
    return htmlResponse(page("status", "Not found", html`<p>No console view at ${path}.</p>`), 404);
  }
  const title = VIEWS.find(([name]) => name === view)![1];
  return htmlResponse(page(view, title, await render(view, url, deps)));
}

async function render(view: ViewName, url: URL, deps: ConsoleDeps): Promise<Html> {
  const q = url.searchParams.get("q")?.trim() ?? "";
  switch (view) {
    case "status":
      return statusView(deps.status());
    case "cycles":
      return cyclesView(deps.cycles(50));
    case "memory": {
      const memory = deps.memory();
      if (!memory) return html`<p role="alert">Memory is not available (see Status).</p>`;
      let hits;
      let error: string | undefined;
      try {
        hits = q ? await memory.search({ text: q, limit: 10 }) : undefined;
      } catch (e) {
        error = `Search failed: ${(e as Error).message}`;
      }
      const facts = await memory.latestFacts({ limit: 20 }).catch(() => []);
      return memoryView(q, hits, facts, error);
    }
    case "tools": {
      const registry = deps.registry();
      if (!registry) return html`<p role="alert">The tools are not loaded yet (see Status).</p>`;
      const tools = registry.list().map((info) => ({ info, spec: registry.spec(info.name) }));
      const hits = q ? await registry.rank(q, 5) : undefined;
      return toolsView(tools, toolStats(deps.cycles(200)), q, hits);
    }
    case "skills":
      return skillsView(
        await deps.skills.pending(),
        await deps.skills.learned(),
        url.searchParams.get("notice") ?? undefined,
      );
    case "approvals":
      return approvalsView(deps.approvals.pending(), deps.approvals.decided());
    case "cost":
      return costView(deps.cycles(200), deps.prices);
  }
}

async function act(req: Request, path: string, deps: ConsoleDeps): Promise<Response> {
  const form = await req.formData().catch(() => new FormData());
  const decision = String(form.get("decision") ?? "");
  let m = /^\/console\/approvals\/([0-9a-f-]{36})$/.exec(path);
  if (m) {
    if (decision !== "approve" && decision !== "reject") {
      return bad(`decision must be approve or reject`);
    }
    deps.approvals.decide(m[1]!, decision === "approve");
    return redirect("/console/approvals");
  }
  m = /^\/console\/skills\/(functions|tests|agents)\/([A-Za-z0-9_-]+)$/.exec(path);
  if (m) {
    const kind = m[1] as PendingKind;
    if (decision === "approve") {
      const r = await deps.skills.approve(kind, m[2]!);
      return redirect(`/console/skills?notice=${encodeURIComponent(r.message)}`);
    }
    if (decision === "reject") {
      await deps.skills.reject(kind, m[2]!);
      return redirect(`/console/skills?notice=${encodeURIComponent(`rejected ${m[2]}`)}`);
    }
    return bad(`decision must be approve or reject`);
  }
  if (path === "/console/cycle") {
    // Runs in the background; the timeline shows it when it finishes.
    const run = deps.runCycle();
    if (run instanceof Promise) run.catch(() => {});
    return redirect("/console/cycles");
  }
  return htmlResponse(page("status", "Not found", html`<p>No action at ${path}.</p>`), 404);
}

/** The token form (GET) and its check (POST), which sets the session cookie. */
async function login(req: Request, deps: ConsoleDeps): Promise<Response> {
  const form = (message?: string) =>
    htmlResponse(
      page(
        "login",
        "Sign in",
        html`
          ${message ? html`<p role="alert">${message}</p>` : ""}
          <form method="post" action="/console/login">
            <label for="token">API token</label>
            <input id="token" name="token" type="password" autocomplete="current-password" required>
            <button type="submit">Open the console</button>
          </form>
          <p class="note">The token is API_TOKEN, or the one printed once and kept in DATA_DIR/api_token.</p>
        `,
      ),
      message ? 401 : 200,
    );
  if (!deps.token) return redirect("/console/status");
  if (req.method !== "POST") return form();
  const token = String((await req.formData().catch(() => new FormData())).get("token") ?? "");
  if (!sameSecret(token, deps.token)) return form("That is not the API token.");
  return new Response(null, {
    status: 303,
    headers: {
      location: "/console/status",
      "set-cookie": `${SESSION_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Strict`,
    },
  });
}

/** Server-sent events: `cycle` with the rendered row, `approvals` when the queue changes. */
function events(deps: ConsoleDeps): Response {
  const enc = new TextEncoder();
  let cleanup = () => {};
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      const send = (event: string, data: unknown) => {
        try {
          controller.enqueue(enc.encode(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`));
        } catch {
          cleanup();
        }
      };
      const offCycle = deps.onCycle((r) =>
        send("cycle", { id: r.id, status: r.status, html: cycleRow(r).text })
      );
      const offApprovals = deps.approvals.subscribe(() =>
        send("approvals", { pending: deps.approvals.pending().length })
      );
      const beat = setInterval(() => {
        try {
          controller.enqueue(enc.encode(": keep-alive\n\n"));
        } catch {
          cleanup();
        }
      }, 15_000);
      cleanup = () => {
        offCycle();
        offApprovals();
        clearInterval(beat);
      };
      controller.enqueue(enc.encode("retry: 2000\n\n"));
    },
    cancel() {
      cleanup();
    },
  });
  return new Response(body, {
    headers: {
      "content-type": "text/event-stream",
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    },
  });
}

function redirect(location: string): Response {
  return new Response(null, { status: 303, headers: { location } });
}

function bad(message: string): Response {
  return htmlResponse(page("status", "Bad request", html`<p role="alert">${message}</p>`), 400);
}
