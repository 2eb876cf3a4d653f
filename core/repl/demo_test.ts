/**
 * The shipped offline demo (`deno task repl --demo`): a fresh process replays
 * examples/demo.jsonl with no model endpoint, typing examples/demo_inputs.txt, and shows data
 * kept in the kernel, tool search, a sub-agent and a learned function approved with y.
 */
import assert from "node:assert/strict";

const ROOT = new URL("../..", import.meta.url).pathname;

Deno.test({
  name: "deno task repl --demo replays the orchestrator's main features offline",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const sessions = await Deno.makeTempDir({ prefix: "demo-test-" });
    try {
      const out = await new Deno.Command(Deno.execPath(), {
        args: ["task", "--quiet", "repl", "--demo", "--sessions", sessions],
        cwd: ROOT,
        clearEnv: true,
        env: {
          HOME: Deno.env.get("HOME") ?? "/",
          PATH: Deno.env.get("PATH") ?? "",
          ...(Deno.env.get("DENO_DIR") ? { DENO_DIR: Deno.env.get("DENO_DIR")! } : {}),
          NO_COLOR: "1",
        },
        stdin: "null",
      }).output();
      const stdout = new TextDecoder().decode(out.stdout);
      const stderr = new TextDecoder().decode(out.stderr);
      assert.doesNotMatch(
        stdout,
        /diverged|ran out of recorded steps/,
        "the demo no longer matches what the model sees: re-record it with " +
          "`deno run -A examples/record_demo.ts` and check the transcript\n" + stdout,
      );
      assert.equal(out.code, 0, stderr + stdout);
      assert.match(stdout, /\(replay\)/);
      assert.match(stdout, /> Load this quarter's sales figures/, "inputs are shown as typed");
      assert.match(stdout, /result: 6\n/, "data loaded into the kernel");
      assert.match(stdout, /revenue: 1715/, "worked on by name in a later task");
      assert.match(stdout, /search_tools\("count the words in a text"\)\n(?:│.*\n)*│.*word_count/);
      assert.match(stdout, /result: "- East doubled in February/, "the summarizer sub-agent");
      assert.match(stdout, /Load it into the kernel\? \[y\/N\] y\napproved region_revenue/);
      assert.match(stdout, /result: 2422\.5/, "the learned function runs from the next task");
      assert.match(stdout, /region_revenue: function/);
      assert.match(stdout, /End of the demo\. The kernel keeps its data/);
      assert.ok(
        (await Deno.stat(`${sessions}/demo/learned_skills/functions/region_revenue.ts`)).isFile,
        "the demo's learned function stays in its own folder",
      );
    } finally {
      await Deno.remove(sessions, { recursive: true });
    }
  },
});
