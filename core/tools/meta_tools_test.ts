import assert from "node:assert/strict";
import { memoryLogger } from "../log.ts";
import { loadCatalog } from "./catalog.ts";
import { describeToolText, searchToolsText } from "./meta_tools.ts";
import { openRegistry } from "./registry.ts";

const testdata = new URL("./testdata/", import.meta.url).pathname;

async function registry() {
  const r = await openRegistry({ dir: `${testdata}tools`, log: memoryLogger().logger });
  r.addCatalog(await loadCatalog(`${testdata}openai_catalog.json`));
  r.addCatalog(await loadCatalog(`${testdata}mcp_catalog.json`));
  return r;
}

Deno.test("search_tools returns matching tools as TypeScript declarations", async () => {
  const text = await searchToolsText(await registry(), "echo some text back", 3);
  assert.match(text, /^1 tool\(s\) for "echo some text back"/);
  assert.match(
    text,
    /\/\*\* Echo a text back, optionally repeated \*\/\nfunction echo_text\(input: \{/,
  );
  assert.ok(text.includes("/** Text to echo */\n  text: string;"));
});

Deno.test("search_tools says nothing fits for an unrelated query", async () => {
  const text = await searchToolsText(await registry(), "bake a chocolate cake", 5);
  assert.equal(
    text,
    'No tool fits "bake a chocolate cake". Try other words, or do it in code without a tool.',
  );
});

Deno.test("search_tools always finds an exact name first", async () => {
  const r = await registry();
  assert.equal(r.search("send_email", 5)[0]?.name, "send_email");
  assert.equal(r.search("list_directory", 5)[0]?.name, "list_directory");
});

Deno.test("describe_tool renders one tool and suggests names for a typo", async () => {
  const r = await registry();
  assert.ok(describeToolText(r, "list_directory").endsWith("Promise<{\n  entries: string[];\n}>;"));
  assert.equal(
    describeToolText(r, "read_fil"),
    'Unknown tool "read_fil"; did you mean "read_file"?',
  );
});
