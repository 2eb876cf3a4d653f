/**
 * The NeuroSync servers' routes as their Flask code answers (emulator part), with the odd parts a
 * client must survive: errors not produced by route code are Werkzeug HTML pages; `/process_text`
 * checks the job window before the payload, refuses only a falsy `text`, treats a falsy
 * `autonomous_context` as absent and fails (500) on a truthy non-object one; `/scb/event` and
 * `/scb/directive` read the body with `get_json(silent=True) or {}` (a `text/plain` body is an
 * empty object), `/scb/directive` strips text and keeps `ttl` only when `str(ttl).isdigit()`.
 */
import type { EmulatorStore, RawEntry } from "./emulator_store.ts";

/** A Werkzeug error page, as Flask serves it for 400/404/405/500 outside route code. */
export function werkzeugPage(status: 400 | 404 | 405 | 500): Response {
  const [title, text] = {
    400: [
      "Bad Request",
      "The browser (or proxy) sent a request that this server could not understand.",
    ],
    404: [
      "Not Found",
      "The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.",
    ],
    405: ["Method Not Allowed", "The method is not allowed for the requested URL."],
    500: [
      "Internal Server Error",
      "The server encountered an internal error and was unable to complete your request. Either the server is overloaded or there is an error in the application.",
    ],
  }[status];
  const body = `<!doctype html>\n<html lang=en>\n<title>${status} ${title}</title>\n` +
    `<h1>${title}</h1>\n<p>${text}</p>\n`;
  return new Response(body, { status, headers: { "content-type": "text/html; charset=utf-8" } });
}

/** Thrown inside a route to answer with a Werkzeug page (an uncaught exception is a 500). */
export class HttpPage extends Error {
  constructor(readonly status: 400 | 404 | 405 | 500) {
    super(`HTTP ${status}`);
  }
}

/** Flask's `request.json`: 400 page unless the content type is JSON and the body parses. */
export async function requestJson(req: Request): Promise<unknown> {
  if (!isJsonType(req)) throw new HttpPage(400);
  try {
    return JSON.parse(await req.text());
  } catch {
    throw new HttpPage(400);
  }
}

/** Flask's `request.get_json(silent=True) or {}`: anything unreadable or falsy is `{}`. */
export async function silentJson(req: Request): Promise<unknown> {
  if (!isJsonType(req)) return {};
  try {
    const v = JSON.parse(await req.text());
    return pyTruthy(v) ? v : {};
  } catch {
    return {};
  }
}

function isJsonType(req: Request): boolean {
  const type = (req.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  return type === "application/json" || (type.startsWith("application/") && type.endsWith("+json"));
}

/** Python truthiness of a JSON value. */
export function pyTruthy(v: unknown): boolean {
  if (Array.isArray(v)) return v.length > 0;
  if (v && typeof v === "object") return Object.keys(v).length > 0;
  return Boolean(v);
}

/** Python's `str()` of a JSON value (for `str(ttl).isdigit()` and word counts). */
export function pyStr(v: unknown): string {
  if (v === null || v === undefined) return "None";
  if (v === true) return "True";
  if (v === false) return "False";
  if (typeof v === "number") {
    return Number.isInteger(v) && !Object.is(v, -0) ? String(v) : pyFloat(v);
  }
  return typeof v === "string" ? v : JSON.stringify(v);
}

function pyFloat(v: number): string {
  const s = String(v);
  return /[.e]/.test(s) ? s : `${s}.0`;
}

/** Python's `int(s)` for a query parameter, or undefined when it raises ValueError. */
export function pyInt(s: string): number | undefined {
  const m = /^\s*([+-]?\d+(?:_\d+)*)\s*$/.exec(s);
  return m ? Number(m[1]!.replaceAll("_", "")) : undefined;
}

/** The Local API's SCB routes (`/scb/*`). */
export async function localApiRoute(
  req: Request,
  path: string,
  store: EmulatorStore,
): Promise<Response | undefined> {
  switch (path) {
    case "/scb/ping":
      return Response.json({ status: "ok" });
    case "/scb/slice": {
      const tokens = pyInt(new URL(req.url).searchParams.get("tokens") ?? "600") ?? 600;
      const [entries, summary] = await Promise.all([store.entries(), store.summary()]);
      let remaining = Math.max(tokens, 0);
      const selected: RawEntry[] = [];
      for (const e of entries) {
        const words = pyStr(e.text ?? "").split(/\s+/).filter(Boolean).length;
        if (remaining - words < 0) break;
        selected.push(e);
        remaining -= words;
      }
      return Response.json({ summary, window: selected.reverse() });
    }
    case "/scb/event": {
      const payload = await silentJson(req);
      if (!isObject(payload)) {
        return Response.json({ error: "Invalid JSON payload" }, { status: 400 });
      }
      await store.append(payload);
      return Response.json({ status: "ok" });
    }
    case "/scb/directive": {
      const payload = await silentJson(req);
      if (!isObject(payload)) {
        return Response.json({ error: "Invalid JSON payload" }, { status: 400 });
      }
      const raw = "text" in payload ? payload.text : "";
      if (typeof raw !== "string") throw new HttpPage(500); // str.strip() on a non-string
      const text = raw.trim();
      const actor = "actor" in payload ? payload.actor : "planner";
      const ttlStr = pyStr("ttl" in payload ? payload.ttl : "");
      const ttl = /^[0-9]+$/.test(ttlStr) ? Number(ttlStr) : 15;
      if (!text) return Response.json({ error: "'text' is required" }, { status: 400 });
      await store.append({ type: "directive", actor, text, ttl });
      return Response.json({ status: "ok" });
    }
  }
  return undefined;
}

/** What the Player route needs from its server. */
export interface PlayerState {
  store: EmulatorStore;
  windowOpen(): boolean;
  /** The avatar's LLM: resolves with its reply (blocks like the real one). */
  reply(text: string): Promise<string>;
  onSpoken(text: string, context: Record<string, unknown> | undefined): void;
}

/** The Player's `POST /process_text`, in the real code's order. */
export async function processText(req: Request, p: PlayerState): Promise<Response> {
  if (!p.windowOpen()) {
    return Response.json({ error: "Worker is idle – no active job window" }, { status: 403 });
  }
  const json = await requestJson(req);
  if (typeof json === "number" || json === true) throw new HttpPage(500); // 'text' in 5
  if (!pyTruthy(json) || !pyContains(json, "text")) {
    return Response.json({ error: "Missing 'text' in JSON payload" }, { status: 400 });
  }
  if (!isObject(json)) throw new HttpPage(500); // json['text'] on a list or string
  const text = json.text;
  if (!pyTruthy(text)) {
    return Response.json({ error: "Input text cannot be empty" }, { status: 400 });
  }
  if (typeof text !== "string") throw new HttpPage(500); // user_input[:100] in the log line
  const context = pyTruthy(json.autonomous_context) ? json.autonomous_context : undefined;
  if (context !== undefined && !isObject(context)) throw new HttpPage(500); // .get on a non-dict
  const directive = Boolean(
    context && pyTruthy(context.is_directive) &&
      context.authority_level === "manager",
  );
  if (!directive) await p.store.append({ type: "event", actor: "user", text, salience: 0.3 });
  const reply = await p.reply(text);
  await p.store.append({
    type: "speech",
    actor: directive ? "vtuber_autonomous" : "vtuber",
    text: reply,
    source: directive ? "autonomous_directive" : "external_input",
  });
  p.onSpoken(text, context);
  return Response.json({
    llm_provider: "openai",
    message: "Input processed.",
    model: "emulator",
    status: "processing",
  });
}

/** Python's `'text' in value` for a parsed JSON value. */
function pyContains(v: unknown, key: string): boolean {
  if (typeof v === "string") return v.includes(key);
  if (Array.isArray(v)) return v.includes(key);
  return isObject(v) && key in v;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
