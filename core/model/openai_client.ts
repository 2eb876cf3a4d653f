/**
 * The real gateway: npm:openai against any OpenAI-compatible endpoint (OpenAI, Ollama, vLLM,
 * LM Studio, llama.cpp). Streams when the caller wants deltas, retries by our policy (the
 * library's own retries are off), times out each attempt, counts tokens when the API does
 * not, and falls back to fenced-code replies when the endpoint rejects tools.
 */
import OpenAI from "openai";
import type { Logger } from "../log.ts";
import { redactUrl } from "../redact.ts";
import { inChatSpan } from "../telemetry/tracing.ts";
import { ModelAbortedError, ModelRequestError, ModelTimeoutError } from "./errors.ts";
import {
  fromWireCompletion,
  toWireMessages,
  toWireToolChoice,
  toWireTools,
} from "./openai_wire.ts";
import { isToolsUnsupported, toPlainRequest } from "./plain_mode.ts";
import {
  type FailureClass,
  isRetryableStatus,
  parseRetryAfter,
  type RetryPolicy,
  withRetry,
} from "./retry.ts";
import { StreamAssembler } from "./stream_assembler.ts";
import { countCompletionTokens, countTokens } from "./tokens.ts";
import type { ChatOptions, ChatRequest, ChatResponse, ModelClient, ToolMode } from "./types.ts";

/** Settings of {@link OpenAIModelClient}. */
export interface OpenAIModelClientOptions {
  /** e.g. `https://api.openai.com/v1` or `http://localhost:11434/v1`. */
  baseUrl: string;
  /** The provider named on `chat` spans (`gen_ai.system`); default `openai`. */
  system?: string;
  apiKey: string;
  /** Default model name. */
  model: string;
  /** Per attempt, including the whole stream. Default 120 000. */
  timeoutMs?: number;
  /** Retries after the first attempt. Default 3. */
  maxRetries?: number;
  /** `auto`: native tools, falling back to plain on a 400 about tools. Default `auto`. */
  toolMode?: "auto" | "native" | "plain";
  /** Backoff settings; tests inject `sleep` and `random`. */
  retry?: Omit<RetryPolicy, "maxRetries">;
  log?: Logger;
  /** The HTTP client npm:openai uses (a provider whose wire differs adapts it, see livepeer.ts). */
  fetch?: typeof fetch;
  /**
   * False for endpoints that cannot stream: a caller's `onDelta` then gets the whole reply at
   * once. Default true.
   */
  streaming?: boolean;
  /** Sent when the request names none (the provider's configured temperature and length). */
  defaults?: { temperature?: number; maxTokens?: number };
}

/** A {@link ModelClient} over npm:openai. */
export class OpenAIModelClient implements ModelClient {
  readonly model: string;
  readonly #openai: OpenAI;
  readonly #options: OpenAIModelClientOptions;
  #tools: boolean | undefined;

  constructor(options: OpenAIModelClientOptions) {
    this.model = options.model;
    this.#options = options;
    const timeout = options.timeoutMs ?? 120_000;
    this.#tools = options.toolMode === "plain" ? false : undefined;
    // maxRetries 0: the retry policy is ours (retry.ts), so it is the one tests exercise.
    this.#openai = new OpenAI({
      baseURL: options.baseUrl,
      apiKey: options.apiKey,
      maxRetries: 0,
      timeout,
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
  }

  supportsTools(): boolean | undefined {
    return this.#tools;
  }

  /** The model names the endpoint serves (`GET /models`): a cheap connectivity check. */
  async listModels(signal?: AbortSignal): Promise<string[]> {
    try {
      const page = await this.#openai.models.list(signal ? { signal } : undefined);
      return page.data.map((m) => m.id);
    } catch (e) {
      throw this.#translate(
        e,
        signal,
        new AbortController().signal,
        this.#options.timeoutMs ?? 120_000,
      );
    }
  }

  /** One chat request (retries and the plain-mode fallback included) in one `chat` span. */
  chat(request: ChatRequest, options: ChatOptions = {}): Promise<ChatResponse> {
    return inChatSpan({
      system: this.#options.system ?? "openai",
      model: request.model ?? this.model,
      serverUrl: this.#options.baseUrl,
      maxTokens: request.maxTokens,
      temperature: request.temperature,
      messages: request.messages,
    }, () => this.#chat(request, options));
  }

  async #chat(request: ChatRequest, options: ChatOptions): Promise<ChatResponse> {
    if (options.signal?.aborted) throw new ModelAbortedError();
    const wantsTools = !!request.tools?.length;
    const run = (mode: ToolMode) =>
      withRetry(
        () => this.#attempt(mode === "plain" ? toPlainRequest(request) : request, options, mode),
        classify,
        {
          maxRetries: this.#options.maxRetries ?? 3,
          ...this.#options.retry,
          signal: options.signal,
          onRetry: (info) => {
            this.#options.log?.warn("model_retry", { ...info, error: info.error.message });
            options.onRetry?.(info);
          },
        },
      );
    if (!wantsTools || this.#tools === false) return await run(wantsTools ? "plain" : "native");
    try {
      const response = await run("native");
      this.#tools = true;
      return response;
    } catch (e) {
      const auto = (this.#options.toolMode ?? "auto") === "auto";
      if (!(e instanceof ModelRequestError) || !auto || !isToolsUnsupported(e.status, e.message)) {
        throw e;
      }
      this.#tools = false;
      this.#options.log?.warn("model_tools_unsupported", { model: this.model, error: e.message });
      return await run("plain");
    }
  }

  async #attempt(
    request: ChatRequest,
    options: ChatOptions,
    mode: ToolMode,
  ): Promise<ChatResponse> {
    const timeoutMs = this.#options.timeoutMs ?? 120_000;
    const timer = new AbortController();
    const timeout = setTimeout(() => timer.abort(), timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, timer.signal]) : timer.signal;
    const model = request.model ?? this.model;
    const temperature = request.temperature ?? this.#options.defaults?.temperature;
    const maxTokens = request.maxTokens ?? this.#options.defaults?.maxTokens;
    const body = {
      model,
      messages: toWireMessages(request.messages),
      ...(request.tools?.length ? { tools: toWireTools(request.tools) } : {}),
      ...(request.toolChoice ? { tool_choice: toWireToolChoice(request.toolChoice) } : {}),
      ...(temperature === undefined ? {} : { temperature }),
      ...(maxTokens === undefined ? {} : { max_tokens: maxTokens }),
    };
    const start = performance.now();
    let parts: ReturnType<typeof fromWireCompletion>;
    try {
      if (options.onDelta && this.#options.streaming !== false) {
        const stream = await this.#openai.chat.completions.create(
          { ...body, stream: true, stream_options: { include_usage: true } },
          { signal },
        );
        const assembler = new StreamAssembler();
        for await (const chunk of stream) {
          const text = assembler.push(chunk);
          if (text) options.onDelta(text);
        }
        // npm:openai ends the loop silently when the signal aborts mid-stream.
        if (signal.aborted) throw signal.reason;
        if (!assembler.finished) {
          throw new ModelRequestError(
            `Model stream from ${
              redactUrl(this.#options.baseUrl)
            } ended before the reply was complete`,
            { retryable: true },
          );
        }
        parts = assembler.result();
      } else {
        parts = fromWireCompletion(await this.#openai.chat.completions.create(body, { signal }));
        if (options.onDelta && parts.content) options.onDelta(parts.content);
      }
    } catch (e) {
      throw this.#translate(e, options.signal, timer.signal, timeoutMs);
    } finally {
      clearTimeout(timeout);
    }
    const ms = Math.round(performance.now() - start);
    const toolCalls = parts.toolCalls.map((c, i) => ({ ...c, id: c.id || `call_${i}` }));
    const usage = parts.usage ? { ...parts.usage, source: "api" as const } : {
      promptTokens: await countTokens(request.messages, request.tools),
      completionTokens: await countCompletionTokens(parts.content, toolCalls),
      source: "tokenizer" as const,
    };
    this.#options.log?.debug("model_reply", { model, ms, finish: parts.finishReason, ...usage });
    return {
      message: { content: parts.content, toolCalls },
      usage,
      finishReason: parts.finishReason,
      model: parts.model || model,
      ms,
      toolMode: mode,
    };
  }

  #translate(e: unknown, caller: AbortSignal | undefined, timer: AbortSignal, ms: number): Error {
    if (caller?.aborted) return new ModelAbortedError();
    if (timer.aborted || e instanceof OpenAI.APIConnectionTimeoutError) {
      return new ModelTimeoutError(ms);
    }
    if (e instanceof ModelRequestError) return e;
    const where = redactUrl(this.#options.baseUrl);
    if (e instanceof OpenAI.APIError && typeof e.status === "number") {
      return new ModelRequestError(`Model endpoint ${where} answered ${e.status}: ${e.message}`, {
        status: e.status,
        retryable: isRetryableStatus(e.status),
        retryAfterMs: parseRetryAfter(e.headers),
      }, { cause: e });
    }
    const message = e instanceof Error ? e.message : String(e);
    return new ModelRequestError(`Cannot reach model endpoint ${where}: ${message}`, {
      retryable: true,
    }, { cause: e });
  }
}

/** Retry classification: timeouts and retryable request errors; nothing else. */
function classify(error: unknown): FailureClass {
  if (error instanceof ModelTimeoutError) return { retryable: true };
  if (error instanceof ModelRequestError) {
    return { retryable: error.retryable, retryAfterMs: error.retryAfterMs };
  }
  return { retryable: false };
}
