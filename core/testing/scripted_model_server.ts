/**
 * A scripted OpenAI-compatible HTTP server for tests and demos: real sockets on 127.0.0.1, so
 * tests exercise the real npm:openai client. Serves chat completions (JSON or SSE with tool-call
 * deltas and a usage chunk), embeddings (base64 float32 or float) and the model list; records
 * every request; injects faults (status codes, retry-after, delays, dropped connections).
 */
import { scriptedEmbedding, sseEvents, wireCompletion } from "./scripted_model_server_wire.ts";

/** One scripted answer to a chat request. */
export interface ScriptedReply {
  content?: string;
  toolCalls?: { id?: string; name: string; arguments: string | Record<string, unknown> }[];
  /** Default: `tool_calls` when there are tool calls, else `stop`. */
  finishReason?: string;
  /** Exact usage to report; `false` reports none. Default: a chars/4 estimate. */
  usage?: { promptTokens: number; completionTokens: number } | false;
  /** An HTTP error status to answer with instead (429, 500, 400, ...). */
  status?: number;
  /** The error message sent with `status`. */
  error?: string;
  /** Extra response headers, e.g. `{ "retry-after": "1" }`. */
  headers?: Record<string, string>;
  /** Wait this long before answering (the client's timeout can fire). */
  delayMs?: number;
  /** Break the connection after this many SSE events (0 = before any body byte). */
  dropAfterChunks?: number;
  /** Pause before each SSE event after the first, in ms (a slow model). */
  chunkDelayMs?: number;
  /** Send this many SSE events, then nothing until the client gives up (a stalled stream). */
  stallAfterChunks?: number;
  /** Characters per streamed content or argument delta. Default 8. */
  chunkSize?: number;
}

/** A request as the server received it. */
export interface ReceivedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  /** Parsed JSON body, or undefined for GET. */
  body: Record<string, unknown> | undefined;
}

/** The list of replies, or a function choosing one per chat request (`index` counts from 0). */
export type Script =
  | ScriptedReply[]
  | ((request: ReceivedRequest, index: number) => ScriptedReply | Promise<ScriptedReply>);

/** Settings of {@link startScriptedModelServer}. */
export interface ScriptedServerOptions {
  script: Script;
  /** Model name reported in replies and /v1/models. Default `scripted-model`. */
  model?: string;
  /** When set, requests without `Authorization: Bearer <apiKey>` get 401. */
  apiKey?: string;
  /** Embedding size when the request names no `dimensions`. Default 384. */
  embeddingDim?: number;
  /** Where to listen; default 127.0.0.1 on a free port. */
  hostname?: string;
  port?: number;
}

/** A running server. `url` is the base URL for the client, ending in `/v1`. */
export interface ScriptedModelServer extends AsyncDisposable {
  url: string;
  port: number;
  /** Every request received, in order of arrival. */
  requests: ReceivedRequest[];
  /** Only the chat completion requests (one per scripted step consumed). */
  chatRequests(): ReceivedRequest[];
  close(): Promise<void>;
}

/** Starts a server (default 127.0.0.1, a free port). Close it (or `await using`) when done. */
export function startScriptedModelServer(options: ScriptedServerOptions): ScriptedModelServer {
  const model = options.model ?? "scripted-model";
  const requests: ReceivedRequest[] = [];
  const closing = new AbortController();
  let step = 0;

  const answer = async (req: Request, received: ReceivedRequest): Promise<Response> => {
    if (options.apiKey && received.headers["authorization"] !== `Bearer ${options.apiKey}`) {
      return apiError(401, "Incorrect API key provided", "invalid_api_key");
    }
    if (req.method === "GET" && received.path === "/v1/models") {
      return Response.json({
        object: "list",
        data: [{ id: model, object: "model", created: 0, owned_by: "scripted" }],
      });
    }
    if (req.method !== "POST") return apiError(404, `No route for ${req.method} ${received.path}`);
    const body = received.body;
    if (!body) return apiError(400, "Request body must be a JSON object");
    if (received.path === "/v1/embeddings") {
      return embeddings(body, options.embeddingDim ?? 384, model);
    }
    if (received.path !== "/v1/chat/completions") {
      return apiError(404, `No route for POST ${received.path}`);
    }
    if (!Array.isArray(body.messages)) return apiError(400, "messages: expected an array");
    const index = step++;
    const script = options.script;
    let reply: ScriptedReply | undefined;
    if (typeof script === "function") reply = await script(received, index);
    else reply = script[index];
    if (!reply) {
      return apiError(400, `Scripted model server: script exhausted after ${script.length} steps`);
    }
    // Not req.signal: Deno aborts it on successful responses too (legacy behaviour) and warns.
    if (reply.delayMs) await delay(reply.delayMs, closing.signal);
    if (reply.status && reply.status >= 400) {
      return apiError(
        reply.status,
        reply.error ?? `Scripted error ${reply.status}`,
        undefined,
        reply.headers,
      );
    }
    const headers = new Headers(reply.headers);
    const streamRequested = body.stream === true;
    const includeUsage =
      (body.stream_options as { include_usage?: boolean } | undefined)?.include_usage === true;
    const completion = wireCompletion(reply, body, model);
    if (!streamRequested) {
      if (reply.dropAfterChunks !== undefined) return droppedBody(headers);
      headers.set("content-type", "application/json");
      return new Response(JSON.stringify(completion), { headers });
    }
    const events = sseEvents(completion, reply.chunkSize ?? 8, includeUsage);
    headers.set("content-type", "text/event-stream");
    headers.set("cache-control", "no-cache");
    return new Response(sseBody(events, reply, closing.signal), { headers });
  };

  const hostname = options.hostname ?? "127.0.0.1";
  const listen = { hostname, port: options.port ?? 0, onListen: () => {} };
  const server = Deno.serve(listen, async (req) => {
    const url = new URL(req.url);
    const text = req.method === "GET" ? "" : await req.text();
    let body: Record<string, unknown> | undefined;
    try {
      const parsed: unknown = text ? JSON.parse(text) : undefined;
      if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) {
        body = parsed as Record<string, unknown>;
      }
    } catch {
      return apiError(400, "Request body is not valid JSON");
    }
    const received: ReceivedRequest = {
      method: req.method,
      path: url.pathname,
      headers: Object.fromEntries(req.headers),
      body,
    };
    requests.push(received);
    return await answer(req, received);
  });
  const port = server.addr.port;
  const close = async () => {
    closing.abort();
    await server.shutdown();
  };
  return {
    url: `http://${hostname.includes(":") ? `[${hostname}]` : hostname}:${port}/v1`,
    port,
    requests,
    chatRequests: () => requests.filter((r) => r.path === "/v1/chat/completions"),
    close,
    [Symbol.asyncDispose]: close,
  };
}

function embeddings(body: Record<string, unknown>, defaultDim: number, model: string): Response {
  const input = body.input;
  const texts = typeof input === "string"
    ? [input]
    : Array.isArray(input)
    ? input.map(String)
    : undefined;
  if (!texts) return apiError(400, "input: expected a string or an array of strings");
  const dim = typeof body.dimensions === "number" ? body.dimensions : defaultDim;
  const format = body.encoding_format ?? "float";
  if (format !== "float" && format !== "base64") {
    return apiError(
      400,
      `encoding_format: expected "float" or "base64", got ${JSON.stringify(format)}`,
    );
  }
  const data = texts.map((text, index) => {
    const vector = scriptedEmbedding(text, dim);
    const embedding = format === "float" ? Array.from(vector) : toBase64(vector);
    return { object: "embedding", index, embedding };
  });
  const tokens = texts.reduce((n, t) => n + Math.ceil(t.length / 4), 0);
  return Response.json({
    object: "list",
    data,
    model,
    usage: { prompt_tokens: tokens, total_tokens: tokens },
  });
}

function toBase64(vector: Float32Array): string {
  const view = new DataView(new ArrayBuffer(vector.length * 4));
  vector.forEach((v, i) => view.setFloat32(i * 4, v, true));
  let binary = "";
  for (const byte of new Uint8Array(view.buffer)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function apiError(
  status: number,
  message: string,
  code?: string,
  extra?: Record<string, string>,
): Response {
  const headers = new Headers(extra);
  headers.set("content-type", "application/json");
  const error = {
    message,
    type: status === 429 ? "rate_limit_error" : "invalid_request_error",
    code: code ?? null,
  };
  return new Response(JSON.stringify({ error }), { status, headers });
}

const encoder = new TextEncoder();

function sseBody(
  events: string[],
  reply: ScriptedReply,
  closing: AbortSignal,
): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream({
    async pull(controller) {
      if (reply.dropAfterChunks !== undefined && sent >= reply.dropAfterChunks) {
        controller.error(new Error("scripted connection drop (a fault the test script asked for)"));
        return;
      }
      if (sent > 0 && reply.chunkDelayMs) await delay(reply.chunkDelayMs, closing);
      if (sent === reply.stallAfterChunks) await delay(2 ** 31 - 1, closing);
      if (closing.aborted) return controller.close();
      const event = events[sent++];
      if (event === undefined) controller.close();
      else controller.enqueue(encoder.encode(event));
    },
  });
}

function droppedBody(headers: Headers): Response {
  headers.set("content-type", "application/json");
  const body = new ReadableStream({
    pull: (c) => c.error(new Error("scripted connection drop (a fault the test script asked for)")),
  });
  return new Response(body, { headers });
}

function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}
