/**
 * A Livepeer gateway double for tests: a real HTTP server on 127.0.0.1 with the one route the
 * platform's model uses, `POST /llm` (Bearer auth; `{model, messages, max_tokens, temperature,
 * stream}`), answering OpenAI-shaped replies as the gateway does: no tool calling (a request
 * with `tools` is refused), no `usage` unless scripted, optionally the Llama 3 assistant header
 * before the text. Replies, faults and delays are scripted per request.
 */

/** One scripted answer. */
export interface LivepeerReply {
  content?: string;
  /** Put `<|start_header_id|>assistant<|end_header_id|>\n\n` before the text. */
  header?: boolean;
  /** Report usage (the gateway may leave it out). */
  usage?: { prompt_tokens: number; completion_tokens: number };
  /** Answer with this status and an error body instead. */
  status?: number;
  /** Hold the reply this long. */
  delayMs?: number;
  /** The older gateway shape `{response, tokens_used}`. */
  legacy?: boolean;
}

/** A request as the gateway received it. */
export interface LivepeerRequest {
  path: string;
  authorization: string | null;
  contentType: string | null;
  body: Record<string, unknown> | undefined;
}

/** A running double. */
export interface LivepeerGateway extends AsyncDisposable {
  /** The gateway URL (LIVEPEER_GATEWAY_URL). */
  url: string;
  requests: LivepeerRequest[];
  close(): Promise<void>;
}

/** Starts the double; `script(request, index)` gives each reply. */
export function startLivepeerGateway(
  script: (req: LivepeerRequest, index: number) => LivepeerReply | Promise<LivepeerReply>,
): LivepeerGateway {
  const requests: LivepeerRequest[] = [];
  const closing = new AbortController();
  let n = 0;
  const server = Deno.serve({
    port: 0,
    hostname: "127.0.0.1",
    onListen: () => {},
    signal: closing.signal,
  }, async (req) => {
    const path = new URL(req.url).pathname;
    let body: Record<string, unknown> | undefined;
    try {
      body = await req.json();
    } catch {
      body = undefined;
    }
    const received: LivepeerRequest = {
      path,
      authorization: req.headers.get("authorization"),
      contentType: req.headers.get("content-type"),
      body,
    };
    requests.push(received);
    if (req.method !== "POST" || path !== "/llm") {
      return Response.json({ detail: "Not Found" }, { status: 404 });
    }
    if (!received.authorization?.startsWith("Bearer ")) {
      return Response.json({ detail: "Unauthorized" }, { status: 401 });
    }
    if (!body || !Array.isArray(body.messages)) {
      return Response.json({ detail: "messages is required" }, { status: 422 });
    }
    if (body.tools !== undefined || body.stream === true) {
      return Response.json({ detail: "tools and streaming are not supported here" }, {
        status: 400,
      });
    }
    const reply = await script(received, n++);
    if (reply.delayMs) await sleep(reply.delayMs, closing.signal);
    if (reply.status) {
      return Response.json({ detail: `scripted ${reply.status}` }, { status: reply.status });
    }
    const text = `${reply.header ? "<|start_header_id|>assistant<|end_header_id|>\n\n" : ""}${
      reply.content ?? ""
    }`;
    if (reply.legacy) return Response.json({ response: text, tokens_used: 17 });
    return Response.json({
      id: `lp-${n}`,
      model: String(body.model ?? ""),
      created: Math.floor(Date.now() / 1000),
      choices: [{ index: 0, message: { role: "assistant", content: text }, finish_reason: "stop" }],
      ...(reply.usage ? { usage: { ...reply.usage, total_tokens: 0 } } : {}),
    });
  });
  const url = `http://127.0.0.1:${server.addr.port}`;
  return {
    url,
    requests,
    close: async () => {
      closing.abort();
      await server.finished;
    },
    [Symbol.asyncDispose]() {
      return this.close();
    },
  };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => (clearTimeout(timer), resolve()), { once: true });
  });
}
