/** The loop and call_subagent on the real kernel (sandboxed subprocess over CDP). */
import assert from "node:assert/strict";
import { ActorSystem } from "../actor_system.ts";
import { memoryLogger } from "../log.ts";
import type { KernelPort } from "./kernel_port.ts";
import { realKernelFactory } from "./real_kernel.ts";
import { runTask } from "./run_task.ts";
import { SubagentRunner } from "./subagent_runner.ts";
import { codeReply, startHarness } from "./testing/harness.ts";
import { createToolRouter, registrySearch } from "./tool_router.ts";

const ACTORS = new URL("../../actors", import.meta.url).pathname;

Deno.test({
  name: "a task on the real kernel keeps TypeScript state and hands a variable to a sub-agent",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const root = await Deno.realPath(await Deno.makeTempDir({ prefix: "agent-real-" }));
    const log = memoryLogger().logger;
    const factory = realKernelFactory({ sessionId: "t", rootDir: root, log });
    const script = (messages: Array<{ role: string; content?: string }>, o: number) => {
      if (!String(messages[0]?.content).startsWith("You are Autoliza")) {
        return messages.length === 2
          ? codeReply("input.map((s: string) => s.toUpperCase()).join('|')")
          : { content: String(messages.at(-1)?.content).replace(/^result: /, "") };
      }
      return [
        codeReply("const words: string[] = ['a', 'b']\nwords.length"),
        codeReply("const total = (await tools.word_count({ text: words.join(' ') })).words\ntotal"),
        codeReply("await call_subagent('summarizer', 'words', 'shout')"),
        { content: "done" },
      ][o] ?? { content: "end" };
    };
    let o = 0;
    await using h = await startHarness((req) => {
      const messages = (req.body?.messages ?? []) as Array<{ role: string; content?: string }>;
      const orch = String(messages[0]?.content).startsWith("You are Autoliza");
      return script(messages, orch ? o++ : -1);
    });
    const system = new ActorSystem({ log, actorsDir: ACTORS });
    const runner = new SubagentRunner({
      system,
      model: h.model,
      registry: h.registry,
      kernelFactory: realKernelFactory({ sessionId: "t", rootDir: `${root}/sub`, log }),
      actorsDir: ACTORS,
      learnedDir: "/nonexistent",
    });
    const holder: { kernel?: KernelPort } = {};
    const kernel = await factory(
      createToolRouter({
        registry: h.registry,
        kernel: () => holder.kernel,
        callSubagent: (n, v, value, i) => runner.call(n, v, value, i),
      }),
    );
    holder.kernel = kernel;
    try {
      const r = await runTask({
        task: "t",
        model: h.model,
        kernel,
        searchTools: registrySearch(h.registry),
      });
      assert.equal(r.outcome, "final", r.detail);
      const tools = h.requestMessages().at(-1)!.filter((m) => m.role === "tool").map((m) =>
        m.content
      );
      assert.match(tools[0]!, /result: 2/);
      assert.match(tools[1]!, /result: 2/);
      assert.match(tools[2]!, /A\|B/);
      assert.match(String(await kernel.getVariable("summarizer_result")), /^"?A\|B"?$/);
      const names = (await kernel.listVariables()).map((v) => v.name);
      assert.ok(!names.includes("call_subagent"), "helpers are hidden from list_variables");
      assert.deepEqual(kernel.history().length, 3);
    } finally {
      await kernel.close();
      await runner.close();
      await system.shutdown();
      await Deno.remove(root, { recursive: true });
    }
  },
});
