/** Behaviour of the gateway factory: endpoint resolution, not-configured error, wiring. */
import assert from "node:assert/strict";
import { loadConfig } from "../config.ts";
import { startScriptedModelServer } from "../testing/scripted_model_server.ts";
import { createModelClient, modelEndpoint, subagentModel } from "./create_model_client.ts";
import { ModelNotConfiguredError } from "./errors.ts";
import { UsageLedger } from "./usage_ledger.ts";

function config(env: Record<string, string>) {
  // An empty config file, so a developer's ./agent.yaml does not leak into the test.
  const file = Deno.makeTempFileSync({ suffix: ".json" });
  Deno.writeTextFileSync(file, "{}");
  try {
    return loadConfig({ env, file });
  } finally {
    Deno.removeSync(file);
  }
}

Deno.test("without a base URL or API key the gateway says no endpoint is configured", () => {
  const cfg = config({});
  const endpoint = modelEndpoint(cfg);
  assert.equal(endpoint.configured, false);
  assert.throws(() => createModelClient(cfg), (e: unknown) => {
    assert.ok(e instanceof ModelNotConfiguredError);
    assert.match(e.message, /No model endpoint is configured: set OPENAI_BASE_URL/);
    return true;
  });
});

Deno.test("an Ollama preset resolves to its /v1 endpoint with a placeholder key", () => {
  const endpoint = modelEndpoint(config({ OLLAMA_HOST: "gpu-box:11434", OLLAMA_MODEL: "qwen2.5" }));
  assert.deepEqual(endpoint, {
    configured: true,
    provider: "openai",
    baseUrl: "http://gpu-box:11434/v1",
    apiKey: "ollama",
    model: "qwen2.5",
  });
});

Deno.test("an API key alone targets OpenAI; the sub-agent model defaults to the main one", () => {
  const cfg = config({ OPENAI_API_KEY: "sk-x", MODEL_NAME: "gpt-4o" });
  const endpoint = modelEndpoint(cfg);
  assert.ok(endpoint.configured && endpoint.baseUrl === "https://api.openai.com/v1");
  assert.equal(subagentModel(cfg), "gpt-4o");
  assert.equal(subagentModel(config({ SUBAGENT_MODEL: "small" })), "small");
});

Deno.test("the factory records a metered run, and replays it with no endpoint configured", async () => {
  const dir = await Deno.makeTempDir();
  await using server = startScriptedModelServer({
    script: [{ content: "hi", usage: { promptTokens: 5, completionTokens: 1 } }],
  });
  const ledger = new UsageLedger({ inputPricePerM: 2, outputPricePerM: 4 });
  const live = createModelClient(config({ OPENAI_BASE_URL: server.url }), {
    record: `${dir}/run.jsonl`,
    ledger,
  });
  const request = { messages: [{ role: "user" as const, content: "hello" }] };
  assert.equal((await live.chat(request, { task: "demo" })).message.content, "hi");
  const replay = createModelClient(config({}), { replay: `${dir}/run.jsonl`, ledger });
  assert.equal((await replay.chat(request, { task: "demo" })).message.content, "hi");
  assert.equal(server.chatRequests().length, 1);
  assert.deepEqual(ledger.totals("demo"), {
    requests: 2,
    promptTokens: 10,
    completionTokens: 2,
    ms: ledger.totals().ms,
    cost: 2 * (10 + 4) / 1e6,
  });
  await Deno.remove(dir, { recursive: true });
});
