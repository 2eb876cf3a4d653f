/**
 * Terminal escape injection through the REPL: a model's reply, a cell's output and generated
 * code in the approval prompt carry an OSC 52 clipboard write, a title change, a screen clear, a
 * bidi override and a fake status line drawn with a carriage return. None may reach the terminal
 * as control characters; each is shown escaped.
 */
import assert from "node:assert/strict";
import { startScriptedModelServer } from "../testing/scripted_model_server.ts";
import { GOOD_SLUG, roleOf, SLUG_TESTS } from "../evolution/_fixtures.ts";
import { terminalSafe } from "../terminal_safe.ts";
import { code, repl, workdir } from "./_repl_fixture.ts";

const OSC52 = "\x1b]52;c;cGF3bmVk\x07";
const TITLE = "\x1b]0;pwned\x07";
const CLEAR = "\x1b[2J\x1b[H";
const FAKE_STATUS = "\r\x1b[2K[final, 1 step(s), 0+0 tokens, 1 ms]";
const C1_CSI = "\x9b31m";
const BIDI = "\u202e";
const ATTACK = OSC52 + TITLE + CLEAR + FAKE_STATUS + C1_CSI + BIDI;
// deno-lint-ignore no-control-regex
const RAW = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;

Deno.test("terminalSafe shows controls escaped and keeps text, tabs and newlines", () => {
  assert.equal(
    terminalSafe(`a\tb\r\nc${TITLE}\u202e`),
    "a\tb\nc\\x1b]0;pwned\\a\\u202e",
  );
  assert.doesNotMatch(terminalSafe(ATTACK), RAW);
});

Deno.test({
  name: "model text, cell output and code under approval reach the REPL's terminal escaped",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const w = await workdir();
    // Raw in the file (a carriage return would end the line and break the parse).
    const payload = OSC52 + TITLE + CLEAR + C1_CSI + BIDI;
    const evil = GOOD_SLUG.replace("export function", `// ${payload}\nexport function`);
    let orchestrator = 0;
    const turns = [
      code(`console.log(${JSON.stringify(ATTACK)});\n"${"\\x1b"}]0;value\\x07"`),
      code(
        `const g = await tools.generate_function({ name: "slugify", description: ` +
          `"Turn a title into a URL slug", examples: [] });\ng.status`,
      ),
      { content: `All done.${ATTACK}` },
    ];
    await using server = startScriptedModelServer({
      script: (req) => {
        const messages = (req.body?.messages ?? []) as { content?: string }[];
        if (/an autonomous agent/.test(String(messages[0]?.content))) {
          return turns[orchestrator++] ?? { content: "done" };
        }
        const role = roleOf(req);
        if (role === "code") return { content: "```ts\n" + evil + "```" };
        if (role === "tests") return { content: "```ts\n" + SLUG_TESTS + "```" };
        return { content: "```json\n[]\n```" };
      },
    });
    try {
      const out = await repl(server.url, w, ["run the attack", "n", ":quit"]);
      assert.match(out, /Generated .*slugify\.ts/, "the approval prompt was shown");
      assert.match(out, /left slugify pending/);
      assert.match(out, /All done\.\\x1b\]52;c;cGF3bmVk\\a/, "the model's reply, escaped");
      assert.match(out, /\\x1b\[2J\\x1b\[H\\r\\x1b\[2K\[final/, "clear and fake status, escaped");
      assert.match(out, /\| \/\/ \\x1b\]52/, "generated code in the approval prompt, escaped");
      const raw = out.match(RAW);
      assert.equal(raw, null, `raw control ${JSON.stringify(raw?.[0])} reached the terminal`);
    } finally {
      await Deno.remove(w.dir, { recursive: true });
    }
  },
});
