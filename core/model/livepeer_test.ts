/**
 * Livepeer as a model provider, as the platform's slot configures it, through the same gateway
 * as every endpoint: the wire (`POST /llm`, Bearer, no tools, `stream: false`), the header some
 * models prepend, retries, timeouts, token counting and cassettes.
 */
import assert from "node:assert/strict";
import { loadConfig } from "../config.ts";
import { startLivepeerGateway } from "../testing/livepeer_gateway.ts";
import { createModelClient, modelEndpoint } from "./create_model_client.ts";
import { ModelTimeoutError } from "./errors.ts";
import { LIVEPEER_DEFAULT_KEY } from "./livepeer.ts";
import { UsageLedger } from "./usage_ledger.ts";

/** The model variables of the platform's `autonomous_starter` slot. */
const SLOT = {
  MODEL_PROVIDER: "livepeer",
  LIVEPEER_API_KEY: "",
  LIVEPEER_MODEL: "meta-llama/Meta-Llama-3.1-8B-Instruct",
  LIVEPEER_LARGE_MODEL: "meta-llama/Meta-Llama-3.1-8B-Instruct",
  LIVEPEER_SMALL_MODEL: "meta-llama/Meta-Llama-3.1-8B-Instruct",
  LIVEPEER_TEMPERATURE: "0.6",
  LIVEPEER_MAX_TOKENS: "2048",
  OPENAI_API_KEY: "",
};

const config = (gateway: string, extra: Record<string, string> = {}) =>
  loadConfig({
    env: { ...SLOT, LIVEPEER_GATEWAY_URL: gateway, MODEL_TIMEOUT_MS: "2000", ...extra },
    file: "/dev/null",
  });
const ask = [{ role: "system" as const, content: "Be brief." }, {
  role: "user" as const,
  content: "Say hi",
}];
const noSleep = { sleep: () => Promise.resolve(), random: () => 0 };

Deno.test("the slot's variables select Livepeer, the old default bearer and its settings", () => {
  const c = config("https://dream-gateway.livepeer.cloud/");
  assert.equal(c.model.provider, "livepeer");
  const endpoint = modelEndpoint(c);
  assert.deepEqual(endpoint, {
    configured: true,
    provider: "livepeer",
    baseUrl: "https://dream-gateway.livepeer.cloud",
    apiKey: LIVEPEER_DEFAULT_KEY,
    model: "meta-llama/Meta-Llama-3.1-8B-Instruct",
  });
  const missing = modelEndpoint(
    loadConfig({ env: { MODEL_PROVIDER: "Livepeer" }, file: "/dev/null" }),
  );
  assert.deepEqual(missing, {
    configured: false,
    reason: "MODEL_PROVIDER=livepeer but LIVEPEER_GATEWAY_URL is not set",
  });
});

Deno.test("a chat goes to POST /llm as the old agent sent it, and the header is stripped", async () => {
  await using gw = startLivepeerGateway(() => ({ content: "Hello chat!", header: true }));
  const ledger = new UsageLedger();
  const model = createModelClient(config(gw.url), { ledger });
  const tools = [{ name: "send_to_vtuber", parameters: { type: "object", properties: {} } }];
  const reply = await model.chat({ messages: ask, tools }, { task: "t" });
  assert.equal(reply.message.content, "Hello chat!");
  assert.equal(reply.toolMode, "plain", "no tool calling: tools are described in the prompt");
  assert.equal(reply.usage.source, "tokenizer", "the gateway reported no usage");
  assert.ok(reply.usage.promptTokens > 0 && reply.usage.completionTokens > 0);
  assert.equal(ledger.totals().requests, 1);
  const [req] = gw.requests;
  assert.equal(req!.path, "/llm");
  assert.equal(req!.authorization, `Bearer ${LIVEPEER_DEFAULT_KEY}`);
  assert.equal(req!.contentType, "application/json");
  const body = req!.body!;
  assert.deepEqual(Object.keys(body).sort(), [
    "max_tokens",
    "messages",
    "model",
    "stream",
    "temperature",
  ]);
  assert.deepEqual([body.model, body.max_tokens, body.temperature, body.stream], [
    "meta-llama/Meta-Llama-3.1-8B-Instruct",
    2048,
    0.6,
    false,
  ]);
  const system = (body.messages as { role: string; content: string }[])[0]!;
  assert.match(system.content, /send_to_vtuber/, "the tools are in the system note");
});

Deno.test("Livepeer errors and timeouts go through the one retry policy", async () => {
  await using gw = startLivepeerGateway((_r, i) =>
    i === 0
      ? { status: 503 }
      : i === 1
      ? { content: "" }
      : { content: "back", usage: { prompt_tokens: 7, completion_tokens: 2 } }
  );
  const model = createModelClient(config(gw.url, { LIVEPEER_API_KEY: "sk-lp" }), {
    retry: noSleep,
  });
  const reply = await model.chat({ messages: ask });
  assert.equal(reply.message.content, "back");
  assert.deepEqual([reply.usage.promptTokens, reply.usage.source], [7, "api"]);
  assert.equal(gw.requests.length, 3, "503, an empty reply (a 502 to the client), then ok");
  assert.equal(gw.requests[0]!.authorization, "Bearer sk-lp");
  await using slow = startLivepeerGateway(() => ({ content: "late", delayMs: 1_500 }));
  const timed = createModelClient(config(slow.url, { MODEL_TIMEOUT_MS: "200" }), {
    retry: noSleep,
  });
  await assert.rejects(timed.chat({ messages: ask }), ModelTimeoutError);
});

Deno.test("an older gateway's {response, tokens_used} reply is read too", async () => {
  await using gw = startLivepeerGateway(() => ({ content: "legacy hi", legacy: true }));
  const reply = await createModelClient(config(gw.url)).chat({ messages: ask }, {
    onDelta: () => {},
  });
  assert.equal(reply.message.content, "legacy hi");
});

Deno.test("a Livepeer run is recorded to a cassette and replays with no gateway", async () => {
  const dir = await Deno.makeTempDir();
  const file = `${dir}/lp.jsonl`;
  {
    await using gw = startLivepeerGateway(() => ({ content: "recorded reply", header: true }));
    const model = createModelClient(config(gw.url), { record: file });
    assert.equal((await model.chat({ messages: ask })).message.content, "recorded reply");
  }
  const replay = createModelClient(config("http://127.0.0.1:1"), { replay: file });
  assert.equal((await replay.chat({ messages: ask })).message.content, "recorded reply");
  await Deno.remove(dir, { recursive: true });
});
