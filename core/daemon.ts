/**
 * The daemon (`deno task start`): starts the actor system and the HTTP API at once, then wires
 * the VTuber agent in the background (memory, vtuber and scb actors, tools, model, decision
 * loop; see platform/platform_wiring.ts). The API is served through http/guarded_server.ts
 * (connection cap, timeouts) and http/api_guard.ts (token, Host and Origin checks). On SIGINT/SIGTERM it stops the loop (the cycle in
 * flight gets a bounded grace period, then is aborted), flushes pending memory writes, closes
 * the server and the actors.
 */
import { ActorSystem } from "./actor_system.ts";
import type { Config } from "./config.ts";
import type { Logger } from "./log.ts";
import { errorInfo } from "./errors.ts";
import { modelEndpoint } from "./model/create_model_client.ts";
import { apiHandler } from "./platform/http_api.ts";
import { type GuardPolicy, guardRequest } from "./http/api_guard.ts";
import { resolveApiToken } from "./http/api_token.ts";
import { serveGuarded } from "./http/guarded_server.ts";
import { apiSocketPath } from "./http/api_socket.ts";
import { savedSessionSuggestionsHandler } from "./evolution/evolution_api.ts";
import { type Platform, startPlatform } from "./platform/platform_wiring.ts";
import { ServiceSwitch } from "./platform/platform_services.ts";
import { Metrics } from "./platform/metrics.ts";
import { ManualCycle } from "./platform/manual_cycle.ts";
import { ToolApprovals } from "./console/tool_approvals.ts";
import { daemonConsole } from "./console/daemon_console.ts";

/** A running daemon. */
export interface Daemon {
  /** The port the HTTP API listens on (useful with PORT=0). */
  port: number;
  system: ActorSystem;
  /** Resolves once the agent is wired (or failed to wire; see the log and /api/status). */
  ready: Promise<Platform | undefined>;
  /** Stops the loop, flushes writes, stops the HTTP server and every actor. */
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
  const endpoint = modelEndpoint(config);
  if (!endpoint.configured) {
    log.warn("model_not_configured", {
      reason: endpoint.reason,
      hint: "set OPENAI_BASE_URL and OPENAI_API_KEY (or OLLAMA_HOST, or MODEL_PROVIDER=livepeer " +
        "with LIVEPEER_GATEWAY_URL); waiting for a model endpoint",
    });
  }
  let platform: Platform | undefined;
  let setupError: string | undefined;
  const approvals = new ToolApprovals({ timeoutMs: config.loop.approvalTimeoutMs, log });
  const ready = startPlatform(config, system, log, approvals.approver).then(
    (p) => (platform = p),
    (e) => {
      setupError = errorInfo(e).message;
      log.error("platform_start_failed", { error: setupError });
      return undefined;
    },
  );
  const pendingSwitches = {
    vtuber: new ServiceSwitch("vtuber", "starting"),
    scb: new ServiceSwitch("scb", "starting"),
  };

  const status = () => ({
    status: "ok",
    agent: config.agent.name,
    startedAt: startedAt.toISOString(),
    uptimeSeconds: Math.round((Date.now() - startedAt.getTime()) / 1000),
    model: endpoint.configured
      ? { state: "configured", provider: endpoint.provider, name: endpoint.model }
      : { state: "waiting", reason: endpoint.reason },
    ...(platform?.status() ?? { loop: { state: setupError ? "failed" : "starting" } }),
    ...(setupError ? { error: setupError } : {}),
    actors: system.list(),
  });

  const idleMetrics = new Metrics();
  const manual = new ManualCycle();
  const handler = apiHandler({
    status,
    // Until the agent is wired, an empty Metrics renders every family (HELP, TYPE, no samples).
    metrics: () =>
      (platform?.metrics ?? idleMetrics).render({
        autoliza_up: 1,
        autoliza_write_queue_pending: platform?.writes.pending ?? 0,
      }),
    cycles: (limit) => (platform?.loop?.cycles(limit) ?? []).map((r) => operator.withApprovals(r)),
    runCycle: () => manual.start(() => platform?.loop?.runOnce()),
    waiting: () => platform ? platform.waiting() : setupError ?? "the agent is still starting",
    get switches() {
      return platform?.switches ?? pendingSwitches;
    },
    onControl: (service, action) => log.info("service_control", { service, action }),
  });

  const suggestions = savedSessionSuggestionsHandler(config.paths.sessions);
  const auth = resolveApiToken({
    configured: config.http.token,
    hostname: config.http.hostname,
    dataDir: config.database.dataDir,
    log,
  });
  const policy: GuardPolicy = {
    token: auth.token,
    bindHostname: config.http.hostname,
    allowedHosts: config.http.allowedHosts.split(",").map((h) => h.trim().toLowerCase())
      .filter(Boolean),
  };
  const operator = daemonConsole({
    config,
    platform: () => platform,
    ready,
    status,
    runCycle: () => manual.start(() => platform?.loop?.runOnce()),
    approvals,
    token: auth.token,
  });
  const server = serveGuarded(
    {
      hostname: config.http.hostname,
      port: config.http.port,
      socketPath: apiSocketPath(config.database.dataDir, config.http.port),
      maxConnections: config.http.maxConnections,
      headerTimeoutMs: config.http.headerTimeoutMs,
      idleTimeoutMs: config.http.idleTimeoutMs,
      log,
      onListen: ({ hostname, port }) =>
        log.info("http_listening", { hostname, port, token: auth.source }),
    },
    (req) => guardRequest(req, policy) ?? operator.handler(req) ?? suggestions(req) ?? handler(req),
  );

  let finishedResolve!: () => void;
  const finished = new Promise<void>((r) => (finishedResolve = r));
  let stopping: Promise<void> | undefined;
  const shutdown = (reason: string) =>
    stopping ??= (async () => {
      log.info("shutdown_started", { reason });
      // A cycle may take as long as its budget; bound the wait so SIGTERM is never ignored.
      const graceMs = Math.min(config.loop.cycleTimeoutMs, 10_000);
      const p = await Promise.race([ready, sleep(graceMs).then(() => undefined)]);
      approvals.close();
      await p?.stop(graceMs);
      await server.shutdown(2_000);
      await system.shutdown();
      log.info("shutdown_finished", { reason });
      finishedResolve();
    })();
  return { port: server.addr.port, system, ready, shutdown, finished };
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
