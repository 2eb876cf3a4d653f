/** Behaviour of the gateway through the real npm:openai client against the scripted server. */
import assert from "node:assert/strict";
import { encode } from "gpt-tokenizer/encoding/o200k_base";
import { type ScriptedReply, startScriptedModelServer } from "../testing/scripted_model_server.ts";
import { ModelAbortedError, ModelRequestError, ModelTimeoutError } from "./errors.ts";
import { OpenAIModelClient, type OpenAIModelClientOptions } from "./openai_client.ts";
import type { ChatRequest, ToolSchema } from "./types.ts";

const EXECUTE_CODE: ToolSchema = {
  name: "execute_code",
  description: "Run TypeScript in the kernel",
  parameters: { type: "object", properties: { code: { type: "string" } }, required: ["code"] },
};
const ASK: ChatRequest = {
  messages: [{ role: "user", content: "What is 6 * 7?" }],
  tools: [EXECUTE_CODE],
};

function setup(script: ScriptedReply[], options: Partial<OpenAIModelClientOptions> = {}) {
  const server = startScriptedModelServer({ script });
  const delays: number[] = [];
  const client = new OpenAIModelClient({
    baseUrl: server.url,
    apiKey: "k",
    model: "test-model",
    retry: { sleep: (ms) => Promise.resolve(void delays.push(ms)), random: () => 0.5 },
    ...options,
  });
  return { server, client, delays };
}

Deno.test("gateway returns tool calls and API usage from a non-streaming reply", async () => {
  const { server, client } = setup([{
    toolCalls: [{ id: "c7", name: "execute_code", arguments: { code: "6 * 7" } }],
    usage: { promptTokens: 31, completionTokens: 9 },
  }]);
  await using _ = server;
  const reply = await client.chat(ASK);
  assert.deepEqual(reply.message.toolCalls, [{
    id: "c7",
    name: "execute_code",
    arguments: '{"code":"6 * 7"}',
  }]);
  assert.deepEqual(reply.usage, { promptTokens: 31, completionTokens: 9, source: "api" });
  assert.equal(reply.finishReason, "tool_calls");
  assert.equal(reply.toolMode, "native");
  assert.equal(client.supportsTools(), true);
  const body = server.chatRequests()[0]?.body;
  assert.equal(body?.model, "test-model");
  assert.deepEqual(body?.tools, [{ type: "function", function: EXECUTE_CODE }]);
});

Deno.test("gateway streams text deltas and assembles streamed tool calls", async () => {
  const { server, client } = setup([{
    content: "Let me compute that.",
    toolCalls: [{ id: "a", name: "execute_code", arguments: { code: "console.log(6 * 7)" } }],
    usage: { promptTokens: 40, completionTokens: 12 },
    chunkSize: 3,
  }]);
  await using _ = server;
  const deltas: string[] = [];
  const reply = await client.chat(ASK, { onDelta: (t) => deltas.push(t) });
  assert.ok(deltas.length > 1, "several deltas");
  assert.equal(deltas.join(""), "Let me compute that.");
  assert.equal(reply.message.content, "Let me compute that.");
  assert.deepEqual(JSON.parse(reply.message.toolCalls[0]!.arguments), {
    code: "console.log(6 * 7)",
  });
  assert.deepEqual(reply.usage, { promptTokens: 40, completionTokens: 12, source: "api" });
  const body = server.chatRequests()[0]?.body;
  assert.equal(body?.stream, true);
  assert.deepEqual(body?.stream_options, { include_usage: true });
});

Deno.test("gateway counts tokens with the tokenizer when the endpoint reports no usage", async () => {
  const text = "The answer is forty-two, as computed by the kernel.";
  const { server, client } = setup([{ content: text, usage: false }, {
    content: text,
    usage: false,
  }]);
  await using _ = server;
  const plain = await client.chat({ messages: [{ role: "user", content: "hello there" }] });
  const streamed = await client.chat({ messages: [{ role: "user", content: "hello there" }] }, {
    onDelta: () => {},
  });
  for (const reply of [plain, streamed]) {
    assert.equal(reply.usage.source, "tokenizer");
    assert.equal(reply.usage.completionTokens, encode(text).length);
    // 3 per message + role + content, plus 3 for the reply priming.
    assert.equal(
      reply.usage.promptTokens,
      3 + encode("user").length + encode("hello there").length + 3,
    );
  }
});

Deno.test("gateway retries a 429, honouring retry-after, then succeeds", async () => {
  const { server, client, delays } = setup([
    { status: 429, error: "Rate limit reached", headers: { "retry-after": "2" } },
    { content: "ok" },
  ]);
  await using _ = server;
  const retries: number[] = [];
  const reply = await client.chat(ASK, { onRetry: (i) => retries.push(i.attempt) });
  assert.equal(reply.message.content, "ok");
  assert.equal(server.chatRequests().length, 2);
  assert.deepEqual(delays, [2000]);
  assert.deepEqual(retries, [1]);
});

Deno.test("gateway retries 5xx with jittered exponential backoff", async () => {
  const { server, client, delays } = setup([{ status: 500 }, { status: 503 }, { content: "ok" }]);
  await using _ = server;
  const reply = await client.chat(ASK);
  assert.equal(reply.message.content, "ok");
  assert.equal(server.chatRequests().length, 3);
  // random() = 0.5 of a ceiling that starts at 500 ms and doubles.
  assert.deepEqual(delays, [250, 500]);
});

Deno.test("gateway retries a stream whose connection drops midway", async () => {
  const { server, client } = setup([
    { content: "partial reply that breaks", dropAfterChunks: 3, chunkSize: 4 },
    { content: "whole reply", chunkSize: 4 },
  ]);
  await using _ = server;
  let retried = 0;
  const reply = await client.chat(ASK, { onDelta: () => {}, onRetry: () => void retried++ });
  assert.equal(reply.message.content, "whole reply");
  assert.equal(retried, 1);
  assert.equal(server.chatRequests().length, 2);
});

Deno.test("gateway retries a non-streaming reply whose connection drops", async () => {
  const { server, client } = setup([{ content: "x", dropAfterChunks: 0 }, { content: "ok" }]);
  await using _ = server;
  assert.equal((await client.chat(ASK)).message.content, "ok");
  assert.equal(server.chatRequests().length, 2);
});

Deno.test("gateway does not retry a 400 and names the status", async () => {
  const { server, client } = setup([{ status: 400, error: "messages[0].content is invalid" }, {
    content: "never",
  }]);
  await using _ = server;
  const error = await client.chat(ASK).catch((e: unknown) => e);
  assert.ok(error instanceof ModelRequestError);
  assert.equal(error.status, 400);
  assert.equal(error.retryable, false);
  assert.match(error.message, /answered 400: .*messages\[0\]\.content is invalid/);
  assert.equal(server.chatRequests().length, 1);
});

Deno.test("gateway gives up after maxRetries and reports the attempts", async () => {
  const { server, client } = setup([{ status: 502 }, { status: 502 }, { status: 502 }], {
    maxRetries: 2,
  });
  await using _ = server;
  const error = await client.chat(ASK).catch((e: unknown) => e);
  assert.ok(error instanceof ModelRequestError);
  assert.equal(error.attempts, 3);
  assert.match(error.message, /after 3 attempts/);
  assert.equal(server.chatRequests().length, 3);
});

Deno.test("gateway times out a slow attempt and retries it", async () => {
  const { server, client } = setup([{ delayMs: 5_000, content: "late" }, { content: "on time" }], {
    timeoutMs: 1_000,
  });
  await using _ = server;
  assert.equal((await client.chat(ASK)).message.content, "on time");
  assert.equal(server.chatRequests().length, 2);
});

Deno.test("gateway reports a timeout when no retries are left", async () => {
  const { server, client } = setup([{ delayMs: 5_000, content: "late" }], {
    timeoutMs: 1_000,
    maxRetries: 0,
  });
  await using _ = server;
  await assert.rejects(client.chat(ASK, { onDelta: () => {} }), ModelTimeoutError);
});

Deno.test("gateway stops at once when the caller aborts, without retrying", async () => {
  const { server, client } = setup([{ delayMs: 5_000, content: "late" }, { content: "never" }]);
  await using _ = server;
  const controller = new AbortController();
  const pending = client.chat(ASK, { signal: controller.signal });
  setTimeout(() => controller.abort(), 50);
  await assert.rejects(pending, ModelAbortedError);
  assert.equal(server.chatRequests().length, 1);
});

Deno.test("gateway falls back to fenced code when the endpoint rejects tools", async () => {
  const { server, client } = setup([
    { status: 400, error: "registry.ollama.ai/library/gemma:2b does not support tools" },
    { content: "```ts\nconsole.log(6 * 7)\n```" },
    { content: "42" },
  ]);
  await using _ = server;
  const reply = await client.chat(ASK);
  assert.equal(reply.toolMode, "plain");
  assert.equal(client.supportsTools(), false);
  const [first, second] = server.chatRequests();
  assert.ok(first?.body?.tools, "first attempt offered native tools");
  assert.equal(second?.body?.tools, undefined);
  const system = (second?.body?.messages as { role: string; content: string }[])[0];
  assert.equal(system?.role, "system");
  assert.match(system?.content ?? "", /execute_code/);
  await client.chat(ASK);
  assert.equal(server.chatRequests()[2]?.body?.tools, undefined, "later calls skip native tools");
});

Deno.test("gateway times out a stream that stalls after its first deltas", async () => {
  const { server, client } = setup([{
    content: "a stalling reply",
    chunkSize: 2,
    stallAfterChunks: 3,
  }], {
    timeoutMs: 1_000,
    maxRetries: 0,
  });
  await using _ = server;
  const deltas: string[] = [];
  await assert.rejects(client.chat(ASK, { onDelta: (t) => deltas.push(t) }), ModelTimeoutError);
  assert.deepEqual(deltas, ["a ", "st"]);
});
