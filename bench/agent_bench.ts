/**
 * Orchestrator benchmark: the initial context's tokens (system prompt + two meta-tools) and the
 * overhead of `call_subagent` excluding model time (spawn a worker actor, fresh kernel, hand the
 * variable over, capability round trips, stop), against the scripted server. Bounded; medians.
 * Run: deno run --no-prompt --unstable-worker-options -A bench/agent_bench.ts
 */
import { ActorSystem } from "../core/actor_system.ts";
import { initialContextTokens } from "../core/agent/context_stats.ts";
import { SubagentRunner } from "../core/agent/subagent_runner.ts";
import { fakeKernelFactory } from "../core/agent/testing/fake_kernel.ts";
import type { KernelFactory, KernelPort } from "../core/agent/kernel_port.ts";
import { createToolRouter } from "../core/agent/tool_router.ts";
import { realKernelFactory } from "../core/agent/real_kernel.ts";
import { codeReply } from "../core/agent/testing/harness.ts";
import { memoryLogger } from "../core/log.ts";
import { OpenAIModelClient } from "../core/model/openai_client.ts";
import { startScriptedModelServer } from "../core/testing/scripted_model_server.ts";
import { openRegistry } from "../core/tools/registry.ts";

/** Overhead of call_subagent excluding model time, in ms. */
export interface SubagentFigures {
  /** One model request per call (the sub-agent answers at once). */
  subagentOverheadMs: { median: number; p95: number; n: number; firstCallMs: number };
  /** One execute_code step in the sub-agent (two model requests). */
  subagentWithCellOverheadMs: { median: number; p95: number; n: number };
}

/** The figures this benchmark reports, with the in-process fake kernel and the real one. */
export interface AgentBenchResult {
  initialContextTokens: number;
  fakeKernel: SubagentFigures;
  realKernel: SubagentFigures & {
    /** `await call_subagent(...)` timed from a real orchestrator cell, minus model time. */
    fromCellOverheadMs: { median: number; p95: number; n: number };
  };
}

/**
 * Runs the benchmark; `calls` sub-agent calls per variant after one warm-up, `gapMs` apart (the
 * orchestrator's own model time between calls, not counted; it lets the spare actor load).
 */
export async function agentBench(calls = 15, gapMs = 1_000): Promise<AgentBenchResult> {
  const root = await Deno.realPath(await Deno.makeTempDir({ prefix: "agent-bench-" }));
  try {
    const fake = await subagentBench(fakeKernelFactory, calls, gapMs);
    const factory = realKernelFactory({
      sessionId: "bench",
      rootDir: root,
      log: memoryLogger().logger,
    });
    const real = await subagentBench(factory, calls, gapMs, true) as AgentBenchResult["realKernel"];
    return {
      initialContextTokens: await initialContextTokens(),
      fakeKernel: fake,
      realKernel: real,
    };
  } finally {
    await Deno.remove(root, { recursive: true });
  }
}

async function subagentBench(
  kernelFactory: KernelFactory,
  calls: number,
  gapMs: number,
  fromCell = false,
) {
  let withCell = false;
  await using server = startScriptedModelServer({
    script: (req) => {
      const messages = (req.body?.messages ?? []) as unknown[];
      return withCell && messages.length === 2 ? codeReply("input.length") : { content: "summary" };
    },
  });
  const model = new OpenAIModelClient({
    baseUrl: server.url,
    apiKey: "x",
    model: "m",
    maxRetries: 0,
    toolMode: "native",
  });
  const actorsDir = new URL("../actors", import.meta.url).pathname;
  const registry = await openRegistry({
    dir: new URL("../tools", import.meta.url).pathname,
    log: memoryLogger().logger,
  });
  const system = new ActorSystem({ log: memoryLogger().logger, actorsDir });
  const runner = new SubagentRunner({
    system,
    model,
    registry,
    kernelFactory,
    actorsDir,
    learnedDir: "/nonexistent",
  });
  const notes = Array.from({ length: 200 }, (_, i) => `line ${i} of the notes`);
  try {
    const t0 = performance.now();
    await runner.call("summarizer", "notes", notes);
    const firstCallMs = performance.now() - t0;
    const sample = async () => {
      const out: number[] = [];
      for (let i = 0; i < calls; i++) {
        await new Promise((r) => setTimeout(r, gapMs));
        await runner.call("summarizer", "notes", notes);
        out.push(runner.lastCall!.overheadMs);
      }
      return stats(out);
    };
    const cellSample = async () => {
      const holder: { kernel?: KernelPort } = {};
      const parent = await kernelFactory(createToolRouter({
        registry,
        kernel: () => holder.kernel,
        callSubagent: (n, v, value, i) => runner.call(n, v, value, i),
      }));
      holder.kernel = parent;
      await parent.execute(`const notes = ${JSON.stringify(notes)}`);
      const out: number[] = [];
      for (let i = 0; i < calls; i++) {
        await new Promise((r) => setTimeout(r, gapMs));
        const r = await parent.execute(`await call_subagent("summarizer", "notes")`);
        if (!r.ok) throw new Error(`call_subagent failed: ${r.error?.message}`);
        out.push(r.ms - runner.lastCall!.modelMs);
      }
      await parent.close();
      return stats(out);
    };
    const plain = await sample();
    const fromCellOverheadMs = fromCell ? await cellSample() : undefined;
    withCell = true;
    const cell = await sample();
    return {
      subagentOverheadMs: { ...plain, firstCallMs: round(firstCallMs) },
      subagentWithCellOverheadMs: cell,
      ...(fromCellOverheadMs ? { fromCellOverheadMs } : {}),
    };
  } finally {
    await runner.close();
    await system.shutdown();
  }
}

function stats(ms: number[]) {
  const s = [...ms].sort((a, b) => a - b);
  const at = (q: number) => round(s[Math.min(s.length - 1, Math.floor(q * s.length))]!);
  return { median: at(0.5), p95: at(0.95), n: s.length };
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}

if (import.meta.main) console.log(JSON.stringify(await agentBench(), null, 2));
