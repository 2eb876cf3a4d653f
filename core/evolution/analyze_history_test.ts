/** Tests of self-analysis: repeated cells are found, parameters inferred, savings estimated. */
import assert from "node:assert/strict";
import { analyzeHistory } from "./analyze_history.ts";
import { type HistoryRecord, parseHistory } from "./history_record.ts";

const cell = (code: string, ok = true): HistoryRecord => ({ kind: "cell", code, ok, ms: 5 });
const workflow = (city: string, unit: string) =>
  `const res = await tools.weather_lookup({ city: "${city}" });\n` +
  `const temps = res.days.map((d) => d.max);\n` +
  `const avg = temps.reduce((a, b) => a + b, 0) / temps.length;\n` +
  `console.log(\`\${avg.toFixed(1)} ${unit}\`);\navg`;

Deno.test("analysis finds a workflow repeated with different values and names its parameters", async () => {
  const records = [
    cell(workflow("Paris", "C")),
    cell("const x = 1 + 1; x"),
    cell(workflow("Oslo", "C")),
    cell(`await tools.memory_save({ text: "note" })`),
    cell(workflow("Lima", "F")),
  ];
  const [s, ...rest] = await analyzeHistory(records);
  assert.equal(rest.length, 0);
  assert.ok(s);
  assert.equal(s.occurrences, 3);
  assert.deepEqual(s.records, [0, 2, 4]);
  assert.equal(s.name, "weather_lookup");
  assert.deepEqual(
    s.parameters.map((p) => p.examples),
    [["Paris", "Oslo", "Lima"], [" C", " C", " F"]],
  );
  assert.ok(s.codeTokens > s.callTokens);
  assert.equal(s.estimatedTokensSaved, 3 * (s.codeTokens - s.callTokens));
  assert.equal(s.example, records[0]!.code);
});

Deno.test("analysis ignores failed cells, one-off cells and tool records", async () => {
  const records = [
    cell(workflow("Paris", "C")),
    cell(workflow("Oslo", "C"), false),
    { kind: "tool", code: "weather_lookup({})", ok: true, ms: 1 } as HistoryRecord,
  ];
  assert.deepEqual(await analyzeHistory(records), []);
});

Deno.test("analysis merges near-identical structures above the threshold only", async () => {
  const a = workflow("Paris", "C");
  const b = a.replace("console.log", "console.info");
  const c = a.replace("avg.toFixed(1)", "avg.toFixed(1).padStart(6)");
  const merged = await analyzeHistory([cell(a), cell(b), cell(c)], { threshold: 0.7 });
  assert.equal(merged[0]?.occurrences, 3);
  assert.ok(merged[0]!.cohesion < 1);
  const strict = await analyzeHistory([cell(a), cell(c)], { threshold: 0.99 });
  assert.deepEqual(strict, []);
});

Deno.test("analysis ranks suggestions by estimated savings", async () => {
  const small = `const r = await tools.memory_search({ query: "q" }); r.hits.length`;
  const records = [cell(small), cell(small), cell(workflow("A", "C")), cell(workflow("B", "C"))];
  const s = await analyzeHistory(records, { minTokens: 5 });
  assert.equal(s.length, 2);
  assert.ok(s[0]!.estimatedTokensSaved >= s[1]!.estimatedTokensSaved);
  assert.ok(s[0]!.name.startsWith("weather_lookup"));
});

Deno.test("history parsing names the bad record", () => {
  assert.throws(
    () => parseHistory([{ kind: "cell", code: "1", ok: true, ms: 1 }, { kind: "cell", ok: true }]),
    /Invalid history record at 1\.code/,
  );
});
