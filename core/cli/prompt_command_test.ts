/** Tests of `cli prompt`. */
import assert from "node:assert/strict";
import { makePromptCommand } from "./prompt_command.ts";
import { UsageError } from "./command.ts";

function run(args: string[]) {
  let out = "";
  const cmd = makePromptCommand({ out: (t) => void (out += t) });
  return cmd.run(args).then((code) => ({ code, out }));
}

Deno.test("prompt --stats --json reports the initial context under 1,000 tokens", async () => {
  const { code, out } = await run(["--stats", "--json"]);
  assert.equal(code, 0);
  const { tokens } = JSON.parse(out) as { tokens: number };
  console.log(`initial context: ${tokens} tokens`);
  assert.ok(tokens > 100 && tokens <= 1_000, `tokens = ${tokens}`);
});

Deno.test("prompt prints the system prompt and both meta-tools", async () => {
  const { out } = await run([]);
  assert.match(out, /execute_code/);
  assert.match(out, /search_tools/);
  assert.match(out, /call_subagent/);
});

Deno.test("prompt rejects a stray argument", async () => {
  await assert.rejects(run(["extra"]), UsageError);
});
