/**
 * Tracing helpers, the one place that talks to `npm:@opentelemetry/api`. With `OTEL_DENO=true`,
 * Deno's built-in exporter sends the spans (and Deno.serve's and fetch's own) to
 * `OTEL_EXPORTER_OTLP_ENDPOINT`; without it every call here is a cheap no-op. Attribute names
 * follow the OpenTelemetry GenAI semantic conventions (`gen_ai.*`). Prompts and completions are
 * recorded only when the operator opts in (`OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT
 * =true`, the conventions' content-capture switch), and then through redact.ts.
 *
 * @example
 * ```ts
 * import { inSpan } from "../telemetry/tracing.ts";
 * const hits = await inSpan("memory search", { "db.system": "postgresql" }, () => store.search(q));
 * ```
 */
import {
  type Attributes,
  context,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from "@opentelemetry/api";
import { redactText } from "../redact.ts";

export { SpanKind };
export type { Attributes, Span };

const tracer = trace.getTracer("autoliza");
let capture = false;

/** Longest captured content attribute, in characters (prompts can be large). */
export const MAX_CAPTURED_CHARS = 16_000;

/** Switches content capture on or off (the daemon and the REPL call it with the config). */
export function configureTracing(o: { captureContent: boolean }): void {
  capture = o.captureContent;
}

/** Whether prompts, completions and tool arguments may be recorded on spans. */
export function captureContent(): boolean {
  return capture;
}

/** Settings of {@link inSpan}. */
export interface SpanOptions {
  kind?: SpanKind;
  /** Start a new trace (a decision cycle, a task) instead of joining the active one. */
  root?: boolean;
}

/**
 * Runs `fn` inside a span named `name`: the span is active for everything `fn` calls (child
 * spans, log records), ends when `fn` settles, and records an exception as an error status.
 */
export function inSpan<T>(
  name: string,
  attributes: Attributes,
  fn: (span: Span) => T | Promise<T>,
  options: SpanOptions = {},
): Promise<T> {
  const parent = options.root ? trace.deleteSpan(context.active()) : context.active();
  return tracer.startActiveSpan(
    name,
    { kind: options.kind ?? SpanKind.INTERNAL, attributes },
    parent,
    async (span) => {
      try {
        return await fn(span);
      } catch (e) {
        failSpan(span, e);
        throw e;
      } finally {
        span.end();
      }
    },
  );
}

/** Marks `span` failed with the error's message (redacted). */
export function failSpan(span: Span, error: unknown): void {
  const message = redactText(error instanceof Error ? error.message : String(error));
  span.setStatus({ code: SpanStatusCode.ERROR, message });
  span.setAttribute("error.type", error instanceof Error ? error.name : "Error");
}

/** Records `value` as JSON under `key` when content capture is on (redacted, truncated). */
export function captureAttribute(span: Span, key: string, value: unknown): void {
  if (!capture) return;
  const text = redactText(typeof value === "string" ? value : JSON.stringify(value));
  span.setAttribute(
    key,
    text.length > MAX_CAPTURED_CHARS ? text.slice(0, MAX_CAPTURED_CHARS) : text,
  );
}

/** The active span's trace id, or undefined outside a recorded span (for cycle records). */
export function activeTraceId(): string | undefined {
  const ctx = trace.getActiveSpan()?.spanContext();
  return ctx && trace.isSpanContextValid(ctx) && ctx.traceFlags & 1 ? ctx.traceId : undefined;
}

/** What a chat span needs to know of the request (GenAI conventions, "chat" operation). */
export interface ChatSpanRequest {
  system: string;
  model: string;
  serverUrl?: string;
  maxTokens?: number | undefined;
  temperature?: number | undefined;
  messages?: unknown;
}

/** Runs one model call in a `chat {model}` client span with the request's `gen_ai.*` attributes. */
export function inChatSpan<T extends ChatSpanResponse>(
  req: ChatSpanRequest,
  fn: () => Promise<T>,
): Promise<T> {
  const attributes: Attributes = {
    "gen_ai.operation.name": "chat",
    "gen_ai.system": req.system,
    "gen_ai.provider.name": req.system,
    "gen_ai.request.model": req.model,
  };
  if (req.maxTokens !== undefined) attributes["gen_ai.request.max_tokens"] = req.maxTokens;
  if (req.temperature !== undefined) attributes["gen_ai.request.temperature"] = req.temperature;
  if (req.serverUrl) {
    try {
      const u = new URL(req.serverUrl);
      attributes["server.address"] = u.hostname;
      if (u.port) attributes["server.port"] = Number(u.port);
    } catch {
      // not a URL: no server attributes
    }
  }
  return inSpan(`chat ${req.model}`, attributes, async (span) => {
    captureAttribute(span, "gen_ai.input.messages", req.messages);
    const res = await fn();
    span.setAttributes({
      "gen_ai.response.model": res.model,
      "gen_ai.usage.input_tokens": res.usage.promptTokens,
      "gen_ai.usage.output_tokens": res.usage.completionTokens,
      "gen_ai.response.finish_reasons": [res.finishReason],
    });
    captureAttribute(span, "gen_ai.output.messages", res.message);
    return res;
  }, { kind: SpanKind.CLIENT });
}

/** The parts of a chat response a span records. */
export interface ChatSpanResponse {
  model: string;
  finishReason: string;
  usage: { promptTokens: number; completionTokens: number };
  message: unknown;
}

/** Runs one tool call in an `execute_tool {name}` span; records its outcome and duration. */
export function inToolSpan<T extends { ok: boolean; ms: number; error?: { code: string } }>(
  name: string,
  args: unknown,
  fn: () => Promise<T>,
  source?: string,
): Promise<T> {
  const attributes: Attributes = {
    "gen_ai.operation.name": "execute_tool",
    "gen_ai.tool.name": name,
  };
  if (source) attributes["autoliza.tool.source"] = source;
  return inSpan(`execute_tool ${name}`, attributes, async (span) => {
    captureAttribute(span, "gen_ai.tool.call.arguments", args);
    const r = await fn();
    span.setAttributes({
      "autoliza.tool.outcome": r.ok ? "success" : r.error?.code ?? "failed",
      "autoliza.tool.ms": r.ms,
    });
    if (!r.ok) span.setStatus({ code: SpanStatusCode.ERROR, message: r.error?.code ?? "failed" });
    return r;
  });
}

/** Runs an agent turn (a decision cycle, a task, a sub-agent) in an `invoke_agent {name}` span. */
export function inAgentSpan<T>(
  agent: string,
  attributes: Attributes,
  fn: (span: Span) => Promise<T>,
  options: SpanOptions = {},
): Promise<T> {
  return inSpan(
    `invoke_agent ${agent}`,
    {
      "gen_ai.operation.name": "invoke_agent",
      "gen_ai.agent.name": agent,
      ...attributes,
    },
    fn,
    options,
  );
}
