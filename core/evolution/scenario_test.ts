/**
 * The scenario, end to end with a scripted model, the real kernel, the real tool
 * registry and the orchestrator loop: a workflow is taught once (three similar cells), the
 * pattern is detected, a function is generated, tested, reviewed, approved and saved with the
 * session; a new session loads it, the model finds it with search_tools and calls it, and the
 * second run costs fewer tokens than the first (figures printed).
 */
import assert from "node:assert/strict";
import { memoryLogger } from "../log.ts";
import { OpenAIModelClient } from "../model/mod.ts";
import { startScriptedModelServer } from "../testing/scripted_model_server.ts";
import { openRegistry } from "../tools/mod.ts";
import { runTask } from "../agent/run_task.ts";
import { startRealKernel } from "../agent/real_kernel.ts";
import { createToolRouter, registrySearch } from "../agent/tool_router.ts";
import type { KernelPort } from "../agent/kernel_port.ts";
import { EvolutionService } from "./evolution_service.ts";
import { recordingSink } from "./history_recorder.ts";
import { roleOf } from "./_fixtures.ts";
import type { ApprovalRequest } from "./approval.ts";

const TOOLS_DIR = new URL("../../tools", import.meta.url).pathname;
const WEATHER = ["Paris", "Oslo", "Lima", "Rome"].flatMap((city, c) =>
  [0, 1, 2, 3].map((d) => ({ city, day: d, max: 10 + c * 4 + d * 1.5 }))
);

const workflow = (city: string) =>
  `// average daily maximum for ${city}\n` +
  `let rows = weather.filter((r: { city: string }) => r.city === "${city}");\n` +
  `let maxes = rows.map((r: { max: number }) => r.max);\n` +
  `let avg = maxes.reduce((a: number, b: number) => a + b, 0) / maxes.length;\n` +
  `console.log("${city}", avg);\nMath.round(avg * 10) / 10`;

const FUNCTION = `/** One day of weather for a city. */
export interface WeatherRow {
  city: string;
  max: number;
}

/**
 * Average of the daily maximum temperatures of one city, rounded to one decimal.
 * @param rows Daily weather rows.
 * @param city The city to average.
 * @returns The rounded average, or NaN when the city has no rows.
 */
export function city_average_max(rows: WeatherRow[], city: string): number {
  const maxes = rows.filter((r) => r.city === city).map((r) => r.max);
  if (maxes.length === 0) return NaN;
  return Math.round((maxes.reduce((a, b) => a + b, 0) / maxes.length) * 10) / 10;
}
`;

const TESTS = `import assert from "node:assert/strict";
import { city_average_max } from "../functions/city_average_max.ts";
const rows = [{ city: "A", max: 10 }, { city: "A", max: 13 }, { city: "B", max: 1 }];
Deno.test("city_average_max averages one city's maxima", () => assert.equal(city_average_max(rows, "A"), 11.5));
Deno.test("city_average_max is NaN for an unknown city", () => assert.ok(Number.isNaN(city_average_max(rows, "Z"))));
`;

const code = (c: string, id = "c1") => ({
  toolCalls: [{ id, name: "execute_code", arguments: { code: c } }],
});

Deno.test({
  name: "a taught workflow becomes a learned function that a new session finds and uses",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const root = await Deno.realPath(await Deno.makeTempDir({ prefix: "evo_scenario_" }));
    const learnedDir = `${root}/learned_skills`;
    const sessionsDir = `${root}/sessions`;
    let phase: "teach" | "reuse" = "teach";
    const turns = { teach: 0, reuse: 0 };
    const server = startScriptedModelServer({
      script: (req) => {
        const messages = (req.body?.messages ?? []) as { role: string; content?: string }[];
        if (String(messages[0]?.content).startsWith("You are Autoliza")) {
          const i = turns[phase]++;
          if (phase === "teach") {
            return [code(workflow("Paris")), code(workflow("Oslo")), code(workflow("Lima"))][i] ??
              { content: "Paris 12.3, Oslo 16.3, Lima 20.3" };
          }
          return [
            {
              toolCalls: [{
                id: "s1",
                name: "search_tools",
                arguments: { query: "average maximum temperature of a city" },
              }],
            },
            code(`city_average_max(weather, "Rome")`),
          ][i] ?? { content: "Rome 24.3" };
        }
        const role = roleOf(req);
        if (role === "code") return { content: "```ts\n" + FUNCTION + "```" };
        if (role === "tests") return { content: "```ts\n" + TESTS + "```" };
        return { content: "```json\n[]\n```" };
      },
    });
    const model = new OpenAIModelClient({
      baseUrl: server.url,
      apiKey: "k",
      model: "scripted",
      maxRetries: 0,
      toolMode: "native",
    });
    const log = memoryLogger().logger;
    const registry = await openRegistry({ dir: TOOLS_DIR, log });
    const kernels: KernelPort[] = [];

    const session = async (id: string) => {
      const workspaceDir = `${root}/${id}/workspace`;
      await Deno.mkdir(workspaceDir, { recursive: true });
      const holder: { kernel?: KernelPort } = {};
      const asked: ApprovalRequest[] = [];
      const service = new EvolutionService({
        model,
        approval: "manual",
        maxRefinements: 2,
        approver: (r) => {
          asked.push(r);
          return Promise.resolve(true); // the person at the REPL says yes
        },
        learnedDir,
        dataDir: `${root}/data`,
        sessionsDir,
        workspaceDir,
        sessionId: id,
        kernel: () => holder.kernel,
        conversation: () => [],
        addSearchEntries: (specs) => registry.addCatalog(specs),
        toolNames: () => registry.names(),
        log,
      });
      const callTool = createToolRouter({
        registry,
        kernel: () => holder.kernel,
        services: { evolution: service },
      });
      holder.kernel = await startRealKernel({
        sessionId: id,
        workspaceDir,
        learnedSkillsDir: learnedDir,
        log,
      }, callTool);
      kernels.push(holder.kernel);
      return { service, kernel: holder.kernel, asked };
    };

    try {
      // Session A: teach the workflow once, for three cities.
      const a = await session("A");
      await a.kernel.setVariable("weather", WEATHER);
      const first = await runTask({
        task: "Average daily maximum temperature for Paris, Oslo and Lima",
        model,
        kernel: a.kernel,
        searchTools: registrySearch(registry),
        onEvent: recordingSink(a.service, { autoSave: "A-autosave" }),
      });
      assert.equal(first.outcome, "final", first.detail);
      assert.equal(a.service.history.length, 3);
      assert.ok(a.service.history.every((h) => h.ok && h.tokens !== undefined));

      // The pattern is detected.
      const [suggestion] = await a.service.analyzeHistory();
      assert.ok(suggestion, "a suggestion");
      assert.equal(suggestion.occurrences, 3);
      assert.deepEqual(suggestion.parameters[0]?.examples.slice(0, 3), ["Paris", "Oslo", "Lima"]);

      // Generated (with approval), tested, reviewed, written; then the session is saved.
      const gen = await a.service.generateFunction(
        "city_average_max",
        "Average of the daily maximum temperatures of one city, rounded to one decimal",
        [
          { input: 'city_average_max(weather, "Paris")', output: "12.3" },
        ],
      );
      assert.equal(gen.status, "approved", gen.reason);
      assert.equal(a.asked.length, 1, "the person was asked once");
      assert.equal(gen.rounds.at(-1)?.tests?.passed, 2);
      await a.service.settled();
      const inA = await a.kernel.execute(`city_average_max(weather, "Oslo")`);
      assert.equal(inA.value, 16.3, "loaded into the running kernel at once");
      await a.service.saveSession("taught");
      await a.service.settled();
      await Deno.stat(`${sessionsDir}/A-autosave/session.json`); // auto-saved after each cell

      // Session B: a fresh kernel loads the saved session, finds the function and calls it.
      phase = "reuse";
      const b = await session("B");
      const loaded = await b.service.loadSession("taught");
      assert.deepEqual(loaded.functions, ["city_average_max"]);
      assert.deepEqual(loaded.lost, []);
      assert.ok(loaded.restored.includes("weather"));
      let searchText = "";
      const second = await runTask({
        task: "Average daily maximum temperature for Rome",
        model,
        kernel: b.kernel,
        searchTools: registrySearch(registry),
        onEvent: (e) => {
          if (e.type === "search") searchText = e.observation;
        },
      });
      assert.equal(second.outcome, "final", second.detail);
      assert.match(searchText, /city_average_max/);
      const rome = await b.kernel.execute(`city_average_max(weather, "Rome")`);
      assert.equal(rome.value, 24.3);

      const t1 = first.usage.promptTokens + first.usage.completionTokens;
      const t2 = second.usage.promptTokens + second.usage.completionTokens;
      const genTokens = gen.usage.promptTokens + gen.usage.completionTokens;
      console.log(
        `scenario tokens: first run ${t1} (${first.usage.requests} requests), ` +
          `second run ${t2} (${second.usage.requests} requests), ` +
          `one-off generation ${genTokens} (${gen.usage.requests} sub-agent requests)`,
      );
      assert.ok(t2 < t1, `second run (${t2}) should cost fewer tokens than the first (${t1})`);
    } finally {
      for (const k of kernels) await k.close();
      await server.close();
      await Deno.remove(root, { recursive: true });
    }
  },
});
