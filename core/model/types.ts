/**
 * The model gateway's vocabulary: chat messages, requests, responses and the `ModelClient`
 * interface that the orchestrator, the REPL and the VTuber loop depend on. Provider-neutral
 * shapes (camelCase); `openai_wire.ts` converts them to and from the OpenAI wire format.
 */

/** A tool call the model asked for; `arguments` is the raw JSON text the model produced. */
export interface ToolCall {
  id: string;
  name: string;
  arguments: string;
}

/** One message of a conversation. */
export type ChatMessage =
  | { role: "system"; content: string }
  | { role: "user"; content: string }
  | { role: "assistant"; content: string; toolCalls?: ToolCall[] }
  | { role: "tool"; toolCallId: string; content: string };

/** A function the model may call: OpenAI's function definition (JSON Schema parameters). */
export interface ToolSchema {
  name: string;
  description?: string;
  parameters?: Record<string, unknown>;
}

/** How the model may use the tools. */
export type ToolChoice = "auto" | "none" | "required" | { name: string };

/** One chat completion request. */
export interface ChatRequest {
  messages: ChatMessage[];
  tools?: ToolSchema[];
  toolChoice?: ToolChoice;
  /** Overrides the client's default model (e.g. the sub-agent model). */
  model?: string;
  temperature?: number;
  maxTokens?: number;
}

/** Token counts of one request; `source` says whether the API reported them. */
export interface Usage {
  promptTokens: number;
  completionTokens: number;
  source: "api" | "tokenizer";
}

/** Why the model stopped. */
export type FinishReason = "stop" | "length" | "tool_calls" | "content_filter" | "other";

/**
 * How tools were offered: `native` = sent as API tools; `plain` = the endpoint cannot call
 * tools, so they were described in a system note and the reply must go through `extractAction`.
 */
export type ToolMode = "native" | "plain";

/** The assistant's reply to one request. */
export interface ChatResponse {
  message: { content: string; toolCalls: ToolCall[] };
  usage: Usage;
  finishReason: FinishReason;
  model: string;
  /** Wall time of the successful attempt, in ms. */
  ms: number;
  toolMode: ToolMode;
}

/** Per-call options; routing data beside the request, not inside it. */
export interface ChatOptions {
  signal?: AbortSignal;
  /** Streams the reply: called with each piece of text as it arrives. */
  onDelta?: (text: string) => void;
  /**
   * Called before a retry. Text already passed to `onDelta` by the failed attempt is void:
   * a streaming UI should discard it.
   */
  onRetry?: (info: { attempt: number; delayMs: number; error: Error }) => void;
  /** The task or session this call is billed to in the usage ledger. */
  task?: string;
}

/** Anything that answers chat requests: the real endpoint, a recorder, a replayer. */
export interface ModelClient {
  /** The default model name used when a request names none. */
  readonly model: string;
  /** Sends one request and resolves with the complete reply. */
  chat(request: ChatRequest, options?: ChatOptions): Promise<ChatResponse>;
  /** Whether the endpoint calls tools natively; undefined until known. */
  supportsTools(): boolean | undefined;
}
