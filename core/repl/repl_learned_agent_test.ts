/**
 * A sub-agent generated in one REPL (approved with "y" on stdin) is saved with the session and
 * answers call_subagent in a new REPL process after `:load`.
 */
import assert from "node:assert/strict";
import {
  type ReceivedRequest,
  startScriptedModelServer,
} from "../testing/scripted_model_server.ts";
import { SUBAGENT_WRITER_PROMPT } from "../evolution/generate_subagent.ts";
import { code, exists, repl, workdir } from "./_repl_fixture.ts";

/** Orchestrator turns in order; the writer writes a shouter prompt; the shouter upper-cases. */
function server(turns: ({ content: string } | ReturnType<typeof code>)[]) {
  let i = 0;
  return startScriptedModelServer({
    script: (req: ReceivedRequest) => {
      const messages = (req.body?.messages ?? []) as { role: string; content?: string }[];
      const system = String(messages[0]?.content);
      if (/^You are \w+, an autonomous agent/.test(system)) {
        return turns[i++] ?? { content: "done" };
      }
      if (system === SUBAGENT_WRITER_PROMPT) {
        return { content: "You are a shouter. Reply with the input in upper case." };
      }
      if (system.startsWith("You are a shouter.")) {
        return messages.length === 2
          ? code("input.toUpperCase()")
          : { content: String(messages.at(-1)?.content).replace("result: ", "") };
      }
      return { content: "```json\n[]\n```" };
    },
  });
}

Deno.test({
  name: "a sub-agent approved in one REPL answers call_subagent in a new REPL after :load",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const w = await workdir();
    try {
      {
        await using s = server([
          code(
            `const a = await tools.generate_subagent({ name: "shouter", ` +
              `purpose: "Upper-cases text", tools: [] });\na.status`,
          ),
          { content: "made" },
        ]);
        const out = await repl(s.url, w, ["make a shouter", "y", ":save with_agent", ":quit"]);
        assert.match(out, /Generated agents\/shouter\/:[^]*\[y\/N\]/);
        assert.match(out, /approved shouter/);
        assert.match(out, /result: "approved"/);
        assert.ok(await exists(`${w.learned}/agents/shouter/config.ts`));
      }
      await using s2 = server([
        code(`const s = "quiet words";\nawait call_subagent("shouter", "s");\nshouter_result`),
        { content: "QUIET WORDS" },
      ]);
      const out = await repl(s2.url, w, [":load with_agent", "shout it", ":quit"]);
      assert.match(out, /loaded "with_agent": \d+ message\(s\)/);
      assert.doesNotMatch(out, /lost .*agents\/shouter/);
      assert.match(out, /│ result: .*QUIET WORDS/, "the sub-agent upper-cased the input");
      const subRequests = s2.chatRequests().filter((r) =>
        String((r.body?.messages as { content?: string }[])[0]?.content).startsWith("You are a sh")
      );
      assert.ok(subRequests.length >= 1, "the learned sub-agent was asked");
    } finally {
      await Deno.remove(w.dir, { recursive: true });
    }
  },
});
