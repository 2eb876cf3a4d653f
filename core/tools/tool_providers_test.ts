import assert from "node:assert/strict";
import { z } from "zod";
import { memoryLogger } from "../log.ts";
import { defineTool } from "../tool.ts";
import { openRegistry } from "./registry.ts";
import type { ProvidedTool } from "./tool_providers.ts";
import { parseToolsConfig } from "./tools_config.ts";

function tool(name: string, description: string, run = () => "ran"): ProvidedTool {
  const definition = defineTool({
    description,
    input: z.object({ n: z.number() }),
    run,
  });
  return {
    spec: {
      name,
      description,
      parameters: { type: "object", properties: { n: { type: "number" } }, required: ["n"] },
      source: "mcp:srv",
    },
    definition,
  };
}

Deno.test("provided tools are searchable, listed and called like file tools", async () => {
  const { logger, records } = memoryLogger();
  const registry = await openRegistry({ log: logger });
  registry.addProvider({ id: "mcp:srv", prefix: "srv." });
  registry.setProvided("mcp:srv", [tool("srv.add_numbers", "Add two numbers together")]);
  assert.equal((await registry.rank("add numbers"))[0]?.spec.name, "srv.add_numbers");
  assert.deepEqual(registry.list().map((r) => [r.name, r.source, r.runnable]), [
    ["srv.add_numbers", "mcp:srv", true],
  ]);
  const bad = await registry.call("srv.add_numbers", { n: "x" });
  assert.ok(!bad.ok && bad.error.code === "invalid_args");
  const good = await registry.call("srv.add_numbers", { n: 1 });
  assert.deepEqual(good.ok && good.value, "ran");
  assert.ok(records.some((r) => r.event === "tool_call" && r.tool === "srv.add_numbers"));
});

Deno.test("a new list from a provider replaces the old one in the index", async () => {
  const registry = await openRegistry({});
  registry.addProvider({ id: "mcp:srv", prefix: "srv." });
  registry.setProvided("mcp:srv", [tool("srv.old_weather", "Report the weather forecast")]);
  registry.setProvided("mcp:srv", [tool("srv.new_songs", "Play songs from a music library")]);
  assert.deepEqual(registry.names(), ["srv.new_songs"]);
  assert.equal((await registry.rank("weather forecast")).length, 0);
  const gone = await registry.call("srv.old_weather", { n: 1 });
  assert.ok(!gone.ok && gone.error.code === "unknown_tool");
  registry.removeProvider("mcp:srv");
  assert.deepEqual(registry.names(), []);
});

Deno.test("a lazy provider lists its tools at the first search or call of its names", async () => {
  const registry = await openRegistry({});
  let prepared = 0;
  registry.addProvider({
    id: "mcp:srv",
    prefix: "srv.",
    prepare: () => {
      prepared++;
      registry.setProvided("mcp:srv", [tool("srv.add_numbers", "Add two numbers together")]);
      return Promise.resolve();
    },
  });
  const r = await registry.call("srv.add_numbers", { n: 2 });
  assert.ok(r.ok);
  assert.equal(prepared, 1);
  await registry.rank("add");
  assert.equal(prepared, 2);
});

Deno.test("tools.yaml globs configure every tool of a server, exact names win", async () => {
  const config = parseToolsConfig(
    `tools:\n  "srv.*": { requiresApproval: true }\n  srv.safe: { requiresApproval: false }\n` +
      `  "other.*": { enabled: false }\n  srv.missing: {}\n`,
    "tools.yaml",
  );
  const asked: string[] = [];
  const registry = await openRegistry({
    config,
    approver: (req) => (asked.push(req.tool), false),
    providers: [{ id: "mcp:srv", prefix: "srv." }],
  });
  assert.deepEqual(registry.warnings.length, 1); // other.* names no tool or server
  registry.setProvided("mcp:srv", [tool("srv.safe", "Safe"), tool("srv.risky", "Risky")]);
  assert.ok((await registry.call("srv.safe", { n: 1 })).ok);
  const risky = await registry.call("srv.risky", { n: 1 });
  assert.ok(!risky.ok && risky.error.code === "denied");
  assert.deepEqual(asked, ["srv.risky"]);
  assert.ok(registry.warnings.some((w) => w.includes('"srv.missing"')));
  assert.ok(registry.warnings.some((w) => w.includes('"other.*"')));
});

Deno.test("providers with overlapping prefixes are refused", async () => {
  const registry = await openRegistry({});
  registry.addProvider({ id: "mcp:a", prefix: "a." });
  assert.throws(() => registry.addProvider({ id: "mcp:b", prefix: "a." }), /overlaps/);
});
