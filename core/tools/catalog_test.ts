import assert from "node:assert/strict";
import { LoadError } from "../errors.ts";
import { loadCatalog, parseCatalog } from "./catalog.ts";

const dir = new URL("./testdata/", import.meta.url).pathname;

Deno.test("catalog loads OpenAI function and tool schemas", async () => {
  const specs = await loadCatalog(`${dir}openai_catalog.json`);
  assert.deepEqual(specs.map((s) => s.name), ["get_weather", "math.factorial", "send_email"]);
  assert.equal(specs[0]?.description, "Get the current weather for a city");
  assert.deepEqual(specs[0]?.parameters.required, ["city"]);
});

Deno.test("catalog loads MCP tool definitions with input and output schemas", async () => {
  const specs = await loadCatalog(`${dir}mcp_catalog.json`);
  assert.deepEqual(specs.map((s) => s.name), ["read_file", "list_directory"]);
  assert.deepEqual(specs[1]?.returns?.required, ["entries"]);
});

Deno.test("catalog rejects an entry without a name, naming the file and the entry", () => {
  assert.throws(
    () => parseCatalog([{ name: "ok" }, { description: "x" }], "cat.json"),
    (e: unknown) => e instanceof LoadError && /cat\.json.*entry 1 has no "name"/.test(e.message),
  );
  assert.throws(() => parseCatalog({ items: [] }, "cat.json"), /expected an array of tools/);
});

Deno.test("catalog keeps the first definition of a duplicated name", () => {
  const specs = parseCatalog(
    [{ name: "a", description: "one" }, { name: "a", description: "two" }],
    "c",
  );
  assert.equal(specs.length, 1);
  assert.equal(specs[0]?.description, "one");
});
