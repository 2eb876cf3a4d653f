/**
 * Drives `main.ts repl` on a real terminal (tmux): typing with Backspace, Ctrl-C during a long
 * cell (the cell stops, the kernel keeps its state, the REPL goes on), history with Up. Skipped
 * only where tmux is not installed.
 */
import assert from "node:assert/strict";
import { startScriptedModelServer } from "../testing/scripted_model_server.ts";
import { codeReply } from "../agent/testing/harness.ts";

const ROOT = new URL("../..", import.meta.url).pathname;
const hasTmux = await new Deno.Command("tmux", { args: ["-V"], stdout: "null", stderr: "null" })
  .output().then((o) => o.success, () => false);

async function tmux(...args: string[]): Promise<string> {
  const out = await new Deno.Command("tmux", { args, stderr: "null" }).output();
  return new TextDecoder().decode(out.stdout);
}

Deno.test({
  name: "on a terminal, Ctrl-C stops the cell but not the REPL, and the kernel keeps its state",
  ignore: !hasTmux,
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    await using server = startScriptedModelServer({
      script: [
        codeReply("let before = 41\nawait new Promise((r) => setTimeout(r, 60000))"),
        codeReply("before + 1", "c2"),
        { content: "still here" },
      ],
    });
    const dir = await Deno.makeTempDir({ prefix: "repl-tty-" });
    const session = `repl-test-${Deno.pid}`;
    const cmd =
      `cd ${ROOT} && OPENAI_BASE_URL=${server.url} OPENAI_API_KEY=x MODEL_TOOL_CALLS=native ` +
      `${Deno.execPath()} run --no-prompt --unstable-worker-options -A main.ts repl --sessions ${dir}`;
    await tmux("new-session", "-d", "-s", session, "-x", "120", "-y", "50", cmd);
    const screen = () => tmux("capture-pane", "-p", "-t", session);
    const waitFor = async (re: RegExp) => {
      for (let i = 0; i < 600; i++) {
        const text = await screen();
        if (re.test(text)) return text;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`screen never matched ${re}:\n${await screen()}`);
    };
    try {
      await waitFor(/:help lists commands/);
      await tmux("send-keys", "-t", session, "wait a minutx", "BSpace", "e", "Enter");
      await waitFor(/┌ code \(step 1\)/);
      await tmux("send-keys", "-t", session, "C-c");
      await waitFor(/\[interrupted, 1 step/);
      await tmux("send-keys", "-t", session, "go on", "Enter");
      await waitFor(/still here/);
      await tmux("send-keys", "-t", session, ":vars", "Enter");
      const text = await waitFor(/before: number\s+41/);
      assert.match(text, /> wait a minute\n/, "Backspace edited the line");
      assert.match(text, /│ result: 42/, "the kernel kept `before` through Ctrl-C");
      assert.doesNotMatch(text, /kernel_restart/);
      await tmux("send-keys", "-t", session, "Up");
      await waitFor(/> :vars\s*$/);
    } finally {
      await tmux("kill-session", "-t", session);
      await Deno.remove(dir, { recursive: true });
    }
  },
});
