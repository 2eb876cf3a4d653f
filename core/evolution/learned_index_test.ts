/** Tests of indexing learned functions for search_tools. */
import assert from "node:assert/strict";
import { learnedAgentSpecs, learnedFunctionSpecs, tsToSchema } from "./learned_index.ts";
import { writeVersioned } from "./skill_file.ts";
import { GOOD_SLUG } from "./_fixtures.ts";
import { renderSignature, ToolSearch } from "../tools/mod.ts";

Deno.test("learned functions become searchable entries with their TypeScript signature", async () => {
  const dir = await Deno.makeTempDir({ prefix: "evo_index_" });
  try {
    await writeVersioned(`${dir}/functions`, "slugify", GOOD_SLUG, { model: "m", session: "s" });
    await writeVersioned(`${dir}/functions`, "slugify", GOOD_SLUG, { model: "m", session: "s" });
    const specs = await learnedFunctionSpecs(dir);
    assert.deepEqual(specs.map((s) => [s.name, s.source]), [[
      "slugify",
      "learned:functions/slugify.ts",
    ]]);
    const spec = specs[0]!;
    assert.deepEqual(spec.parameters, {
      type: "object",
      properties: { title: { type: "string" } },
      required: ["title"],
    });
    assert.match(spec.description, /URL slug/);
    assert.match(spec.description, /call it directly as `slugify\(title\)`/);
    const search = new ToolSearch();
    search.add(specs);
    assert.equal(search.search("make a url slug from a title", 3)[0]?.spec.name, "slugify");
    assert.match(
      renderSignature(spec),
      /\*\/\nfunction slugify\(title: string\): string;$/,
      "declared as it is called: positional, not tools.slugify(input)",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("an empty or missing learned folder indexes nothing", async () => {
  assert.deepEqual(await learnedFunctionSpecs("/nonexistent/learned"), []);
  assert.deepEqual(await learnedAgentSpecs("/nonexistent/learned"), []);
});

Deno.test("learned sub-agents are searchable as their call_subagent call", async () => {
  const dir = await Deno.makeTempDir({ prefix: "evo_index_" });
  try {
    await Deno.mkdir(`${dir}/agents/shouter`, { recursive: true });
    await Deno.writeTextFile(
      `${dir}/agents/shouter/agent.json`,
      JSON.stringify({ name: "shouter", description: "Upper-cases text" }),
    );
    await Deno.writeTextFile(`${dir}/agents/shouter/prompt.md`, "Shout.");
    await Deno.mkdir(`${dir}/agents/old`, { recursive: true });
    await Deno.writeTextFile(`${dir}/agents/old/config.ts`, "export default {};");
    const specs = await learnedAgentSpecs(dir);
    assert.deepEqual(specs.map((s) => s.name), ["shouter"], "old code-format folders are skipped");
    assert.match(
      renderSignature(specs[0]!),
      /function call_subagent\(name: "shouter", variable_name: string, instructions\?: string\)/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("TypeScript types map to loose JSON Schema", () => {
  assert.deepEqual(tsToSchema("number[]"), { type: "array", items: { type: "number" } });
  assert.deepEqual(tsToSchema("Promise<string>"), { type: "string" });
  assert.deepEqual(tsToSchema("Map<string, number>"), { description: "Map<string, number>" });
});
