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
        assert.ok(await exists(`${w.learned}/agents/shouter/agent.json`));
      }
      await using s2 = server([
        code(`const s = "quiet words";\nawait call_subagent("shouter", "s");\nshouter_result`),
        { content: "QUIET WORDS" },
      ]);
      const out = await repl(s2.url, w, [":load with_agent", "shout it", ":quit"]);
      assert.match(out, /loaded "with_agent": \d+ message\(s\)/);
      assert.doesNotMatch(out, /lost .*agents\/shouter/);
      assert.match(out, /│ result: .*QUIET WORDS/, `the sub-agent upper-cased the input:\n${out}`);
      const subRequests = s2.chatRequests().filter((r) =>
        String((r.body?.messages as { content?: string }[])[0]?.content).startsWith("You are a sh")
      );
      assert.ok(subRequests.length >= 1, "the learned sub-agent was asked");
    } finally {
      await Deno.remove(w.dir, { recursive: true });
    }
  },
});

const hasTmux = await new Deno.Command("tmux", { args: ["-V"], stdout: "null", stderr: "null" })
  .output().then((o) => o.success, () => false);

async function tmux(...args: string[]): Promise<string> {
  const out = await new Deno.Command("tmux", { args, stderr: "null" }).output();
  return new TextDecoder().decode(out.stdout);
}

Deno.test({
  name: "on a terminal, the approval prompt takes the y typed at the keyboard",
  ignore: !hasTmux,
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const w = await workdir();
    await using s = server([
      code(
        `const a = await tools.generate_subagent({ name: "shouter", ` +
          `purpose: "Upper-cases text", tools: [] });\na.status`,
      ),
      { content: "made" },
    ]);
    const session = `repl-approve-${Deno.pid}`;
    const root = new URL("../..", import.meta.url).pathname;
    const cmd = `cd ${root} && OPENAI_BASE_URL=${s.url} OPENAI_API_KEY=x MODEL_TOOL_CALLS=native ` +
      `${Deno.execPath()} task --quiet repl --file ${w.file} --sessions ${w.sessions}`;
    await tmux("new-session", "-d", "-s", session, "-x", "120", "-y", "50", cmd);
    const waitFor = async (re: RegExp) => {
      for (let i = 0; i < 600; i++) {
        const text = await tmux("capture-pane", "-p", "-t", session);
        if (re.test(text)) return text;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(
        `screen never matched ${re}:\n${await tmux("capture-pane", "-p", "-t", session)}`,
      );
    };
    try {
      await waitFor(/:help lists commands/);
      await tmux("send-keys", "-t", session, "make a shouter", "Enter");
      await waitFor(/\[y\/N\]/);
      await tmux("send-keys", "-t", session, "y", "Enter");
      const text = await waitFor(/\[final, 2 step/);
      assert.match(text, /approved shouter/);
      assert.match(text, /result: "approved"/);
      assert.ok(await exists(`${w.learned}/agents/shouter/agent.json`));
    } finally {
      await tmux("kill-session", "-t", session);
      await Deno.remove(w.dir, { recursive: true });
    }
  },
});
