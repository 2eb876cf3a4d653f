/** Tests of the tool router: helpers, registry calls, allow-lists and bad arguments. */
import assert from "node:assert/strict";
import { memoryLogger } from "../log.ts";
import { openRegistry } from "../tools/registry.ts";
import { FakeKernel } from "./testing/fake_kernel.ts";
import { TOOLS_DIR } from "./testing/harness.ts";
import { createToolRouter } from "./tool_router.ts";

const registry = await openRegistry({ dir: TOOLS_DIR, log: memoryLogger().logger });

Deno.test("router runs registry tools and answers search and describe", async () => {
  const call = createToolRouter({ registry, kernel: () => undefined });
  assert.deepEqual(await call("word_count", { text: "a b c" }), {
    ok: true,
    value: { words: 3, lines: 1, characters: 5 },
  });
  const found = await call("search_tools", { query: "count the words of a text" });
  assert.ok(found.ok && String(found.value).includes("word_count"));
  const described = await call("describe_tool", { name: "word_cont" });
  assert.ok(described.ok && /did you mean "word_count"/.test(String(described.value)));
});

Deno.test("router reports bad arguments and unknown tools as failures", async () => {
  const call = createToolRouter({ registry, kernel: () => undefined });
  const bad = await call("word_count", { txt: 1 });
  assert.equal(bad.ok, false);
  assert.equal(!bad.ok && bad.error.code, "invalid_args");
  const unknown = await call("no_such_tool", {});
  assert.equal(!unknown.ok && unknown.error.code, "unknown_tool");
  const noQuery = await call("search_tools", { q: "x" });
  assert.match(!noQuery.ok ? noQuery.error.message : "", /query must be a string/);
  const noSub = await call("call_subagent", { name: "summarizer", variable_name: "x" });
  assert.match(!noSub.ok ? noSub.error.message : "", /not available here/);
});

Deno.test("an allow-list hides and refuses every other tool", async () => {
  const call = createToolRouter({ registry, kernel: () => undefined, allow: ["current_time"] });
  const refused = await call("word_count", { text: "a" });
  assert.match(!refused.ok ? refused.error.message : "", /not available here/);
  const found = await call("search_tools", { query: "count the words of a text" });
  assert.ok(found.ok && !String(found.value).includes("word_count"));
});

Deno.test("list_variables and inspect_variable read the router's kernel", async () => {
  const holder: { kernel?: FakeKernel } = {};
  const call = createToolRouter({ registry, kernel: () => holder.kernel });
  holder.kernel = new FakeKernel(call);
  await holder.kernel.execute("const rows = [1, 2, 3]");
  const vars = await call("list_variables", {});
  assert.deepEqual(vars.ok && vars.value, [{
    name: "rows",
    type: "Array(3)",
    summary: "[ 1, 2, 3 ]",
  }]);
  const missing = await call("inspect_variable", { name: "nope" });
  assert.match(!missing.ok ? missing.error.message : "", /No variable named "nope"/);
});
