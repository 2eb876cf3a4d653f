/**
 * A NeuroSync emulator for tests and demos: one real HTTP server on 127.0.0.1 serving both the
 * Local API's SCB routes (:5000 on the platform) and the Player's `POST /process_text` (:5001),
 * as ../shared/contracts/neurosync.md describes them: 401 without the key, 403 outside a job
 * window, 400 on bad payloads, 500 when `autonomous_context` is not an object, replies that
 * block while the "avatar" answers, and the Redis list semantics (kept in memory, or in a real
 * Redis when `redisUrl` is given). Faults can be injected per route.
 */
import { Redis } from "ioredis";
import { nowSeconds, parseStoredEntry, type ScbEntry, sliceWindow } from "./scb_entry.ts";

/** An injected fault for the next `count` requests to a route (default: until cleared). */
export interface EmulatorFault {
  /** Answer with this status (500, 503, ...). */
  status?: number;
  /** Hold the reply this long (a timeout on the client side). */
  delayMs?: number;
  count?: number;
}

/** Settings of {@link startNeuroSyncEmulator}. */
export interface EmulatorOptions {
  apiKey?: string;
  /** Keep the SCB in this Redis instead of memory. */
  redisUrl?: string;
  logKey?: string;
  summaryKey?: string;
  maxLines?: number;
  /** How long a speech request blocks (the avatar's LLM). Default 0. */
  speechDelayMs?: number;
  /** Whether a paid job window is open. Default true. */
  windowOpen?: boolean;
}

/** A spoken request as the Player received it. */
export interface SpokenRequest {
  text: string;
  autonomous_context?: Record<string, unknown>;
}

/** A running emulator. */
export interface NeuroSyncEmulator extends AsyncDisposable {
  url: string;
  /** Full speech URL (VTUBER_ENDPOINT_URL). */
  speechUrl: string;
  port: number;
  /** Speech requests that were accepted (200), in order. */
  spoken: SpokenRequest[];
  /** Every request on arrival: method, path, status (0 until answered). */
  requests: Array<{ method: string; path: string; status: number }>;
  /** Most speech requests being served at the same time (one expected). */
  maxConcurrentSpeech: number;
  setWindowOpen(open: boolean): void;
  /** Injects a fault on `route` ("/process_text", "/scb/slice", ...); none clears it. */
  fault(route: string, fault?: EmulatorFault): void;
  /** The SCB log, newest first. */
  log(): Promise<ScbEntry[]>;
  setSummary(text: string): Promise<void>;
  /** Appends a viewer chat line (`type:"event", actor:"user", salience:0.3`). */
  chat(text: string): Promise<void>;
  close(): Promise<void>;
}

/** Starts the emulator on a free port. */
export function startNeuroSyncEmulator(options: EmulatorOptions = {}): NeuroSyncEmulator {
  const store = options.redisUrl
    ? redisStore(options.redisUrl, options)
    : memoryStore(options.maxLines ?? 1000);
  const faults = new Map<string, EmulatorFault>();
  const closing = new AbortController();
  let windowOpen = options.windowOpen ?? true;
  let speaking = 0;
  const spoken: SpokenRequest[] = [];
  const requests: NeuroSyncEmulator["requests"] = [];
  const state = { maxConcurrentSpeech: 0 };

  const route = async (req: Request, path: string): Promise<Response> => {
    if (options.apiKey && path.startsWith("/scb/")) {
      if (req.headers.get("x-neurosync-key") !== options.apiKey) {
        return Response.json({ error: "Unauthorized" }, { status: 401 });
      }
    }
    const fault = faults.get(path);
    if (fault) {
      if (fault.count !== undefined && --fault.count <= 0) faults.delete(path);
      if (fault.delayMs) await sleep(fault.delayMs, closing.signal);
      if (fault.status) return Response.json({ error: "injected fault" }, { status: fault.status });
    }
    const key = `${req.method} ${path}`;
    switch (key) {
      case "GET /scb/ping":
        return Response.json({ status: "ok" });
      case "GET /scb/slice": {
        const tokens = Number(new URL(req.url).searchParams.get("tokens") ?? 600) || 600;
        const [entries, summary] = await Promise.all([store.range(), store.summary()]);
        return Response.json({ summary, window: sliceWindow(entries, tokens) });
      }
      case "POST /scb/event": {
        const body = await readBody(req);
        if (!isObject(body)) {
          return Response.json({ error: "Invalid JSON payload" }, { status: 400 });
        }
        // The platform drops entries without type/actor/text silently and still says ok.
        if (body.type && body.actor && typeof body.text === "string") {
          await store.push({ t: nowSeconds(), ...body } as ScbEntry);
        }
        return Response.json({ status: "ok" });
      }
      case "POST /scb/directive": {
        const body = await readBody(req);
        if (!isObject(body) || typeof body.text !== "string" || !body.text) {
          return Response.json({ error: "'text' is required" }, { status: 400 });
        }
        const actor = typeof body.actor === "string" ? body.actor : "planner";
        const ttl = typeof body.ttl === "number" ? body.ttl : 15;
        await store.push({ type: "directive", actor, text: body.text, ttl, t: nowSeconds() });
        return Response.json({ status: "ok" });
      }
      case "POST /process_text":
        return await speak(req);
    }
    return Response.json({ error: `Not found: ${key}` }, { status: 404 });
  };

  const speak = async (req: Request): Promise<Response> => {
    const body = await readBody(req);
    if (!isObject(body) || !("text" in body)) {
      return Response.json({ error: "Missing 'text' in JSON payload" }, { status: 400 });
    }
    if (typeof body.text !== "string" || !body.text.trim()) {
      return Response.json({ error: "Input text cannot be empty" }, { status: 400 });
    }
    const ctx = body.autonomous_context;
    if (ctx !== undefined && !isObject(ctx)) {
      return Response.json({ error: "'str' object has no attribute 'get'" }, { status: 500 });
    }
    if (!windowOpen) {
      return Response.json({ error: "Worker is idle – no active job window" }, { status: 403 });
    }
    speaking++;
    state.maxConcurrentSpeech = Math.max(state.maxConcurrentSpeech, speaking);
    try {
      if (options.speechDelayMs) await sleep(options.speechDelayMs, closing.signal);
      const directive = ctx?.is_directive === true && ctx?.authority_level === "manager";
      if (!directive) {
        await store.push({
          t: nowSeconds(),
          type: "event",
          actor: "user",
          text: body.text,
          salience: 0.3,
        });
      }
      await store.push({
        t: nowSeconds(),
        type: "speech",
        actor: directive ? "vtuber_autonomous" : "vtuber",
        text: `(reply to) ${body.text}`,
        source: "emulator",
      });
      spoken.push({ text: body.text, ...(ctx ? { autonomous_context: ctx } : {}) });
    } finally {
      speaking--;
    }
    return Response.json({
      status: "processing",
      message: "Input processed.",
      llm_provider: "emulator",
      model: "emulator",
    });
  };

  const server = Deno.serve({
    port: 0,
    hostname: "127.0.0.1",
    onListen: () => {},
    signal: closing.signal,
  }, async (req) => {
    const path = new URL(req.url).pathname;
    const record = { method: req.method, path, status: 0 };
    requests.push(record);
    let res: Response;
    try {
      res = await route(req, path);
    } catch (e) {
      res = Response.json({ error: `emulator fault: ${(e as Error).message}` }, { status: 500 });
    }
    record.status = res.status;
    return res;
  });
  const url = `http://127.0.0.1:${server.addr.port}`;
  return {
    url,
    speechUrl: `${url}/process_text`,
    port: server.addr.port,
    spoken,
    requests,
    get maxConcurrentSpeech() {
      return state.maxConcurrentSpeech;
    },
    setWindowOpen: (open) => (windowOpen = open),
    fault: (path, f) => (f ? faults.set(path, { ...f }) : faults.delete(path)),
    log: () => store.range(),
    setSummary: (text) => store.setSummary(text),
    chat: (text) =>
      store.push({ t: nowSeconds(), type: "event", actor: "user", text, salience: 0.3 }),
    close: async () => {
      closing.abort();
      await server.finished;
      await store.close();
    },
    [Symbol.asyncDispose]() {
      return this.close();
    },
  };
}

interface ListStore {
  push(e: ScbEntry): Promise<void>;
  range(): Promise<ScbEntry[]>;
  summary(): Promise<string>;
  setSummary(text: string): Promise<void>;
  close(): Promise<void>;
}

function memoryStore(maxLines: number): ListStore {
  let list: string[] = [];
  let summary = "";
  return {
    push: (e) => {
      list.unshift(JSON.stringify(e));
      list = list.slice(0, maxLines);
      return Promise.resolve();
    },
    range: () => Promise.resolve(list.map(parseStoredEntry).filter((e) => e !== undefined)),
    summary: () => Promise.resolve(summary),
    setSummary: (text) => Promise.resolve(void (summary = text)),
    close: () => Promise.resolve(),
  };
}

function redisStore(url: string, o: EmulatorOptions): ListStore {
  const redis = new Redis(url, { maxRetriesPerRequest: 2 });
  redis.on("error", () => {});
  const logKey = o.logKey ?? "scs:log";
  const summaryKey = o.summaryKey ?? "scs:summary";
  const max = o.maxLines ?? 1000;
  return {
    push: async (e) => {
      await redis.lpush(logKey, JSON.stringify(e));
      await redis.ltrim(logKey, 0, max - 1);
    },
    range: async () =>
      (await redis.lrange(logKey, 0, max - 1)).map(parseStoredEntry).filter((e) => e !== undefined),
    summary: async () => (await redis.get(summaryKey)) ?? "",
    setSummary: async (text) => void (await redis.set(summaryKey, text)),
    close: async () => void (await redis.quit().catch(() => redis.disconnect())),
  };
}

async function readBody(req: Request): Promise<unknown> {
  try {
    return await req.json();
  } catch {
    return undefined;
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => (clearTimeout(timer), resolve()), { once: true });
  });
}
