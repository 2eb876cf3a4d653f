/**
 * Self-evolution through `deno task repl`, driven by piped stdin and the scripted model server:
 * history analysis from a cell and `:suggest`, manual approval answered on stdin ("n" leaves the
 * code pending, "y" saves and loads it), and `:save` then a new REPL process whose `:load` brings
 * the learned function back into the kernel and into search_tools.
 */
import assert from "node:assert/strict";
import {
  type ReceivedRequest,
  startScriptedModelServer,
} from "../testing/scripted_model_server.ts";
import { roleOf } from "../evolution/_fixtures.ts";
import { code, exists, repl, workdir } from "./_repl_fixture.ts";

const WEATHER = ["Paris", "Oslo", "Lima", "Rome"].flatMap((city, c) =>
  [0, 1, 2, 3].map((day) => ({ city, day, max: 10 + c * 4 + day * 1.5 }))
);
const workflow = (city: string) =>
  `let rows = weather.filter((r: { city: string }) => r.city === "${city}");\n` +
  `let maxes = rows.map((r: { max: number }) => r.max);\n` +
  `let avg = maxes.reduce((a: number, b: number) => a + b, 0) / maxes.length;\n` +
  `Math.round(avg * 10) / 10`;
const FUNCTION = `/**
 * Average of the daily maximum temperatures of one city, rounded to one decimal.
 * @param rows Daily weather rows.
 * @param city The city to average.
 * @returns The rounded average, or NaN when the city has no rows.
 */
export function city_average_max(rows: { city: string; max: number }[], city: string): number {
  const maxes = rows.filter((r) => r.city === city).map((r) => r.max);
  if (maxes.length === 0) return NaN;
  return Math.round((maxes.reduce((a, b) => a + b, 0) / maxes.length) * 10) / 10;
}
`;
const TESTS = `import assert from "node:assert/strict";
import { city_average_max } from "../functions/city_average_max.ts";
const rows = [{ city: "A", max: 10 }, { city: "A", max: 13 }, { city: "B", max: 1 }];
Deno.test("averages one city", () => assert.equal(city_average_max(rows, "A"), 11.5));
Deno.test("NaN for an unknown city", () => assert.ok(Number.isNaN(city_average_max(rows, "Z"))));
`;
const GENERATE = `const gen = await tools.generate_function({ name: "city_average_max", ` +
  `description: "Average daily maximum of one city", examples: [] });\n[gen.status, gen.reason, gen.remaining].join(" / ")`;

/** A model server: the orchestrator follows `turns`, the evolution sub-agents answer in role. */
function server(turns: ({ content: string } | ReturnType<typeof code>)[]) {
  let i = 0;
  return startScriptedModelServer({
    script: (req: ReceivedRequest) => {
      const messages = (req.body?.messages ?? []) as { role: string; content?: string }[];
      if (/^You are \w+, an autonomous agent/.test(String(messages[0]?.content))) {
        return turns[i++] ?? { content: "done" };
      }
      const role = roleOf(req);
      if (role === "code") return { content: "```ts\n" + FUNCTION + "```" };
      if (role === "tests") return { content: "```ts\n" + TESTS + "```" };
      return { content: "```json\n[]\n```" };
    },
  });
}

Deno.test({
  name: "manual approval answered n leaves the generated function pending and unloaded",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const w = await workdir();
    await using s = server([code(GENERATE), { content: "asked" }, code("typeof city_average_max")]);
    try {
      const out = await repl(s.url, w, ["make a function", "n", "is it there?", ":quit"]);
      assert.match(out, /Generated functions\/city_average_max\.ts:\n\s+1 \| \/\*\*/);
      assert.match(out, /Load it into the kernel\? \[y\/N\]/);
      assert.match(out, /left city_average_max pending/);
      assert.match(out, /result: "pending \//);
      assert.match(out, /result: "undefined"/, "not loaded into the kernel");
      assert.match(out, /Its test \(ran in the sandbox\):/, "the test is shown with the code");
      const pending = `${w.data}/evolution/pending/functions/city_average_max`;
      assert.ok(await exists(`${pending}/city_average_max.ts`));
      assert.ok(await exists(`${pending}/city_average_max_test.ts`));
      assert.equal(await exists(`${w.learned}/functions/city_average_max.ts`), false);
      assert.equal(await exists(`${w.learned}/tests`), false, "no test under learned_skills/");
    } finally {
      await Deno.remove(w.dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "a REPL session suggests, generates on y, saves; a new REPL :load brings the function back",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const w = await workdir();
    try {
      {
        await using s = server([
          code(`var weather = ${JSON.stringify(WEATHER)};\nweather.length`),
          { content: "loaded" },
          code(workflow("Paris")),
          code(workflow("Oslo")),
          code(workflow("Lima")),
          { content: "Paris 12.3, Oslo 16.3, Lima 20.3" },
          code(`const found = await tools.analyze_history({});\nfound.map((f) => f.occurrences)`),
          { content: "one pattern" },
          code(GENERATE),
          { content: "generated" },
          code(`city_average_max(weather, "Oslo")`),
          { content: "16.3" },
        ]);
        const out = await repl(s.url, w, [
          "load the weather",
          "average maximum for Paris, Oslo and Lima",
          "find repeated work",
          ":suggest",
          "make a function for it",
          "y",
          "use it for Oslo",
          ":save taught",
          ":quit",
        ]);
        assert.match(out, /result: \[\s*3\s*\]/, "analyze_history from a cell found 3 uses");
        assert.match(out, /1\. \w+: used 3x, ~\d+ tokens saved/, ":suggest");
        assert.match(out, /approved city_average_max/);
        assert.match(out, /result: "approved \//);
        assert.match(out, /result: 16\.3/, "loaded into the running kernel from the next cell");
        assert.match(out, /saved session "taught" .*\d+ variable\(s\), \d+ history record\(s\)/);
        assert.ok(await exists(`${w.learned}/functions/city_average_max.ts`));
        assert.ok(await exists(`${w.learned}/tests/city_average_max_test.ts`));
        const autoSaved = [];
        for await (const e of Deno.readDir(w.sessions)) {
          if (e.name.startsWith("repl-") && await exists(`${w.sessions}/${e.name}/session.json`)) {
            autoSaved.push(e.name);
          }
        }
        assert.equal(autoSaved.length, 1, "the session auto-saved under its id");
      }
      await using s2 = server([
        code(`await tools.search_tools({ query: "average maximum temperature of a city" })`),
        code(`city_average_max(weather, "Rome")`),
        { content: "Rome 24.3" },
      ]);
      const out = await repl(s2.url, w, [
        ":load taught",
        ":tools average maximum temperature of a city",
        "average for Rome",
        ":quit",
      ]);
      assert.match(out, /loaded "taught": .*restored weather/);
      assert.match(out, /learned functions: city_average_max/);
      const listed = out.slice(out.indexOf("> 1 tool(s) for"), out.indexOf("┌ code"));
      assert.match(listed, /Learned function[^]*function city_average_max\(/, ":tools finds it");
      assert.match(
        out,
        /result: "1 tool\(s\) for[^\n]*function city_average_max\(/,
        "search_tools from a cell finds it",
      );
      assert.match(out, /result: 24\.3/, "the loaded function runs in the new kernel");
    } finally {
      await Deno.remove(w.dir, { recursive: true });
    }
  },
});
