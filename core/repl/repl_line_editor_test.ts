/**
 * The REPL's line editor on a real terminal (tmux, its own server socket), pressing the keys a
 * person presses: Home/End/Left/Right/Delete, Ctrl-A/E/W, Tab completion of variables and tools,
 * a multi-line entry recalled whole with Up, Ctrl-C on a typed line, and the `[y/N]` approval
 * answered without the normal prompt after it. No model: inputs run as code.
 */
import assert from "node:assert/strict";
import { startScriptedModelServer } from "../testing/scripted_model_server.ts";
import { GOOD_SLUG, roleOf, SLUG_TESTS } from "../evolution/_fixtures.ts";
import { code } from "./_repl_fixture.ts";

const ROOT = new URL("../..", import.meta.url).pathname;
const hasTmux = await new Deno.Command("tmux", { args: ["-V"], stdout: "null", stderr: "null" })
  .output().then((o) => o.success, () => false);

/** A REPL in its own tmux server; `keys` presses keys, `waitFor` polls the screen. */
async function terminal(env: Record<string, string>, args: string[] = []) {
  const socket = `autoliza-test-${Deno.pid}-${crypto.randomUUID().slice(0, 6)}`;
  const dir = await Deno.makeTempDir({ prefix: "repl-editor-" });
  const tmux = async (...a: string[]) => {
    const out = await new Deno.Command("tmux", { args: ["-L", socket, ...a], stderr: "null" })
      .output();
    return new TextDecoder().decode(out.stdout);
  };
  const vars = Object.entries({ NO_COLOR: "1", ...env }).map(([k, v]) => `${k}='${v}'`).join(" ");
  const cmd = `cd ${ROOT} && env ${vars} ${Deno.execPath()} task --quiet repl --sessions ${dir} ` +
    `${args.join(" ")}; sleep 30`;
  await tmux("new-session", "-d", "-s", "t", "-x", "150", "-y", "60", cmd);
  const screen = () => tmux("capture-pane", "-p", "-J", "-S", "-200", "-t", "t");
  const waitFor = async (re: RegExp): Promise<string> => {
    for (let i = 0; i < 900; i++) {
      const text = await screen();
      if (re.test(text)) return text;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`screen never matched ${re}:\n${await screen()}`);
  };
  return {
    keys: (...k: string[]) => tmux("send-keys", "-t", "t", ...k),
    /** Types `text` and waits until the terminal shows it (so Tab is a key, not a paste). */
    type: async (text: string) => {
      await tmux("send-keys", "-t", "t", "-l", text);
      await waitFor(new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&") + "\\s*$", "m"));
    },
    waitFor,
    screen,
    async [Symbol.asyncDispose]() {
      await tmux("kill-server");
      await Deno.remove(dir, { recursive: true });
    },
  };
}

Deno.test({
  name: "the line editor moves, deletes, completes and recalls multi-line entries whole",
  ignore: !hasTmux,
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    await using t = await terminal({});
    await t.waitFor(/code> $/m);
    await t.type("cnst answer_value = 1");
    await t.keys("Home", "Right", "o", "End", " + 40", "Enter");
    await t.waitFor(/const answer_value = 1 \+ 40\ncode> $/m);
    await t.type("answer_v");
    await t.keys("Tab");
    await t.waitFor(/answer_value\s*$/m);
    await t.keys("Enter");
    await t.waitFor(/^41$/m);
    await t.type("x9");
    await t.keys("Left", "Left", "DC", "Enter"); // Delete removes the x
    await t.waitFor(/^9$/m);
    await t.type("1 + junk");
    await t.keys("C-w", "2", "Enter");
    await t.waitFor(/^3$/m);
    await t.type("+ 5");
    await t.keys("C-a", "10 ", "C-e", " + 1", "Enter");
    await t.waitFor(/^16$/m);
    await t.type("(await tools.word_c");
    await t.keys("Tab");
    await t.waitFor(/tools\.word_count\s*$/m);
    await t.keys('({ text: "a b" })).words', "Enter");
    await t.waitFor(/^2$/m);
    await t.keys("10 * \\", "Enter");
    await t.waitFor(/^… $/m);
    await t.keys("4", "Enter");
    await t.waitFor(/^40$/m);
    await t.keys("Up");
    await t.waitFor(/code> 10 \* \n4\s*$/m);
    await t.keys("Enter");
    const text = await t.waitFor(/^40\n(?:.*\n)*40$/m);
    await t.keys("garbage", "C-c");
    await t.waitFor(/garbage\^C\ncode> $/m);
    await t.keys(":vars", "Enter");
    const vars = await t.waitFor(/answer_value: number\s+41/);
    assert.doesNotMatch(text, /~|\t/, "no key inserted a stray character");
    assert.doesNotMatch(vars, /ReferenceError: garbage/, "Ctrl-C dropped the typed line");
  },
});

Deno.test({
  name: "the [y/N] approval takes a line typed after it and is not followed by the prompt",
  ignore: !hasTmux,
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    let orchestrator = 0;
    const turns = [
      code(
        `const g = await tools.generate_function({ name: "slugify", description: ` +
          `"Turn a title into a URL slug", examples: [] });\ng.status`,
      ),
      { content: "done" },
    ];
    await using server = startScriptedModelServer({
      script: (req) => {
        const messages = (req.body?.messages ?? []) as { content?: string }[];
        if (/an autonomous agent/.test(String(messages[0]?.content))) {
          return turns[orchestrator++] ?? { content: "done" };
        }
        const role = roleOf(req);
        if (role === "code") return { content: "```ts\n" + GOOD_SLUG + "```" };
        if (role === "tests") return { content: "```ts\n" + SLUG_TESTS + "```" };
        return { content: "```json\n[]\n```" };
      },
    });
    const learned = await Deno.makeTempDir({ prefix: "repl-editor-learned-" });
    const file = `${learned}/agent.yaml`;
    await Deno.writeTextFile(
      file,
      `paths:\n  learnedSkills: ${learned}/skills\nevolution:\n  approval: manual\n  maxRefinements: 0\n`,
    );
    try {
      await using t = await terminal({
        OPENAI_BASE_URL: server.url,
        OPENAI_API_KEY: "t",
        MODEL_TOOL_CALLS: "native",
      }, ["--no-stream", "--file", file]);
      await t.waitFor(/^> $/m);
      await t.keys("make a slug function", "Enter");
      await t.waitFor(/Load it into the kernel\? \[y\/N\] $/m);
      await t.keys("y", "Enter");
      const screen = await t.waitFor(/\[final, 2 step/);
      assert.match(screen, /\[y\/N\] y\napproved slugify\n/);
      assert.doesNotMatch(screen, /\[y\/N\] > /, "no normal prompt after the question");
      assert.match(screen, /result: "approved"/);
    } finally {
      await Deno.remove(learned, { recursive: true });
    }
  },
});
