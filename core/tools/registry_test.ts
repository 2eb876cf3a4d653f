import assert from "node:assert/strict";
import { join } from "node:path";
import { memoryLogger } from "../log.ts";
import { openRegistry, type RegistryOptions } from "./registry.ts";
import { parseToolsConfig } from "./tools_config.ts";

const dir = new URL("./testdata/tools", import.meta.url).pathname;

function open(extra: Partial<RegistryOptions> = {}) {
  const { logger, records } = memoryLogger();
  return openRegistry({ dir, log: logger, ...extra }).then((registry) => ({ registry, records }));
}

Deno.test("registry call validates arguments and names the bad field", async () => {
  const { registry } = await open();
  const r = await registry.call("echo_text", { text: 42 });
  assert.equal(r.ok, false);
  assert.ok(!r.ok && r.error.code === "invalid_args");
  assert.ok(
    !r.ok &&
      /tool "echo_text".*field "text": expected string, received number/.test(r.error.message),
  );
});

Deno.test("registry call returns the value, timed and logged", async () => {
  const { registry, records } = await open();
  const r = await registry.call("echo_text", { text: "ab", times: 2 });
  assert.deepEqual(r.ok && r.value, { echoed: "abab" });
  assert.ok(r.ms >= 0);
  const log = records.find((x) => x.event === "tool_call");
  assert.equal(log?.tool, "echo_text");
  assert.equal(log?.ok, true);
});

Deno.test("registry call of an unknown tool lists close names instead of throwing", async () => {
  const { registry } = await open();
  const r = await registry.call("echo_txt", {});
  assert.ok(!r.ok && r.error.code === "unknown_tool");
  assert.ok(!r.ok && r.error.message.includes('did you mean "echo_text"'));
});

Deno.test("registry call times out through the abort signal", async () => {
  const { registry } = await open();
  const r = await registry.call("slow_wait", { ms: 10_000 });
  assert.ok(!r.ok && r.error.code === "timeout");
  assert.ok(!r.ok && r.error.message.includes("timed out after 50 ms"));
});

Deno.test("registry call of an approval tool is denied by default with a clear message", async () => {
  const { registry } = await open();
  const r = await registry.call("delete_file", { path: "a.txt" });
  assert.ok(!r.ok && r.error.code === "denied");
  assert.ok(!r.ok && /requires approval/.test(r.error.message));
});

Deno.test("registry call runs an approval tool when the approver says yes", async () => {
  const asked: unknown[] = [];
  const { registry } = await open({ approver: (req) => (asked.push(req), true) });
  const r = await registry.call("delete_file", { path: "a.txt" });
  assert.deepEqual(r.ok && r.value, { deleted: "a.txt" });
  assert.deepEqual(asked, [{ tool: "delete_file", args: { path: "a.txt" } }]);
});

Deno.test("registry call turns a throwing tool into an error result", async () => {
  const { registry } = await open();
  const r = await registry.call("fail_always", {});
  assert.ok(!r.ok && r.error.code === "failed" && r.error.message.includes("disk on fire"));
});

Deno.test("registry call is cancelled by the caller's signal", async () => {
  const { registry } = await open();
  const controller = new AbortController();
  const pending = registry.call("slow_wait", { ms: 10_000 }, { signal: controller.signal });
  controller.abort();
  const r = await pending;
  assert.ok(!r.ok && r.error.code === "aborted");
});

Deno.test("tools config disables tools, passes params and overrides policy", async () => {
  const config = parseToolsConfig(
    "tools:\n  echo_text: { params: { prefix: '> ' } }\n  fail_always: { enabled: false }\n" +
      "  slow_wait: { timeoutMs: 5000 }\n  ghost: {}\n  delete_file: { requiresApproval: false }\n",
    "tools.yaml",
  );
  const { registry } = await open({ config, configPath: "tools.yaml" });
  const echo = await registry.call("echo_text", { text: "hi" });
  assert.deepEqual(echo.ok && echo.value, { echoed: "> hi" });
  const off = await registry.call("fail_always", {});
  assert.ok(!off.ok && off.error.code === "disabled");
  assert.equal(registry.search("fail_always", 5).length, 0, "disabled tools are not searchable");
  assert.equal(registry.list().find((t) => t.name === "slow_wait")?.timeoutMs, 5000);
  const del = await registry.call("delete_file", { path: "x" });
  assert.equal(del.ok, true);
  assert.deepEqual(registry.warnings, [
    'tools config in "tools.yaml" configures "ghost" but there is no such tool',
  ]);
});

Deno.test("registry keeps load errors and still serves the good tools", async () => {
  const { registry } = await open();
  assert.equal(registry.loadErrors.length, 2);
  assert.deepEqual(registry.list().map((t) => t.name).sort(), [
    "delete_file",
    "echo_text",
    "fail_always",
    "slow_wait",
  ]);
});

Deno.test("registry reload picks up added, edited and deleted tool files", async () => {
  const tmp = await Deno.makeTempDir();
  const write = (name: string, description: string) =>
    Deno.writeTextFile(
      join(tmp, `${name}.ts`),
      'import { z } from "zod";\n' +
        `export default { description: ${JSON.stringify(description)}, input: z.object({}), ` +
        `run: () => ${JSON.stringify(description)} };\n`,
    );
  try {
    await write("alpha", "first version");
    const { registry } = await open({ dir: tmp });
    assert.deepEqual(registry.list().map((t) => t.name), ["alpha"]);
    await write("alpha", "second version");
    await write("beta", "brand new tool");
    await registry.reload();
    const r = await registry.call("alpha", {});
    assert.equal(r.ok && r.value, "second version");
    assert.equal(registry.search("brand new", 1)[0]?.name, "beta");
    await Deno.remove(join(tmp, "beta.ts"));
    await registry.reload();
    assert.deepEqual(registry.search("brand new", 1), []);
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});

Deno.test("registry catalogue entries are searchable but not runnable", async () => {
  const { registry } = await open();
  registry.addCatalog([{
    name: "get_weather",
    description: "Get the current weather for a city",
    parameters: { type: "object" },
    source: "catalog:x.json",
  }]);
  assert.equal(registry.search("weather in Paris", 3)[0]?.name, "get_weather");
  const r = await registry.call("get_weather", {});
  assert.ok(!r.ok && r.error.code === "not_runnable");
});

/** Embeds "removing files" and "pausing" as two concepts; can be made to fail. */
function conceptEmbedder(fail = false) {
  const calls: string[][] = [];
  return {
    calls,
    model: "concepts",
    closed: false,
    embed(texts: string[]) {
      calls.push(texts);
      if (fail) return Promise.reject(new Error("the sentence encoder could not load its model"));
      return Promise.resolve(texts.map((t) => [
        /delete|erase|wipe|remove/i.test(t) ? 1 : 0,
        /wait|pause|sleep/i.test(t) ? 1 : 0,
      ]));
    },
    close() {
      this.closed = true;
    },
  };
}

Deno.test("registry rank fuses semantic search when an embedder is configured", async () => {
  const embedder = conceptEmbedder();
  const { registry } = await open({ semantic: { embedder } });
  assert.deepEqual(registry.search("wipe out my notes", 3), []);
  assert.deepEqual((await registry.rank("wipe out my notes", 3)).map((h) => h.name), [
    "delete_file",
  ]);
  // Tools are embedded once; later queries only embed the query.
  const embeddedTools = embedder.calls.flat().length;
  await registry.rank("pause for a bit", 3);
  assert.equal(embedder.calls.flat().length, embeddedTools + 1);
  registry.close();
  assert.equal(embedder.closed, true);
});

Deno.test("registry rank falls back to keywords when the embedder fails, and says so once", async () => {
  const embedder = conceptEmbedder(true);
  const { registry, records } = await open({ semantic: { embedder } });
  assert.deepEqual((await registry.rank("echo a text", 3)).map((h) => h.name)[0], "echo_text");
  assert.deepEqual((await registry.rank("echo a text", 3)).map((h) => h.name)[0], "echo_text");
  const warnings = records.filter((r) => r.event === "semantic_tool_search_off");
  assert.equal(warnings.length, 1);
  assert.match(String(warnings[0]!.error), /could not load its model/);
  assert.equal(embedder.calls.length, 1, "a failed embedder is not retried on every query");
});

Deno.test("registry rank without an embedder is keyword search", async () => {
  const { registry } = await open();
  assert.deepEqual(
    (await registry.rank("echo a text", 3)).map((h) => h.name),
    registry.search("echo a text", 3).map((h) => h.name),
  );
});

Deno.test("registry rank: concurrent first searches embed each tool once", async () => {
  const embedder = conceptEmbedder();
  const { registry } = await open({ semantic: { embedder } });
  await Promise.all([registry.rank("wipe my notes", 3), registry.rank("pause a while", 3)]);
  const texts = embedder.calls.flat();
  assert.equal(texts.length, registry.names().length + 2);
  assert.equal(new Set(texts).size, texts.length);
});
