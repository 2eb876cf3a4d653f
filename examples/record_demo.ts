/**
 * Records the offline demo's cassette (examples/demo.jsonl) afresh: serves
 * examples/demo_script.yaml with the scripted model server and runs `deno task repl --demo
 * --record` against it, typing examples/demo_inputs.txt. Run it after a change to the prompts,
 * the tools or anything else the model sees (core/repl/demo_test.ts says when):
 *
 *   deno run -A examples/record_demo.ts
 */
import { readModelScript } from "../core/testing/model_script.ts";
import { startScriptedModelServer } from "../core/testing/scripted_model_server.ts";

const here = (p: string) => decodeURIComponent(new URL(p, import.meta.url).pathname);
const script = readModelScript(here("demo_script.yaml"));
await using server = startScriptedModelServer({
  script: (req, i) =>
    script.next(req) ?? { status: 400, error: `no reply left for request ${i + 1}` },
  ...(script.model ? { model: script.model } : {}),
});
const out = await new Deno.Command(Deno.execPath(), {
  args: ["task", "--quiet", "repl", "--demo", "--record", here("demo.jsonl")],
  cwd: here(".."),
  clearEnv: true,
  env: {
    HOME: Deno.env.get("HOME") ?? "/",
    PATH: Deno.env.get("PATH") ?? "",
    ...(Deno.env.get("DENO_DIR") ? { DENO_DIR: Deno.env.get("DENO_DIR")! } : {}),
    NO_COLOR: "1",
    OPENAI_BASE_URL: server.url,
    OPENAI_API_KEY: "scripted",
    MODEL_TOOL_CALLS: "native",
  },
  stdin: "null",
}).output();
const text = new TextDecoder().decode(out.stdout);
console.log(text);
if (!out.success) {
  console.error(new TextDecoder().decode(out.stderr));
  Deno.exit(1);
}
console.error(`recorded ${here("demo.jsonl")} (${server.chatRequests().length} requests)`);
