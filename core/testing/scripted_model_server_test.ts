/** Behaviour of the scripted OpenAI-compatible server, checked with the real npm:openai client. */
import assert from "node:assert/strict";
import OpenAI from "openai";
import { startScriptedModelServer } from "./scripted_model_server.ts";
import { scriptedEmbedding } from "./scripted_model_server_wire.ts";

function client(url: string): OpenAI {
  return new OpenAI({ baseURL: url, apiKey: "test-key", maxRetries: 0 });
}

Deno.test("scripted server answers chat completions in script order and records requests", async () => {
  await using server = startScriptedModelServer({
    script: [{ content: "one" }, { content: "two" }],
  });
  const openai = client(server.url);
  const first = await openai.chat.completions.create({
    model: "m",
    messages: [{ role: "user", content: "a" }],
  });
  const second = await openai.chat.completions.create({
    model: "m",
    messages: [{ role: "user", content: "b" }],
  });
  assert.equal(first.choices[0]?.message.content, "one");
  assert.equal(second.choices[0]?.message.content, "two");
  const bodies = server.chatRequests().map((r) => r.body?.messages);
  assert.deepEqual(bodies, [[{ role: "user", content: "a" }], [{ role: "user", content: "b" }]]);
  assert.equal(server.requests[0]?.headers["authorization"], "Bearer test-key");
});

Deno.test("scripted server streams tool-call deltas and a final usage chunk", async () => {
  await using server = startScriptedModelServer({
    script: [{
      content: "Looking it up",
      toolCalls: [{ id: "c1", name: "search_tools", arguments: { query: "weather in Paris" } }],
      usage: { promptTokens: 12, completionTokens: 5 },
      chunkSize: 4,
    }],
  });
  const stream = await client(server.url).chat.completions.create({
    model: "m",
    messages: [{ role: "user", content: "hi" }],
    stream: true,
    stream_options: { include_usage: true },
  });
  let text = "";
  let args = "";
  let argPieces = 0;
  let usage: unknown;
  let finish: string | null = null;
  for await (const chunk of stream) {
    if (chunk.usage) usage = chunk.usage;
    const choice = chunk.choices[0];
    text += choice?.delta.content ?? "";
    for (const call of choice?.delta.tool_calls ?? []) {
      if (call.function?.arguments) {
        args += call.function.arguments;
        argPieces++;
      }
    }
    finish = choice?.finish_reason ?? finish;
  }
  assert.equal(text, "Looking it up");
  assert.deepEqual(JSON.parse(args), { query: "weather in Paris" });
  assert.ok(argPieces > 1, "arguments arrive in several deltas");
  assert.equal(finish, "tool_calls");
  assert.deepEqual(usage, { prompt_tokens: 12, completion_tokens: 5, total_tokens: 17 });
});

Deno.test("scripted server returns base64 embeddings the client decodes, and floats on request", async () => {
  await using server = startScriptedModelServer({ script: [], embeddingDim: 8 });
  const openai = client(server.url);
  const decoded = await openai.embeddings.create({ model: "e", input: ["alpha", "beta"] });
  assert.equal(server.requests[0]?.body?.encoding_format, "base64");
  const floats = await openai.embeddings.create({
    model: "e",
    input: "alpha",
    encoding_format: "float",
  });
  const expected = Array.from(scriptedEmbedding("alpha", 8));
  assert.deepEqual(decoded.data[0]?.embedding, expected);
  assert.deepEqual(floats.data[0]?.embedding, expected);
  assert.notDeepEqual(decoded.data[1]?.embedding, expected);
  const norm = Math.hypot(...expected);
  assert.ok(Math.abs(norm - 1) < 1e-5, `unit length, got ${norm}`);
});

Deno.test("scripted server answers scripted error statuses with their headers", async () => {
  await using server = startScriptedModelServer({
    script: [{ status: 429, error: "slow down", headers: { "retry-after": "2" } }],
  });
  const error = await client(server.url).chat.completions.create({ model: "m", messages: [] }).then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(error instanceof OpenAI.RateLimitError);
  assert.equal(error.headers.get("retry-after"), "2");
  assert.match(error.message, /slow down/);
});

Deno.test("scripted server breaks a stream after the scripted number of events", async () => {
  await using server = startScriptedModelServer({
    script: [{ content: "x".repeat(80), dropAfterChunks: 3 }],
  });
  const stream = await client(server.url).chat.completions.create({
    model: "m",
    messages: [{ role: "user", content: "hi" }],
    stream: true,
  });
  let received = 0;
  const error = await (async () => {
    for await (const _ of stream) received++;
  })().then(() => undefined, (e: unknown) => e);
  assert.ok(error instanceof Error, "the client sees the broken connection as an error");
  assert.ok(received <= 3, `at most 3 chunks before the drop, got ${received}`);
});

Deno.test("scripted server reports an exhausted script and rejects bad input by name", async () => {
  await using server = startScriptedModelServer({ script: [] });
  const res = await fetch(`${server.url}/chat/completions`, { method: "POST", body: "{}" });
  assert.equal(res.status, 400);
  assert.match((await res.json()).error.message, /messages: expected an array/);
  const openai = client(server.url);
  await assert.rejects(
    openai.chat.completions.create({ model: "m", messages: [{ role: "user", content: "x" }] }),
    /script exhausted after 0 steps/,
  );
  const models = await openai.models.list();
  assert.deepEqual(models.data.map((m) => m.id), ["scripted-model"]);
});

Deno.test("scripted server passes each request to a script function", async () => {
  await using server = startScriptedModelServer({
    script: (req, index) => ({ content: `${index}:${(req.body?.messages as unknown[]).length}` }),
  });
  const openai = client(server.url);
  const msgs = [{ role: "user" as const, content: "a" }, { role: "user" as const, content: "b" }];
  const a = await openai.chat.completions.create({ model: "m", messages: msgs });
  const b = await openai.chat.completions.create({ model: "m", messages: msgs.slice(1) });
  assert.deepEqual([a.choices[0]?.message.content, b.choices[0]?.message.content], ["0:2", "1:1"]);
});
