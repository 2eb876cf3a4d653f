/**
 * The kernel's tool calls outside their task and budget (issue 14.11): a timer left by a cell
 * calls a tool after the cell ended; a cell starts more calls than the cap; a cell's tools make
 * model calls past the task's token budget. Each is refused.
 */
import assert from "node:assert/strict";
import { memoryLogger } from "../log.ts";
import type { ChatResponse, ModelClient } from "../model/types.ts";
import { gatedKernels } from "./cell_gate.ts";
import type { CallTool } from "./kernel_port.ts";
import { realKernelFactory } from "./real_kernel.ts";
import { runTask } from "./run_task.ts";
import { TaskBudgetError, TaskMeter } from "./task_meter.ts";

Deno.test({
  name: "a timer that calls a tool after its cell ended is refused, on the real kernel",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const root = await Deno.realPath(await Deno.makeTempDir({ prefix: "gate-" }));
    const calls: string[] = [];
    const tool: CallTool = (name) => {
      calls.push(name);
      return Promise.resolve({ ok: true, value: "ran" });
    };
    const kernel = await gatedKernels(
      realKernelFactory({ sessionId: "gate", rootDir: root, log: memoryLogger().logger }),
    )(tool);
    try {
      const inCell = await kernel.execute(`await tools.word_count({ text: "a" })`);
      assert.equal(inCell.ok, true, inCell.error?.message ?? "");
      assert.deepEqual(calls, ["word_count"], "a call inside its cell runs");
      const armed = await kernel.execute(
        `setTimeout(() => tools.word_count({ text: "late" })` +
          `.then(() => { globalThis.late = "ran" }, (e) => { globalThis.late = String(e) }), 20);` +
          ` "armed"`,
      );
      assert.equal(armed.ok, true);
      // No cell runs now; read the variable without running one (getVariable is not a cell).
      let late: unknown;
      while (late === undefined) {
        await new Promise((r) => setTimeout(r, 20));
        late = await kernel.getVariable("late").catch(() => undefined);
      }
      assert.match(String(late), /after its cell ended/);
      assert.deepEqual(calls, ["word_count"], "the late call never reached the tool");
    } finally {
      await kernel.close();
      await Deno.remove(root, { recursive: true });
    }
  },
});

Deno.test("a cell cannot have more tool calls in flight than the cap", async () => {
  const release: Array<() => void> = [];
  const slow: CallTool = () =>
    new Promise((resolve) => release.push(() => resolve({ ok: true, value: 1 })));
  let callTool: CallTool | undefined;
  const factory = gatedKernels((ct) => {
    callTool = ct;
    return Promise.resolve({
      execute: async () => {
        const outcomes = await Promise.all(
          Array.from({ length: 5 }, () => {
            const p = callTool!("t", {});
            queueMicrotask(() => release.splice(0).forEach((r) => r()));
            return p;
          }),
        );
        return {
          ok: true,
          display: JSON.stringify(outcomes.map((o) => o.ok ? "ran" : o.error.code)),
          stdout: "",
          stderr: "",
          ms: 0,
          error: null,
        };
      },
      interrupt() {},
      listVariables: () => Promise.resolve([]),
      inspectVariable: () => Promise.resolve(""),
      getVariable: () => Promise.resolve(undefined),
      setVariable: () => Promise.resolve(),
      history: () => [],
      close: () => Promise.resolve(),
    });
  }, 3);
  const kernel = await factory(slow);
  const r = await kernel.execute("five calls at once");
  assert.equal(
    r.display,
    JSON.stringify(["ran", "ran", "ran", "too_many_calls", "too_many_calls"]),
  );
});

/** A model whose every reply costs 100 tokens; the orchestrator's first reply runs a cell. */
function costlyModel(onChat: () => void): ModelClient {
  return {
    model: "m",
    supportsTools: () => true,
    chat: () => {
      onChat();
      const response: ChatResponse = {
        message: { content: "ok", toolCalls: [] },
        usage: { promptTokens: 90, completionTokens: 10, source: "api" },
        finishReason: "stop",
        model: "m",
        ms: 1,
        toolMode: "native",
      };
      return Promise.resolve(response);
    },
  };
}

Deno.test("model calls a cell's tools make are charged to the task and stop at its budget", async () => {
  let requests = 0;
  const meter = new TaskMeter();
  const model = meter.client(costlyModel(() => requests++));
  // The cell calls a tool that asks the model 50 times (as generate_function or a sub-agent do).
  const toolMade: string[] = [];
  const kernel = {
    execute: async () => {
      for (let i = 0; i < 50; i++) {
        try {
          await model.chat({ messages: [{ role: "user", content: "sub" }] });
          toolMade.push("ok");
        } catch (e) {
          toolMade.push(e instanceof TaskBudgetError ? "budget" : "other");
        }
      }
      return { ok: true, display: "done", stdout: "", stderr: "", ms: 0, error: null };
    },
    interrupt() {},
    listVariables: () => Promise.resolve([]),
    inspectVariable: () => Promise.resolve(""),
    getVariable: () => Promise.resolve(undefined),
    setVariable: () => Promise.resolve(),
    history: () => [],
    close: () => Promise.resolve(),
  };
  let first = true;
  const orchestrator: ModelClient = {
    model: "m",
    supportsTools: () => true,
    chat: async (req, o) => {
      const r = await model.chat(req, o);
      if (!first) return r;
      first = false;
      const call = { id: "c1", name: "execute_code", arguments: '{"code":"x"}' };
      return { ...r, message: { content: "", toolCalls: [call] } };
    },
  };
  meter.begin(1200);
  const result = await runTask({
    task: "t",
    model: orchestrator,
    kernel,
    searchTools: () => "",
    budgets: { maxTokens: 1200 },
    tokensUsed: () => meter.used(),
  });
  meter.end();
  assert.equal(toolMade.filter((x) => x === "ok").length, 11, "1 + 11 requests of 100 tokens");
  assert.equal(toolMade.filter((x) => x === "budget").length, 39);
  assert.equal(result.outcome, "token_budget");
  assert.equal(requests, 12, "refused requests were never sent");
  // Outside a task (a person's own cell) nothing is capped.
  await model.chat({ messages: [{ role: "user", content: "free" }] });
  assert.equal(requests, 13);
});
