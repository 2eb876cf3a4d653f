/** Behaviour of cassette recording and replay: round trips, divergence, failures, bad files. */
import assert from "node:assert/strict";
import { startScriptedModelServer } from "../testing/scripted_model_server.ts";
import { readCassette } from "./cassette.ts";
import { CassetteDivergenceError, CassetteFormatError, ModelRequestError } from "./errors.ts";
import { OpenAIModelClient } from "./openai_client.ts";
import { RecordingModelClient } from "./recording_client.ts";
import { ReplayModelClient } from "./replay_client.ts";
import type { ChatMessage, ModelClient } from "./types.ts";

const TOOLS = [{
  name: "execute_code",
  parameters: { type: "object", properties: { code: { type: "string" } } },
}];

/** A two-turn conversation: a tool call, its output, then the final answer. */
async function conversation(model: ModelClient): Promise<string[]> {
  const messages: ChatMessage[] = [{ role: "system", content: "Be brief." }, {
    role: "user",
    content: "What is 6 * 7?",
  }];
  const first = await model.chat({ messages, tools: TOOLS }, { onDelta: () => {} });
  messages.push({
    role: "assistant",
    content: first.message.content,
    toolCalls: first.message.toolCalls,
  });
  messages.push({ role: "tool", toolCallId: first.message.toolCalls[0]!.id, content: "42" });
  const second = await model.chat({ messages, tools: TOOLS });
  return [first.message.toolCalls[0]!.arguments, second.message.content];
}

Deno.test("a recorded run replays offline and re-records byte-identically", async () => {
  const dir = await Deno.makeTempDir();
  await using server = startScriptedModelServer({
    script: [
      { toolCalls: [{ id: "c1", name: "execute_code", arguments: { code: "6 * 7" } }] },
      { content: "6 * 7 = 42" },
    ],
  });
  const live = new OpenAIModelClient({ baseUrl: server.url, apiKey: "k", model: "m" });
  const recorded = await conversation(new RecordingModelClient(live, `${dir}/a.jsonl`));
  const replay = new ReplayModelClient(`${dir}/a.jsonl`);
  const replayed = await conversation(new RecordingModelClient(replay, `${dir}/b.jsonl`));
  assert.deepEqual(replayed, recorded);
  assert.equal(replay.remaining(), 0);
  assert.equal(server.chatRequests().length, 2, "replay made no HTTP request");
  const a = await Deno.readFile(`${dir}/a.jsonl`);
  assert.deepEqual(await Deno.readFile(`${dir}/b.jsonl`), a);
  assert.equal(readCassette(`${dir}/a.jsonl`).length, 2);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("replay names the step and what differs when a request diverges", async () => {
  const path = await Deno.makeTempFile({ suffix: ".jsonl" });
  await using server = startScriptedModelServer({ script: [{ content: "hello" }] });
  const live = new OpenAIModelClient({ baseUrl: server.url, apiKey: "k", model: "m" });
  await new RecordingModelClient(live, path).chat({
    messages: [{ role: "user", content: "Hi there" }],
  });
  const replay = new ReplayModelClient(path);
  const error = await replay.chat({ messages: [{ role: "user", content: "Hi, there" }] }).catch((
    e,
  ) => e);
  assert.ok(error instanceof CassetteDivergenceError);
  assert.match(error.message, /at step 1/);
  assert.match(error.message, /messages\[0\]\.content: recorded "Hi there" but got "Hi, there"/);
  await Deno.remove(path);
});

Deno.test("replay fails clearly when the run asks for more steps than were recorded", async () => {
  const path = await Deno.makeTempFile({ suffix: ".jsonl" });
  await using server = startScriptedModelServer({ script: [{ content: "one" }] });
  const live = new OpenAIModelClient({ baseUrl: server.url, apiKey: "k", model: "m" });
  const request = { messages: [{ role: "user" as const, content: "x" }] };
  await new RecordingModelClient(live, path).chat(request);
  const replay = new ReplayModelClient(path);
  assert.equal((await replay.chat(request)).message.content, "one");
  await assert.rejects(
    replay.chat(request),
    /ran out of recorded steps: request 2 was made but the cassette holds 1/,
  );
  await Deno.remove(path);
});

Deno.test("replay reproduces a recorded failure", async () => {
  const path = await Deno.makeTempFile({ suffix: ".jsonl" });
  await using server = startScriptedModelServer({ script: [{ status: 401, error: "bad key" }] });
  const live = new OpenAIModelClient({ baseUrl: server.url, apiKey: "k", model: "m" });
  const request = { messages: [{ role: "user" as const, content: "x" }] };
  const liveError = await new RecordingModelClient(live, path).chat(request).catch((e) => e);
  const replayed = await new ReplayModelClient(path).chat(request).catch((e) => e);
  assert.ok(replayed instanceof ModelRequestError);
  assert.equal(replayed.status, 401);
  assert.equal(replayed.message, (liveError as Error).message);
  await Deno.remove(path);
});

Deno.test("replay serves concurrent requests that arrive in a different order", async () => {
  const path = await Deno.makeTempFile({ suffix: ".jsonl" });
  await using server = startScriptedModelServer({
    script: (req) => ({ content: `re: ${JSON.stringify(req.body?.messages)}` }),
  });
  const live = new OpenAIModelClient({ baseUrl: server.url, apiKey: "k", model: "m" });
  const ask = (text: string) => ({ messages: [{ role: "user" as const, content: text }] });
  const recorder = new RecordingModelClient(live, path);
  await recorder.chat(ask("a"));
  await recorder.chat(ask("b"));
  const replay = new ReplayModelClient(path);
  const b = await replay.chat(ask("b"));
  const a = await replay.chat(ask("a"));
  assert.match(a.message.content, /"a"/);
  assert.match(b.message.content, /"b"/);
  await Deno.remove(path);
});

Deno.test("a malformed cassette is rejected naming the file and line", async () => {
  const path = await Deno.makeTempFile({ suffix: ".jsonl" });
  await Deno.writeTextFile(path, '{"step":1,"request":{"messages":[],"model":"m"}}\n');
  assert.throws(() => new ReplayModelClient(path), (e: unknown) => {
    assert.ok(e instanceof CassetteFormatError);
    assert.match(e.message, new RegExp(`"${path}" line 1 is not a cassette entry`));
    return true;
  });
  await Deno.writeTextFile(path, "not json\n");
  assert.throws(() => readCassette(path), /line 1 is not JSON/);
  assert.throws(() => readCassette(`${path}.missing`), /Cannot read cassette/);
  await Deno.remove(path);
});
