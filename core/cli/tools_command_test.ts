import assert from "node:assert/strict";
import { toolsCommand } from "./tools_command.ts";
import { UsageError } from "./command.ts";

const testdata = new URL("../tools/testdata/", import.meta.url).pathname;

async function capture(args: string[]): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const original = console.log;
  console.log = (...xs: unknown[]) => lines.push(xs.map(String).join(" "));
  try {
    const code = await toolsCommand.run(args);
    return { code, out: lines.join("\n") };
  } finally {
    console.log = original;
  }
}

Deno.test("tools search --json prints ranked results from a catalogue", async () => {
  const { code, out } = await capture([
    "search",
    "send a message by email",
    "--json",
    "--k",
    "2",
    "--dir",
    `${testdata}tools`,
    "--catalog",
    `${testdata}openai_catalog.json`,
  ]);
  assert.equal(code, 0);
  const parsed = JSON.parse(out) as {
    results: { name: string; score: number; description: string }[];
  };
  assert.equal(parsed.results[0]?.name, "send_email");
  assert.equal(parsed.results[0]?.description, "Send an email message to a recipient");
  assert.ok(parsed.results.length <= 2);
});

Deno.test("tools describe prints the declaration, or exits 1 for an unknown name", async () => {
  const args = ["--dir", `${testdata}tools`];
  const ok = await capture(["describe", "echo_text", ...args]);
  assert.equal(ok.code, 0);
  assert.match(ok.out, /function echo_text\(input: \{/);
  const bad = await capture(["describe", "echo_txt", ...args]);
  assert.equal(bad.code, 1);
  assert.match(bad.out, /did you mean "echo_text"/);
});

Deno.test("tools rejects an unknown action with a usage error", async () => {
  await assert.rejects(() => toolsCommand.run(["frobnicate"]), UsageError);
  await assert.rejects(() => toolsCommand.run(["search"]), /needs a query/);
});
