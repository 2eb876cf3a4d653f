/**
 * Builds the ModelClient the runtime uses from the configuration and the `--record` /
 * `--replay` flags: the real endpoint, a replayed cassette, either one recorded, and usage
 * metering around it all. Only the supervisor calls this; API keys never leave it.
 */
import type { Config } from "../config.ts";
import type { Logger } from "../log.ts";
import { ModelNotConfiguredError } from "./errors.ts";
import { livepeerEndpoint, livepeerFetch } from "./livepeer.ts";
import { OpenAIModelClient, type OpenAIModelClientOptions } from "./openai_client.ts";
import { RecordingModelClient } from "./recording_client.ts";
import { ReplayModelClient } from "./replay_client.ts";
import type { ModelClient } from "./types.ts";
import { meteredClient, type UsageLedger } from "./usage_ledger.ts";

/** The endpoint used when only an API key is configured. */
export const OPENAI_BASE_URL = "https://api.openai.com/v1";

/** Where model requests go, or why there is nowhere to send them. */
export type ModelEndpoint =
  | {
    configured: true;
    provider: "openai" | "livepeer";
    baseUrl: string;
    apiKey: string;
    model: string;
  }
  | { configured: false; reason: string };

/**
 * Resolves the endpoint: `livepeer.*` for MODEL_PROVIDER=livepeer, else `config.model` (local
 * servers get a placeholder key).
 */
export function modelEndpoint(config: Config): ModelEndpoint {
  if (config.model.provider === "livepeer") {
    const l = livepeerEndpoint(config);
    return "reason" in l
      ? { configured: false, reason: l.reason }
      : { configured: true, provider: "livepeer", ...l };
  }
  const { baseUrl, apiKey, name } = config.model;
  if (!baseUrl && !apiKey) {
    return { configured: false, reason: new ModelNotConfiguredError().message };
  }
  // Ollama, vLLM, LM Studio and llama.cpp ignore the key, but npm:openai insists on one.
  return {
    configured: true,
    provider: "openai",
    baseUrl: baseUrl ?? OPENAI_BASE_URL,
    apiKey: apiKey || "not-needed",
    model: name,
  };
}

/** The model for sub-agents (reviews, summaries): `model.subagentName`, else `model.name`. */
export function subagentModel(config: Config): string {
  return config.model.subagentName ?? config.model.name;
}

/** Extra wiring for {@link createModelClient}. */
export interface CreateModelClientOptions {
  /** Record every exchange to this cassette file (JSONL), replacing it. */
  record?: string | undefined;
  /** Serve every request from this cassette file; no endpoint is needed. */
  replay?: string | undefined;
  /** Meter every reply into this ledger (billed to `ChatOptions.task`). */
  ledger?: UsageLedger | undefined;
  log?: Logger | undefined;
  /** Tool calling: `auto` (default) detects endpoints that reject tools. */
  toolMode?: OpenAIModelClientOptions["toolMode"];
  /** Backoff settings (tests inject sleep and random). */
  retry?: OpenAIModelClientOptions["retry"];
}

/**
 * The gateway for the runtime. Throws {@link ModelNotConfiguredError} when there is neither an
 * endpoint nor a cassette to replay; the daemon reports that as "waiting for a model endpoint".
 *
 * @example
 * ```ts
 * const ledger = new UsageLedger(config.model);
 * const model = createModelClient(config, { record: "run.jsonl", ledger });
 * const reply = await model.chat({ messages: [{ role: "user", content: "Hi" }] }, { task: "t1" });
 * ```
 */
export function createModelClient(
  config: Config,
  options: CreateModelClientOptions = {},
): ModelClient {
  let client: ModelClient;
  if (options.replay) {
    client = new ReplayModelClient(options.replay);
  } else {
    const endpoint = modelEndpoint(config);
    if (!endpoint.configured) throw new ModelNotConfiguredError();
    const livepeer = endpoint.provider === "livepeer";
    client = new OpenAIModelClient({
      baseUrl: endpoint.baseUrl,
      apiKey: endpoint.apiKey,
      model: endpoint.model,
      timeoutMs: config.model.timeoutMs,
      maxRetries: config.model.maxRetries,
      system: endpoint.provider,
      // Livepeer has no tool calling and no stream the client could read: plain mode, one reply.
      ...(livepeer
        ? {
          toolMode: "plain" as const,
          fetch: livepeerFetch(),
          streaming: false,
          defaults: {
            temperature: config.livepeer.temperature,
            maxTokens: config.livepeer.maxTokens,
          },
        }
        : options.toolMode
        ? { toolMode: options.toolMode }
        : {}),
      ...(options.retry ? { retry: options.retry } : {}),
      ...(options.log ? { log: options.log.child("model") } : {}),
    });
  }
  if (options.record) client = new RecordingModelClient(client, options.record);
  if (options.ledger) client = meteredClient(client, options.ledger);
  return client;
}
