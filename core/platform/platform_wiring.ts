/**
 * Wires the VTuber agent into a running actor system from the configuration: the memory, vtuber
 * and scb actors (each with least privilege), the tool registry and services, the model gateway
 * and the decision loop. Disabled parts say why, once, in the log and in `status()`. Without a
 * model endpoint everything else runs and the loop waits.
 */
import type { ActorSystem } from "../actor_system.ts";
import type { Config } from "../config.ts";
import type { Logger } from "../log.ts";
import { errorInfo } from "../errors.ts";
import { createModelClient, modelEndpoint } from "../model/create_model_client.ts";
import { UsageLedger } from "../model/usage_ledger.ts";
import { openRegistry, type ToolRegistry } from "../tools/registry.ts";
import { toolSemanticOptions } from "../tools/tool_embedder.ts";
import { type Approver, denyAll } from "../tools/call_tool.ts";
import { defaultToolsConfigPath, loadToolsConfig } from "../tools/tools_config.ts";
import { nativeDecide } from "./decide.ts";
import { DecisionLoop } from "./decision_loop.ts";
import { loopToolNames, withWriterParams } from "./loop_tools.ts";
import { loopScope } from "../memory/eliza_ids.ts";
import { Metrics } from "./metrics.ts";
import {
  memoryFromActor,
  type PlatformMemory,
  scbFromActor,
  ServiceSwitch,
  switched,
  vtuberFromActor,
} from "./platform_services.ts";
import { searxngResearch } from "./research.ts";
import type { ScbService } from "./scb_entry.ts";
import { WriteQueue } from "./write_queue.ts";

/** The default SCB base URL: configured only when something says the platform is there. */
const DEFAULT_NEUROSYNC = "http://neurosync:5000";

/** The wired agent. */
export interface Platform {
  metrics: Metrics;
  /** The tool registry and the memory service (the operator console reads them). */
  registry: ToolRegistry;
  memory: PlatformMemory | undefined;
  writes: WriteQueue;
  switches: { vtuber: ServiceSwitch; scb: ServiceSwitch };
  loop: DecisionLoop | undefined;
  /** Why no cycle can run; undefined when the loop runs. */
  waiting(): string | undefined;
  status(): Record<string, unknown>;
  /** Stops the loop (bounded) and flushes pending writes (bounded). */
  stop(graceMs: number): Promise<void>;
}

/** Why the SCB is off, or undefined when it is configured. */
export function scbUnavailable(config: Config): string | undefined {
  if (config.standalone) return "STANDALONE_MODE";
  if (config.scb.useRedis) {
    return config.scb.redisUrl ? undefined : "USE_REDIS_SCB is set but REDIS_URL is not";
  }
  const explicit = config.scb.neurosyncUrl !== DEFAULT_NEUROSYNC || config.vtuber.url;
  return explicit ? undefined : "neither NEUROSYNC_URL, VTUBER_ENDPOINT_URL nor USE_REDIS_SCB set";
}

/** Wires everything; never throws for a part that fails to start (it is reported instead). */
export async function startPlatform(
  config: Config,
  system: ActorSystem,
  log: Logger,
  /** Decides calls of tools that require approval (the console's queue); default: deny. */
  approver: Approver = denyAll,
): Promise<Platform> {
  const metrics = new Metrics();
  const writes = new WriteQueue({ log, onError: () => metrics.error("write") });
  const problems: Record<string, string> = {};
  const vtuberSwitch = new ServiceSwitch(
    "vtuber",
    config.standalone
      ? "STANDALONE_MODE"
      : config.vtuber.url
      ? undefined
      : "VTUBER_ENDPOINT_URL not set",
  );
  const scbSwitch = new ServiceSwitch("scb", scbUnavailable(config));
  if (vtuberSwitch.unavailable) log.info("vtuber_disabled", { reason: vtuberSwitch.unavailable });
  if (scbSwitch.unavailable) log.info("scb_disabled", { reason: scbSwitch.unavailable });

  const spawn = async (kind: string, cfg: unknown, timeoutMs: number) => {
    try {
      await system.spawn(kind, { config: cfg, readyTimeoutMs: 120_000 });
      return (msg: unknown) => system.ask(kind, msg, { timeoutMs });
    } catch (e) {
      problems[kind] = errorInfo(e).message;
      log.error("actor_start_failed", { actor: kind, error: problems[kind] });
      metrics.error("startup");
      return undefined;
    }
  };
  const agentId = config.agent.id;
  const memoryAsk = await spawn("memory", {
    database: config.database,
    embedding: config.embedding,
    agent: config.agent,
  }, 30_000);
  const memory: PlatformMemory | undefined = memoryAsk
    ? memoryFromActor(memoryAsk, agentId)
    : undefined;
  const services: Record<string, unknown> = {};
  if (memory) services.memory = memory;
  if (!vtuberSwitch.unavailable) {
    const ask = await spawn("vtuber", {
      url: config.vtuber.url,
      agentName: config.agent.name,
      loopIntervalMs: config.loop.intervalMs,
      timeoutMs: config.vtuber.timeoutMs,
    }, config.vtuber.timeoutMs + 30_000);
    if (ask) services.vtuber = switched(vtuberFromActor(ask), vtuberSwitch);
  }
  if (!scbSwitch.unavailable) {
    const redis = config.scb.useRedis;
    const ask = await spawn("scb", {
      mode: redis ? "redis" : "rest",
      neurosyncUrl: config.scb.neurosyncUrl,
      ...(config.scb.apiKey ? { apiKey: config.scb.apiKey } : {}),
      ...(config.scb.redisUrl ? { redisUrl: config.scb.redisUrl } : {}),
      logKey: config.scb.logKey,
      summaryKey: config.scb.summaryKey,
      maxLines: config.scb.maxLines,
    }, 30_000);
    if (ask) services.scb = switched(scbFromActor(ask), scbSwitch);
  }
  const research = config.integrations.researchUrl;
  if (research) services.research = searxngResearch(research);
  const hosts = config.integrations.apiPostAllowedHosts.split(",").map((h) => h.trim())
    .filter(Boolean);
  if (hosts.length) services.apiPostHosts = hosts;
  // make_api_post never posts to the daemon itself.
  services.selfAddress = { hostname: config.http.hostname, port: config.http.port };

  const toolsFile = config.paths.toolsConfig ?? defaultToolsConfigPath();
  const toolsConfig = toolsFile ? await loadToolsConfig(toolsFile, true) : { tools: {} };
  // The tools that write memories learn whose they are (agentId), who wrote them (speaker) and
  // where (the loop's room, world and entity, as the old agent wrote them).
  toolsConfig.tools = withWriterParams(toolsConfig.tools, agentId, config.agent.name);
  const registry = await openRegistry({
    dir: config.paths.tools,
    config: toolsConfig,
    ...(toolsFile ? { configPath: toolsFile } : {}),
    log: log.child("tools"),
    approver,
    semantic: toolSemanticOptions(config),
  });

  const endpoint = modelEndpoint(config);
  let loop: DecisionLoop | undefined;
  const toolNames = loopToolNames({
    vtuber: Boolean(services.vtuber),
    scb: Boolean(services.scb),
    research: Boolean(research),
    apiPost: hosts.length > 0,
  });
  if (endpoint.configured) {
    const ledger = new UsageLedger(config.model);
    const model = createModelClient(config, { ledger, log, toolMode: config.model.toolCalls });
    loop = new DecisionLoop({
      agentId,
      agentName: config.agent.name,
      scope: loopScope(agentId),
      intervalMs: config.loop.intervalMs,
      maxSteps: config.loop.maxSteps,
      maxTokens: config.loop.maxTokens,
      cycleTimeoutMs: config.loop.cycleTimeoutMs,
      decide: nativeDecide(model),
      registry,
      toolNames,
      services,
      scb: services.scb as ScbService | undefined,
      memory,
      log: log.child("loop"),
      metrics,
      writes,
      managerDirectives: config.vtuber.managerDirectives,
    });
    loop.start();
    log.info("loop_started", { intervalMs: config.loop.intervalMs, tools: toolNames });
  }
  const waiting = () =>
    loop ? undefined : endpoint.configured ? "the loop is not running" : endpoint.reason;
  return {
    metrics,
    registry,
    memory,
    writes,
    switches: { vtuber: vtuberSwitch, scb: scbSwitch },
    loop,
    waiting,
    status: () => ({
      loop: loop
        ? {
          state: loop.busy ? "cycling" : "idle",
          intervalMs: config.loop.intervalMs,
          tools: toolNames,
        }
        : { state: "waiting", reason: waiting() },
      vtuber: vtuberSwitch.status(),
      scb: scbSwitch.status(),
      memory: memory ? { state: "ok", engine: config.database.url ? "postgres" : "pglite" } : {
        state: "failed",
        reason: problems.memory,
      },
      pendingWrites: writes.pending,
      ...(Object.keys(problems).length ? { problems } : {}),
    }),
    async stop(graceMs) {
      await loop?.stop(graceMs);
      const left = await writes.flush(graceMs);
      if (left) log.error("writes_not_flushed", { pending: left });
      writes.stop();
      registry.close();
    },
  };
}
