/**
 * The daemon: loads the config, starts the actor system and the HTTP API, and shuts down
 * gracefully on SIGINT/SIGTERM. The decision loop and the platform clients plug in here
 * (issue 6); until then it serves health and status and says what it is waiting for.
 */
import { ActorSystem } from "./actor_system.ts";
import type { Config } from "./config.ts";
import type { Logger } from "./log.ts";

/** A running daemon. */
export interface Daemon {
  /** The port the HTTP API listens on (useful with PORT=0). */
  port: number;
  system: ActorSystem;
  /** Stops the HTTP server and every actor; resolves when everything is closed. */
  shutdown(reason: string): Promise<void>;
  /** Resolves once shutdown has finished. */
  finished: Promise<void>;
}

/** Starts the daemon with `config`. */
export function startDaemon(config: Config, log: Logger): Daemon {
  const startedAt = new Date();
  const system = new ActorSystem({
    log,
    actorsDir: config.paths.actors,
    onEscalate: (e) => log.error("actor_failed_permanently", { ...e }),
  });
  const modelConfigured = Boolean(config.model.baseUrl || config.model.apiKey);
  if (!modelConfigured) {
    log.warn("model_not_configured", {
      hint: "set OPENAI_BASE_URL and OPENAI_API_KEY (or OLLAMA_HOST); waiting for a model endpoint",
    });
  }
  if (config.standalone || !config.vtuber.url) {
    log.info("vtuber_disabled", {
      reason: config.standalone ? "STANDALONE_MODE" : "VTUBER_ENDPOINT_URL not set",
    });
  }
  if (config.standalone) log.info("scb_disabled", { reason: "STANDALONE_MODE" });

  const status = () => ({
    status: "ok",
    agent: config.agent.name,
    startedAt: startedAt.toISOString(),
    uptimeSeconds: Math.round((Date.now() - startedAt.getTime()) / 1000),
    model: modelConfigured
      ? { state: "configured", name: config.model.name }
      : { state: "waiting", reason: "no model endpoint configured" },
    actors: system.list(),
  });

  const server = Deno.serve({
    port: config.http.port,
    hostname: config.http.hostname,
    onListen: ({ hostname, port }) => log.info("http_listening", { hostname, port }),
  }, (req) => {
    const url = new URL(req.url);
    if (req.method !== "GET") return json({ error: `method ${req.method} not allowed` }, 405);
    switch (url.pathname) {
      case "/health":
      case "/api/health":
        return json({ status: "ok" });
      case "/api/status":
        return json(status());
      default:
        return json({ error: `no route for ${url.pathname}` }, 404);
    }
  });

  let finishedResolve!: () => void;
  const finished = new Promise<void>((r) => (finishedResolve = r));
  let stopping: Promise<void> | undefined;
  const shutdown = (reason: string) =>
    stopping ??= (async () => {
      log.info("shutdown_started", { reason });
      await server.shutdown();
      await system.shutdown();
      log.info("shutdown_finished", { reason });
      finishedResolve();
    })();
  return { port: server.addr.port, system, shutdown, finished };
}

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json" },
  });
}
