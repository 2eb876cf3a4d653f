/**
 * A NeuroSync emulator for tests and demos that behaves like the platform's two servers (checked
 * against the real Flask Local API and Player, see ../shared/contracts/neurosync.md): the Local
 * API (SCB routes only) and the Player (`POST /process_text` only) on two ports, each answering
 * Werkzeug HTML pages for the other's routes; each with its own SCB store (Redis, or a private
 * list; one Redis connection error switches a store to private memory for good, so the platform
 * splits silently); the Player logs every non-directive text as viewer chat and runs the
 * summarizer (which can freeze). Faults can be injected per route.
 */
import { EmulatorStore, summarize } from "./emulator_store.ts";
import { HttpPage, localApiRoute, processText, werkzeugPage } from "./emulator_routes.ts";
import { nowSeconds, parseStoredEntry, type ScbEntry } from "./scb_entry.ts";

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
  /** Both processes keep the SCB in this Redis (USE_REDIS_SCB); else each has its own list. */
  redisUrl?: string;
  logKey?: string;
  summaryKey?: string;
  maxLines?: number;
  /** How long a speech request blocks (the avatar's LLM). Default 0. */
  speechDelayMs?: number;
  /** Whether a paid job window is open. Default true. */
  windowOpen?: boolean;
  /** The summarizer's period (the platform's is 3 s); 0 turns it off. Default 3000. */
  summaryIntervalMs?: number;
}

/** A spoken request as the Player received it. */
export interface SpokenRequest {
  text: string;
  autonomous_context?: Record<string, unknown>;
}

/** A running emulator. */
export interface NeuroSyncEmulator extends AsyncDisposable {
  /** The Local API (NEUROSYNC_URL). */
  url: string;
  /** The Player's base URL. */
  playerUrl: string;
  /** Full speech URL (VTUBER_ENDPOINT_URL). */
  speechUrl: string;
  /** Speech requests that were accepted (200), in order. */
  spoken: SpokenRequest[];
  /** Every request on arrival: server, method, path, status (0 until answered). */
  requests: Array<{ server: "api" | "player"; method: string; path: string; status: number }>;
  /** Most speech requests being served at the same time (one expected). */
  maxConcurrentSpeech: number;
  setWindowOpen(open: boolean): void;
  /** Injects a fault on `route` ("/process_text", "/scb/slice", ...); none clears it. */
  fault(route: string, fault?: EmulatorFault): void;
  /** The Local API's SCB log, newest first (what the agent reads over REST). */
  log(): Promise<ScbEntry[]>;
  /** The Player's SCB log, newest first (what the avatar reads). */
  playerLog(): Promise<ScbEntry[]>;
  /** The summary the avatar reads. */
  summary(): Promise<string>;
  setSummary(text: string): Promise<void>;
  /** Each process's store: `redis`, or `memory` (private; after a Redis error, for good). */
  modes(): { api: "redis" | "memory"; player: "redis" | "memory" };
  /** Appends a viewer chat line (`type:"event", actor:"user", salience:0.3`), as the Player does. */
  chat(text: string): Promise<void>;
  close(): Promise<void>;
}

/** Starts both servers on free ports of 127.0.0.1. */
export function startNeuroSyncEmulator(options: EmulatorOptions = {}): NeuroSyncEmulator {
  const storeOptions = { ...options, redisUrl: options.redisUrl };
  const api = new EmulatorStore(storeOptions);
  const player = new EmulatorStore(storeOptions);
  const faults = new Map<string, EmulatorFault>();
  const closing = new AbortController();
  let windowOpen = options.windowOpen ?? true;
  let speaking = 0;
  const spoken: SpokenRequest[] = [];
  const requests: NeuroSyncEmulator["requests"] = [];
  const state = { maxConcurrentSpeech: 0 };

  const faulted = async (path: string): Promise<Response | undefined> => {
    const fault = faults.get(path);
    if (!fault) return undefined;
    if (fault.count !== undefined && --fault.count <= 0) faults.delete(path);
    if (fault.delayMs) await sleep(fault.delayMs, closing.signal);
    return fault.status
      ? Response.json({ error: "injected fault" }, { status: fault.status })
      : undefined;
  };

  const serve = (
    server: "api" | "player",
    route: (req: Request, path: string) => Promise<Response>,
  ) =>
    Deno.serve(
      { port: 0, hostname: "127.0.0.1", onListen: () => {}, signal: closing.signal },
      async (req) => {
        const path = new URL(req.url).pathname;
        const record = { server, method: req.method, path, status: 0 };
        requests.push(record);
        let res: Response;
        try {
          res = (await faulted(path)) ?? (await route(req, path));
        } catch (e) {
          res = werkzeugPage(e instanceof HttpPage ? e.status : 500);
        }
        record.status = res.status;
        return res;
      },
    );

  const apiServer = serve("api", async (req, path) => {
    const routes = ["/scb/ping", "/scb/slice", "/scb/event", "/scb/directive"];
    if (!routes.includes(path)) return werkzeugPage(404);
    const method = path === "/scb/ping" || path === "/scb/slice" ? "GET" : "POST";
    if (req.method !== method && !(method === "GET" && req.method === "HEAD")) {
      return werkzeugPage(405);
    }
    if (options.apiKey && req.headers.get("x-neurosync-key") !== options.apiKey) {
      return Response.json({ error: "Unauthorized" }, { status: 401 });
    }
    return (await localApiRoute(req, path, api))!;
  });

  const playerServer = serve("player", async (req, path) => {
    if (path !== "/process_text") return werkzeugPage(404);
    if (req.method !== "POST") return werkzeugPage(405);
    speaking++;
    state.maxConcurrentSpeech = Math.max(state.maxConcurrentSpeech, speaking);
    try {
      return await processText(req, {
        store: player,
        windowOpen: () => windowOpen,
        reply: async (text) => {
          if (options.speechDelayMs) await sleep(options.speechDelayMs, closing.signal);
          return `(reply to) ${text}`;
        },
        onSpoken: (text, context) =>
          spoken.push({ text, ...(context ? { autonomous_context: context } : {}) }),
      });
    } finally {
      speaking--;
    }
  });

  const interval = options.summaryIntervalMs ?? 3_000;
  const summarizer = interval > 0
    ? setInterval(async () => {
      try {
        const entries = await player.entries(50);
        if (entries.length) await player.setSummary(summarize(entries));
      } catch {
        // As the platform's thread: a failed round is skipped.
      }
    }, interval)
    : undefined;

  const read = async (store: EmulatorStore) =>
    (await store.entries()).map((e) => parseStoredEntry(JSON.stringify(e))).filter((e) =>
      e !== undefined
    );
  const url = `http://127.0.0.1:${apiServer.addr.port}`;
  const playerUrl = `http://127.0.0.1:${playerServer.addr.port}`;
  return {
    url,
    playerUrl,
    speechUrl: `${playerUrl}/process_text`,
    spoken,
    requests,
    get maxConcurrentSpeech() {
      return state.maxConcurrentSpeech;
    },
    setWindowOpen: (open) => (windowOpen = open),
    fault: (path, f) => (f ? faults.set(path, { ...f }) : faults.delete(path)),
    log: () => read(api),
    playerLog: () => read(player),
    summary: () => player.summary(),
    setSummary: async (text) => {
      await player.setSummary(text);
      if (!options.redisUrl) await api.setSummary(text);
    },
    modes: () => ({ api: api.mode, player: player.mode }),
    chat: async (text) => {
      const entry = { t: nowSeconds(), type: "event", actor: "user", text, salience: 0.3 };
      await player.append(entry);
      if (!options.redisUrl) await api.append(entry);
    },
    close: async () => {
      if (summarizer !== undefined) clearInterval(summarizer);
      closing.abort();
      await Promise.all([apiServer.finished, playerServer.finished]);
      await Promise.all([api.close(), player.close()]);
    },
    [Symbol.asyncDispose]() {
      return this.close();
    },
  };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => (clearTimeout(timer), resolve()), { once: true });
  });
}
