/** Tests of the code-mode loop against the scripted model server and the fake kernel. */
import assert from "node:assert/strict";
import type { AgentEvent } from "./events.ts";
import { runTask } from "./run_task.ts";
import { registrySearch } from "./tool_router.ts";
import { codeReply, startHarness } from "./testing/harness.ts";

Deno.test("loop runs a cell, feeds its result back and ends on the final answer", async () => {
  await using h = await startHarness([
    codeReply("const n = 6 * 7\nn"),
    { content: "The answer is 42." },
  ]);
  const events: AgentEvent[] = [];
  const r = await runTask({
    task: "What is 6*7?",
    model: h.model,
    kernel: h.kernel,
    searchTools: registrySearch(h.registry),
    onEvent: (e) => events.push(e),
  });
  assert.equal(r.outcome, "final");
  assert.equal(r.answer, "The answer is 42.");
  assert.equal(r.steps, 2);
  const second = h.requestMessages()[1]!;
  assert.equal(second.at(-1)?.role, "tool");
  assert.match(second.at(-1)?.content ?? "", /result: 42/);
  assert.deepEqual(events.filter((e) => e.type === "code").length, 1);
  assert.equal(await h.kernel.getVariable("n"), 42);
});

Deno.test("errors of the model go back as observations and the loop continues", async () => {
  await using h = await startHarness([
    codeReply("throw new Error('boom')"),
    { toolCalls: [{ id: "x", name: "word_count", arguments: { text: "a b" } }] },
    { toolCalls: [{ id: "y", name: "execute_code", arguments: "{not json" }] },
    codeReply("await tools.word_count({ txt: 1 })"),
    { content: "gave up" },
  ]);
  const r = await runTask({
    task: "t",
    model: h.model,
    kernel: h.kernel,
    searchTools: registrySearch(h.registry),
  });
  assert.equal(r.outcome, "final");
  const obs = h.requestMessages()[4]!.filter((m) => m.role === "tool").map((m) => m.content);
  assert.match(obs[0]!, /Error.*boom/);
  assert.match(obs[1]!, /Unknown tool "word_count".*await tools\.word_count/);
  assert.match(obs[2]!, /not a JSON object/);
  assert.match(obs[3]!, /word_count.*text/);
});

Deno.test("search_tools returns declarations the model can call in code", async () => {
  await using h = await startHarness([
    { toolCalls: [{ id: "s", name: "search_tools", arguments: { query: "count words in text" } }] },
    codeReply("(await tools.word_count({ text: 'one two three' })).words"),
    { content: "3 words" },
  ]);
  const r = await runTask({
    task: "count",
    model: h.model,
    kernel: h.kernel,
    searchTools: registrySearch(h.registry),
  });
  assert.equal(r.outcome, "final");
  const msgs = h.requestMessages()[2]!;
  assert.match(msgs[3]?.content ?? "", /word_count/);
  assert.match(msgs[5]?.content ?? "", /result: 3/);
});

Deno.test("a task stops at the step limit and says so", async () => {
  await using h = await startHarness((_req, i) => codeReply(`${i}`, `c${i}`));
  const r = await runTask({
    task: "loop forever",
    model: h.model,
    kernel: h.kernel,
    searchTools: () => "",
    budgets: { maxSteps: 3 },
  });
  assert.equal(r.outcome, "step_limit");
  assert.equal(r.steps, 3);
  assert.match(r.detail, /step limit of 3/);
});

Deno.test("a task stops at the token budget", async () => {
  await using h = await startHarness((_req, i) => ({
    ...codeReply("1", `c${i}`),
    usage: { promptTokens: 400, completionTokens: 10 },
  }));
  const r = await runTask({
    task: "t",
    model: h.model,
    kernel: h.kernel,
    searchTools: () => "",
    budgets: { maxTokens: 1_000 },
  });
  assert.equal(r.outcome, "token_budget");
  assert.equal(r.steps, 3);
  assert.equal(r.usage.promptTokens, 1_200);
});

Deno.test("a task stops at the time budget while a cell runs", async () => {
  await using h = await startHarness([codeReply("await new Promise((r) => setTimeout(r, 5000))")]);
  const r = await runTask({
    task: "t",
    model: h.model,
    kernel: h.kernel,
    searchTools: () => "",
    budgets: { timeMs: 300 },
  });
  assert.equal(r.outcome, "time_budget");
});

Deno.test("the caller's signal interrupts the running cell and ends the task", async () => {
  await using h = await startHarness([codeReply("await new Promise((r) => setTimeout(r, 5000))")]);
  const ctl = new AbortController();
  const r = await runTask({
    task: "t",
    model: h.model,
    kernel: h.kernel,
    searchTools: () => "",
    signal: ctl.signal,
    onEvent: (e) => e.type === "code" && setTimeout(() => ctl.abort(), 50),
  });
  assert.equal(r.outcome, "interrupted");
  assert.equal((await h.kernel.execute("1 + 1")).display, "2");
});

Deno.test("big cell results are cut before they reach the model", async () => {
  await using h = await startHarness([codeReply("'x'.repeat(50000)"), { content: "done" }]);
  await runTask({
    task: "t",
    model: h.model,
    kernel: h.kernel,
    searchTools: () => "",
    budgets: { observationChars: 1_000 },
  });
  const tool = h.requestMessages()[1]!.at(-1)!.content!;
  assert.ok(tool.length < 1_200, `observation has ${tool.length} characters`);
  assert.match(tool, /more characters cut/);
});

Deno.test("budgets reject a non-positive value naming the key", async () => {
  await using h = await startHarness([]);
  await assert.rejects(
    runTask({
      task: "t",
      model: h.model,
      kernel: h.kernel,
      searchTools: () => "",
      budgets: { maxSteps: 0 },
    }),
    /Budget "maxSteps" must be a positive number/,
  );
});

Deno.test("a model without tool calling acts through fenced code blocks", async () => {
  await using h = await startHarness([
    { content: "Let me compute.\n```ts\nconst x = 2 + 3\nx\n```" },
    { content: "It is 5." },
  ]);
  const { OpenAIModelClient } = await import("../model/openai_client.ts");
  const plain = new OpenAIModelClient({
    baseUrl: h.server.url,
    apiKey: "t",
    model: "m",
    maxRetries: 0,
    toolMode: "plain",
  });
  const r = await runTask({ task: "2+3?", model: plain, kernel: h.kernel, searchTools: () => "" });
  assert.equal(r.outcome, "final");
  assert.equal(r.answer, "It is 5.");
  assert.equal(await h.kernel.getVariable("x"), 5);
  assert.equal(
    h.server.chatRequests()[0]!.body!.tools,
    undefined,
    "tools were described, not sent",
  );
});
