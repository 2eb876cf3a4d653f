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

Deno.test("tools search uses the local sentence encoder unless --no-embed", async () => {
  const dataDir = await Deno.makeTempDir();
  const before = Deno.env.get("DATA_DIR");
  Deno.env.set("DATA_DIR", dataDir);
  try {
    const tools = new URL("../../tools", import.meta.url).pathname;
    const query = ["search", "post a message to the blackboard", "--json", "--dir", tools];
    const first = (out: string) => (JSON.parse(out) as { results: { name: string }[] }).results[0];
    // Keywords alone: "post" and "message" pull the HTTP POST tool up.
    assert.equal(first((await capture([...query, "--no-embed"])).out)?.name, "make_api_post");
    // The encoder knows a blackboard is what update_scb writes to.
    assert.equal(first((await capture(query)).out)?.name, "update_scb");
    // Tool vectors were kept for the next start.
    const saved = JSON.parse(await Deno.readTextFile(`${dataDir}/tool_vectors.json`));
    assert.equal(saved.model, "universal-sentence-encoder-lite");
    assert.ok(Object.keys(saved.vectors).some((t) => t.startsWith("update scb:")));
  } finally {
    if (before === undefined) Deno.env.delete("DATA_DIR");
    else Deno.env.set("DATA_DIR", before);
    await Deno.remove(dataDir, { recursive: true });
  }
});
