/**
 * Scenario "process 100 transcripts" on the real kernel with the scripted model: the data is
 * loaded into the kernel once and reused by later cells; every request the model receives stays
 * under 5,000 tokens for the whole task (measured per request with the tokenizer, printed).
 */
import assert from "node:assert/strict";
import { countTokens } from "../model/tokens.ts";
import type { KernelPort } from "./kernel_port.ts";
import { realKernelFactory } from "./real_kernel.ts";
import { runTask } from "./run_task.ts";
import { codeReply, startHarness } from "./testing/harness.ts";
import { createToolRouter, registrySearch } from "./tool_router.ts";

const TOPICS = ["refund", "shipping delay", "password reset", "billing error", "upgrade"];

/** 100 synthetic support transcripts of 20-40 turns each. */
async function writeTranscripts(dir: string): Promise<number> {
  await Deno.mkdir(dir, { recursive: true });
  let bytes = 0;
  for (let i = 0; i < 100; i++) {
    const topic = TOPICS[i % TOPICS.length]!;
    const turns = Array.from(
      { length: 20 + (i % 21) },
      (_, t) =>
        t % 2
          ? `Agent: Thanks for waiting, I am checking the ${topic} for order ${1000 + i}.`
          : `Customer ${i}: I need help with a ${topic}; this is message ${t} of my request.`,
    );
    const text = turns.join("\n");
    bytes += text.length;
    await Deno.writeTextFile(`${dir}/t${String(i).padStart(3, "0")}.txt`, text);
  }
  return bytes;
}

Deno.test({
  name: "100 transcripts: data loaded once, every request under 5,000 tokens",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const root = await Deno.realPath(await Deno.makeTempDir({ prefix: "scenario-" }));
    const kernelFactory = realKernelFactory({
      sessionId: "scenario",
      rootDir: root,
      log: (await import("../log.ts")).memoryLogger().logger,
    }, "workspace-");
    const steps = [
      {
        toolCalls: [{
          id: "s1",
          name: "search_tools",
          arguments: { query: "count words in a text" },
        }],
      },
      codeReply(
        'const transcripts = [...Deno.readDirSync("transcripts")].sort((a, b) => a.name < b.name ? -1 : 1)\n' +
          '  .map((e) => ({ id: e.name, text: Deno.readTextFileSync("transcripts/" + e.name) }))\n' +
          "transcripts.length",
        "c1",
      ),
      codeReply("transcripts", "c2"), // a careless look at all the data: the observation is cut
      codeReply(
        "const counts = await Promise.all(transcripts.map((t) => tools.word_count({ text: t.text })))\n" +
          "const words = counts.map((c) => c.words)\n" +
          "({ total: words.reduce((a, b) => a + b, 0), max: Math.max(...words), min: Math.min(...words) })",
        "c3",
      ),
      codeReply(
        "const byTopic: Record<string, number> = {}\n" +
          'for (const t of transcripts) for (const k of ["refund", "shipping delay", "password reset", "billing error", "upgrade"]) if (t.text.includes(k)) byTopic[k] = (byTopic[k] ?? 0) + 1\n' +
          "byTopic",
        "c4",
      ),
      codeReply(
        "transcripts.filter((t) => t.text.includes('refund')).map((t) => t.id).slice(0, 5)",
        "c5",
      ),
      { content: "100 transcripts: 20 per topic; counts computed in the kernel." },
    ];
    await using h = await startHarness(steps);
    const holder: { kernel?: KernelPort } = {};
    const kernel = await kernelFactory(
      createToolRouter({ registry: h.registry, kernel: () => holder.kernel }),
    );
    holder.kernel = kernel;
    try {
      const bytes = await writeTranscripts(`${root}/workspace-1/transcripts`);
      const r = await runTask({
        task: "Analyse the 100 support transcripts in transcripts/: sizes and topics.",
        model: h.model,
        kernel,
        searchTools: registrySearch(h.registry),
        budgets: { maxSteps: 10 },
      });
      assert.equal(r.outcome, "final", r.detail);
      const requests = h.server.chatRequests();
      assert.equal(requests.length, steps.length);
      const perRequest: number[] = [];
      for (const req of requests) {
        perRequest.push(
          await countTokens(JSON.stringify(req.body?.messages) + JSON.stringify(req.body?.tools)),
        );
      }
      const dataTokens = await countTokens(
        Array.from(Deno.readDirSync(`${root}/workspace-1/transcripts`)).map((e) =>
          Deno.readTextFileSync(`${root}/workspace-1/transcripts/${e.name}`)
        ).join("\n"),
      );
      console.log(
        `data: ${bytes} characters, ${dataTokens} tokens; tokens per request: ${
          perRequest.join(", ")
        }; max ${Math.max(...perRequest)}`,
      );
      for (const [i, t] of perRequest.entries()) {
        assert.ok(t < 5_000, `request ${i + 1} has ${t} tokens`);
      }
      assert.ok(
        dataTokens > 5 * Math.max(...perRequest),
        "the data is far larger than any request",
      );
      const cells = kernel.history();
      assert.equal(
        cells.filter((c) => c.includes("readTextFileSync")).length,
        1,
        "the files are read once",
      );
      const tools = requests.at(-1)!.body!.messages as Array<{ role: string; content: string }>;
      const obs = tools.filter((m) => m.role === "tool").map((m) => m.content);
      assert.match(obs[1]!, /result: 100/);
      assert.match(obs[2]!, /more characters cut/);
      assert.match(obs[4]!, /refund"?: 20/);
      assert.match(obs[5]!, /t000\.txt/);
    } finally {
      await kernel.close();
      await Deno.remove(root, { recursive: true });
    }
  },
});
