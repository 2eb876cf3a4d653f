/** Tests of call_subagent: isolation of contexts, large inputs by handle, learned agents. */
import assert from "node:assert/strict";
import { ActorSystem } from "../actor_system.ts";
import { memoryLogger } from "../log.ts";
import type { ReceivedRequest, ScriptedReply } from "../testing/scripted_model_server.ts";
import { runTask } from "./run_task.ts";
import { SubagentRunner } from "./subagent_runner.ts";
import { fakeKernelFactory } from "./testing/fake_kernel.ts";
import { codeReply, type Harness, startHarness } from "./testing/harness.ts";
import { registrySearch } from "./tool_router.ts";

const ACTORS = new URL("../../actors", import.meta.url).pathname;

type Route = (
  req: ReceivedRequest,
  messages: Array<{ role: string; content?: string }>,
) => ScriptedReply;

/** A harness whose sub-agent requests (system prompt not the orchestrator's) go to `sub`. */
async function setup(orchestrator: ScriptedReply[], sub: Route, learnedDir = "/nonexistent") {
  let o = 0;
  const ref: { runner?: SubagentRunner; h?: Harness } = {};
  const h = await startHarness((req) => {
    const messages = (req.body?.messages ?? []) as Array<{ role: string; content?: string }>;
    const isSub = !String(messages[0]?.content).startsWith("You are Autoliza");
    return isSub ? sub(req, messages) : orchestrator[o++] ?? { content: "end" };
  }, { callSubagent: (n, v, value, i) => ref.runner!.call(n, v, value, i) });
  ref.h = h;
  const system = new ActorSystem({ log: memoryLogger().logger, actorsDir: ACTORS });
  ref.runner = new SubagentRunner({
    system,
    model: h.model,
    registry: h.registry,
    kernelFactory: fakeKernelFactory,
    actorsDir: ACTORS,
    learnedDir,
  });
  return { h, system, runner: ref.runner };
}

function subRequests(h: Harness) {
  return h.requestMessages().filter((m) => !String(m[0]?.content).startsWith("You are Autoliza"));
}

Deno.test("each sub-agent call starts from a fresh context with only its input", async () => {
  const { h, system, runner } = await setup(
    [
      codeReply(
        `const notes = "ALPHA-7 notes: budget approved"\nawait call_subagent("summarizer", "notes", "Summarize")`,
      ),
      codeReply(
        `const other = "BETA-9 notes: hiring paused"\nawait call_subagent("summarizer", "other")`,
      ),
      { content: "Both summarized." },
    ],
    (_req, messages) => {
      const user = messages[1]?.content ?? "";
      if (messages.length === 2) return codeReply("input.length");
      return { content: user.includes("ALPHA-7") ? "Budget approved." : "Hiring paused." };
    },
  );
  try {
    const r = await runTask({
      task: "ORCH-TASK-1: summarize my notes",
      model: h.model,
      kernel: h.kernel,
      searchTools: registrySearch(h.registry),
    });
    assert.equal(r.outcome, "final");
    const subs = subRequests(h);
    assert.equal(subs.length, 4);
    const [first, second] = [subs.slice(0, 2), subs.slice(2)].map((c) => JSON.stringify(c));
    assert.match(first!, /ALPHA-7/);
    assert.doesNotMatch(first!, /ORCH-TASK-1|BETA-9/);
    assert.match(second!, /BETA-9/);
    assert.doesNotMatch(second!, /ORCH-TASK-1|ALPHA-7|Budget approved/);
    assert.equal(subs[2]!.length, 2, "second call starts with system + task only");
    assert.equal(await h.kernel.getVariable("summarizer_result"), "Hiring paused.");
    assert.match(
      h.requestMessages().at(-1)!.filter((m) => m.role === "tool")[0]!.content!,
      /Budget approved/,
    );
    await runner.settled();
    const running = system.list().map((a) => a.name);
    assert.equal(running.length, 1, `only the unused spare is left, got ${running}`);
    assert.ok(runner.lastCall && runner.lastCall.overheadMs >= 0);
    await runner.close();
    assert.deepEqual(system.list(), []);
  } finally {
    await runner.close();
    await system.shutdown();
    await h[Symbol.asyncDispose]();
  }
});

Deno.test("large data reaches the sub-agent as a summary plus the input variable", async () => {
  const { h, system, runner } = await setup(
    [
      codeReply(
        `const rows = Array.from({ length: 500 }, (_, i) => ({ id: i, text: "row " + i + " ".repeat(50) }))\nawait call_subagent("summarizer", "rows")`,
      ),
      { content: "done" },
    ],
    (_req, messages) =>
      messages.length === 2
        ? codeReply("input.length + ':' + input[499].id")
        : { content: String(messages.at(-1)?.content) },
  );
  try {
    await runTask({ task: "t", model: h.model, kernel: h.kernel, searchTools: () => "" });
    const first = subRequests(h)[0]!;
    const user = first[1]!.content!;
    assert.ok(user.length < 2_000, `sub-agent task has ${user.length} characters`);
    assert.match(user, /Array\(500\) of objects with keys id, text/);
    assert.match(user, /variable `input`/);
    assert.match(String(await h.kernel.getVariable("summarizer_result")), /500:499/);
  } finally {
    await runner.close();
    await system.shutdown();
    await h[Symbol.asyncDispose]();
  }
});

Deno.test("an unknown sub-agent or variable is an error the model sees", async () => {
  const { h, system, runner } = await setup(
    [
      codeReply(`const x = 1\nawait call_subagent("nobody", "x")`),
      codeReply(`await call_subagent("summarizer", "missing_var")`),
      { content: "ok" },
    ],
    () => ({ content: "unused" }),
  );
  try {
    await runTask({ task: "t", model: h.model, kernel: h.kernel, searchTools: () => "" });
    const obs = h.requestMessages().at(-1)!.filter((m) => m.role === "tool").map((m) => m.content);
    assert.match(obs[0]!, /Unknown sub-agent "nobody" \(available: .*summarizer/);
    assert.match(obs[1]!, /no variable named "missing_var"/);
  } finally {
    await runner.close();
    await system.shutdown();
    await h[Symbol.asyncDispose]();
  }
});

Deno.test("a learned sub-agent is loaded from learned_skills/agents/<name>/", async () => {
  const learned = await Deno.makeTempDir();
  const dir = `${learned}/agents/shouter`;
  await Deno.mkdir(dir, { recursive: true });
  await Deno.writeTextFile(
    `${dir}/agent.json`,
    JSON.stringify({ name: "shouter", description: "Upper-cases text", tools: [] }),
  );
  await Deno.writeTextFile(`${dir}/prompt.md`, "You are a shouter.\n");
  const { h, system, runner } = await setup(
    [codeReply(`const s = "quiet words"\nawait call_subagent("shouter", "s")`), { content: "ok" }],
    (_req, messages) =>
      messages.length === 2
        ? codeReply("input.toUpperCase()")
        : { content: String(messages.at(-1)?.content).replace("result: ", "") },
    learned,
  );
  try {
    await runTask({ task: "t", model: h.model, kernel: h.kernel, searchTools: () => "" });
    assert.match(subRequests(h)[0]![0]!.content!, /^You are a shouter\./);
    assert.equal(await h.kernel.getVariable("shouter_result"), "QUIET WORDS");
  } finally {
    await runner.close();
    await system.shutdown();
    await h[Symbol.asyncDispose]();
    await Deno.remove(learned, { recursive: true });
  }
});
