/** Tests of sub-agent definitions, the catalogue and value descriptions. */
import assert from "node:assert/strict";
import { findSubagent, listSubagents } from "./subagent_catalog.ts";
import { defineSubagent, subagentTask } from "./subagent_definition.ts";
import { capText, describeValue } from "./render_value.ts";

const ACTORS = new URL("../../actors", import.meta.url).pathname;

Deno.test("a definition with a bad field is rejected naming the field", () => {
  assert.throws(
    () => defineSubagent({ name: "Bad Name", description: "d", systemPrompt: "p" }, "actors/x.ts"),
    /Invalid actors\/x\.ts: name: use lower_snake_case/,
  );
  assert.throws(
    () =>
      defineSubagent({ name: "ok", description: "d", systemPrompt: "p", budgets: { maxSteps: 0 } }),
    /budgets\.maxSteps/,
  );
});

Deno.test("the catalogue finds the built-in summarizer and refuses path-like names", async () => {
  const dirs = { actorsDir: ACTORS, learnedDir: "/nonexistent" };
  assert.ok((await listSubagents(dirs)).includes("summarizer"));
  const entry = await findSubagent("summarizer", dirs);
  assert.equal(entry.definition.name, "summarizer");
  assert.equal(entry.generic, false);
  await assert.rejects(findSubagent("../etc", dirs), /not lower_snake_case/);
  await assert.rejects(findSubagent("memory", dirs), /exports no `definition`/);
});

Deno.test("a large input is described by shape, a small one is quoted whole", () => {
  const rows = Array.from({ length: 1000 }, (_, i) => ({ id: i, text: "x".repeat(100) }));
  const d = describeValue(rows);
  assert.match(d, /^Array\(1000\) of objects with keys id, text; first item:/);
  assert.ok(d.length < 600);
  const task = subagentTask({ variable: "rows", summary: d, large: true }, "Count them");
  assert.match(task, /^Count them\n\nInput \(from "rows"\): Array\(1000\)/);
  assert.match(task, /only|full data is in your kernel as the variable `input`/);
  assert.match(capText("abcdef", 3), /^abc\n… \[3 more characters cut/);
});
