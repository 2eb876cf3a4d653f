/**
 * "Teach it once" across processes, with the default kind of config (relative paths): a function
 * and a sub-agent approved in one `deno task repl` are, in a NEW REPL process without `:load`,
 * found by `:tools` under their names and advertised as they are called, callable from the
 * orchestrator's kernel and from a sub-agent's kernel; `tools.twice` says how to call it instead.
 */
import assert from "node:assert/strict";
import { relative } from "node:path";
import {
  type ReceivedRequest,
  startScriptedModelServer,
} from "../testing/scripted_model_server.ts";
import { roleOf } from "../evolution/_fixtures.ts";
import { SUBAGENT_WRITER_PROMPT } from "../evolution/generate_subagent.ts";
import { code, exists, repl, workdir } from "./_repl_fixture.ts";

const ROOT = new URL("../..", import.meta.url).pathname;
const TWICE = `/**
 * Doubles a number.
 * @param n The number to double.
 * @returns Twice n.
 */
export function twice(n: number): number {
  return n * 2;
}
`;
const TWICE_TESTS = `import assert from "node:assert/strict";
import { twice } from "../functions/twice.ts";
Deno.test("doubles", () => assert.equal(twice(21), 42));
`;

/** Orchestrator turns in order; the evolution sub-agents and the shouter answer in role. */
function server(turns: ({ content: string } | ReturnType<typeof code>)[]) {
  let i = 0;
  return startScriptedModelServer({
    script: (req: ReceivedRequest) => {
      const messages = (req.body?.messages ?? []) as { role: string; content?: string }[];
      const system = String(messages[0]?.content);
      if (/^You are \w+, an autonomous agent/.test(system)) return turns[i++] ?? { content: "ok" };
      if (system === SUBAGENT_WRITER_PROMPT) return { content: "You are a shouter." };
      if (system.startsWith("You are a shouter.")) {
        return messages.length === 2
          ? code('twice(21) + " " + input.toUpperCase()')
          : { content: String(messages.at(-1)?.content).replace("result: ", "") };
      }
      const role = roleOf(req);
      if (role === "code") return { content: "```ts\n" + TWICE + "```" };
      if (role === "tests") return { content: "```ts\n" + TWICE_TESTS + "```" };
      return { content: "```json\n[]\n```" };
    },
  });
}

Deno.test({
  name: "a function and a sub-agent approved in one REPL work in a new REPL process without :load",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const w = await workdir();
    const rel = relative(ROOT, w.dir); // relative paths, as in the default config
    await Deno.writeTextFile(
      w.file,
      `paths:\n  learnedSkills: ${rel}/learned_skills\ndatabase:\n  dataDir: ${rel}/data\n` +
        `evolution:\n  approval: manual\n  maxRefinements: 0\n`,
    );
    try {
      {
        await using s = server([
          code(
            'const g = await tools.generate_function({ name: "twice", description: "Doubles", ' +
              "examples: [] });\ng.status",
          ),
          code("twice(21)"),
          { content: "taught" },
          code(
            'const a = await tools.generate_subagent({ name: "shouter", purpose: "Shouts", ' +
              "tools: [] });\na.status",
          ),
          { content: "made" },
        ]);
        const out = await repl(s.url, w, ["teach twice", "y", "make a shouter", "y", ":quit"]);
        assert.match(out, /approved twice/);
        assert.doesNotMatch(out, /load_failed|ReferenceError/, out);
        assert.match(out, /result: 42/, "loaded in the same session from the next cell");
        assert.match(out, /approved shouter/);
        assert.ok(await exists(`${w.learned}/functions/twice.ts`));
        assert.ok(await exists(`${w.learned}/agents/shouter/agent.json`));
      }
      await using s2 = server([
        code("twice(21)"),
        code("await tools.twice(21)"),
        code('const s = "quiet";\nawait call_subagent("shouter", "s")'),
        { content: "done" },
      ]);
      const out = await repl(s2.url, w, [
        ":tools double a number",
        ":tools shout text",
        "use what you learned",
        ":quit",
      ]);
      assert.match(
        out,
        /function twice\(n: number\): number;/,
        `:tools advertises twice(n)\n${out}`,
      );
      assert.match(out, /call it directly as `twice\(n\)`/);
      assert.match(out, /function call_subagent\(name: "shouter", variable_name: string/);
      assert.match(out, /result: 42/, "a new kernel has the learned function");
      assert.match(out, /is not called through tools: call it as declared, function twice/);
      assert.match(
        out,
        /│ result: .*42 QUIET/,
        "the learned sub-agent ran, with twice in its kernel",
      );
    } finally {
      await Deno.remove(w.dir, { recursive: true });
    }
  },
});
