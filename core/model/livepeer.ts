/**
 * Livepeer as a model provider, as the platform's slot configures it (`MODEL_PROVIDER=livepeer`,
 * `LIVEPEER_*`): `POST {gateway}/llm` with `Authorization: Bearer <key>` and an OpenAI-shaped
 * chat body (`stream: false`), an OpenAI-shaped reply without tool calling. It goes through the
 * same gateway client as every other endpoint (timeouts, the retry policy, token counting,
 * cassettes); only the wire differs, and that is adapted here by the `fetch` the client uses.
 */
import type { Config } from "../config.ts";

/** The bearer token the old agent sent when `LIVEPEER_API_KEY` was empty. */
export const LIVEPEER_DEFAULT_KEY = "ElizaV2-llm-default";

/** The prefix some models put before the reply (the Llama 3 chat template's header). */
const HEADER = /^\s*<\|start_header_id\|>assistant<\|end_header_id\|>\s*/;

/** Where the gateway is and what to send; `undefined` with a reason when it is not configured. */
export function livepeerEndpoint(config: Config):
  | { baseUrl: string; apiKey: string; model: string }
  | { reason: string } {
  const l = config.livepeer;
  if (!l.gatewayUrl) {
    return { reason: "MODEL_PROVIDER=livepeer but LIVEPEER_GATEWAY_URL is not set" };
  }
  return {
    baseUrl: l.gatewayUrl.replace(/\/+$/, ""),
    apiKey: l.apiKey || LIVEPEER_DEFAULT_KEY,
    model: l.model,
  };
}

/** A reply's text without the Llama 3 assistant header some models prepend. */
export function stripAssistantHeader(text: string): string {
  return text.replace(HEADER, "").replace(/<\|eot_id\|>\s*$/, "");
}

/**
 * The `fetch` npm:openai uses for Livepeer: `…/chat/completions` becomes `…/llm`, the body asks
 * for no stream and carries no tools, and the reply is made the shape the client reads: the
 * header stripped, an older gateway's `{response, tokens_used}` turned into `choices`, and a
 * reply with no text turned into a 502 (retried, then reported) instead of an empty answer.
 */
export function livepeerFetch(base: typeof fetch = fetch): typeof fetch {
  return async (input, init) => {
    const url = String(input instanceof Request ? input.url : input)
      .replace(/\/chat\/completions(\?|$)/, "/llm$1");
    let body = init?.body;
    if (typeof body === "string") {
      const json = JSON.parse(body) as Record<string, unknown>;
      delete json.tools;
      delete json.tool_choice;
      delete json.stream_options;
      body = JSON.stringify({ ...json, stream: false });
    }
    const headers = new Headers(init?.headers);
    headers.set("accept", "application/json");
    const res = await base(url, { ...init, headers, ...(body === undefined ? {} : { body }) });
    if (!res.ok) return res;
    return normalizeReply(await res.text(), res.headers);
  };
}

/** The gateway's reply in the OpenAI shape, or a 502 naming what was missing. */
function normalizeReply(text: string, headers: Headers): Response {
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(text);
  } catch {
    return badReply(`Livepeer reply is not JSON: ${text.slice(0, 120)}`);
  }
  const choices = json.choices as Array<{ message?: { content?: unknown } }> | undefined;
  const content = choices?.[0]?.message?.content ?? json.response;
  if (typeof content !== "string" || !content) {
    return badReply("Livepeer reply has no choices[0].message.content");
  }
  const out = {
    id: json.id ?? "livepeer",
    object: "chat.completion",
    created: json.created ?? 0,
    model: json.model ?? "",
    ...json,
    choices: [{
      index: 0,
      finish_reason: "stop",
      ...choices?.[0],
      message: { role: "assistant", content: stripAssistantHeader(content) },
    }],
  };
  const h = new Headers(headers);
  h.set("content-type", "application/json");
  h.delete("content-length");
  return new Response(JSON.stringify(out), { status: 200, headers: h });
}

function badReply(message: string): Response {
  return Response.json({ error: { message, type: "bad_gateway_reply" } }, { status: 502 });
}
