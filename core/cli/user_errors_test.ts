/**
 * What a new user hits first, through the real tasks: `--record` anywhere, a port already in
 * use, a session that does not exist, `start --replay`. Each ends in one line saying what to do,
 * never a stack trace.
 */
import assert from "node:assert/strict";
import { startScriptedModelServer } from "../testing/scripted_model_server.ts";

const ROOT = new URL("../..", import.meta.url).pathname;

async function task(args: string[], env: Record<string, string> = {}, stdin = "") {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["task", "--quiet", ...args],
    cwd: ROOT,
    clearEnv: true,
    env: {
      HOME: Deno.env.get("HOME") ?? "/",
      PATH: Deno.env.get("PATH") ?? "",
      ...(Deno.env.get("DENO_DIR") ? { DENO_DIR: Deno.env.get("DENO_DIR")! } : {}),
      NO_COLOR: "1",
      ...env,
    },
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const w = child.stdin.getWriter();
  await w.write(new TextEncoder().encode(stdin));
  await w.close();
  const out = await child.output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

/** One `error:` line and nothing that looks like a stack trace. */
function assertOneLine(stderr: string, re: RegExp) {
  const lines = stderr.trim().split("\n").filter((l) =>
    !/^Stack backtrace|^\s+\d+: <unknown>/.test(l)
  );
  assert.equal(lines.length, 1, stderr);
  assert.match(lines[0]!, /^error: /);
  assert.match(lines[0]!, re);
  assert.doesNotMatch(stderr, /\n\s+at |Uncaught/);
}

Deno.test({
  name: "deno task repl --record writes a cassette outside the project",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "record-anywhere-" });
    await using server = startScriptedModelServer({ script: [{ content: "Hi." }] });
    try {
      const r = await task(
        ["repl", "--no-stream", "--record", `${dir}/run.jsonl`, "--sessions", `${dir}/s`],
        { OPENAI_BASE_URL: server.url, OPENAI_API_KEY: "t" },
        "hello\n:quit\n",
      );
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /Hi\./);
      const lines = (await Deno.readTextFile(`${dir}/run.jsonl`)).trim().split("\n");
      assert.equal(JSON.parse(lines[0]!).response.message.content, "Hi.");
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("a port in use is one line naming the port and PORT", async () => {
  const busy = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const data = await Deno.makeTempDir({ prefix: "port-in-use-" });
  try {
    const r = await task(["start"], {
      PORT: String(busy.addr.port),
      HOST: "127.0.0.1",
      DATA_DIR: data,
    });
    assert.equal(r.code, 1);
    assertOneLine(r.stderr.replace(/^\{.*\}\n/gm, ""), new RegExp(`port ${busy.addr.port}.*PORT`));
  } finally {
    busy.close();
    await Deno.remove(data, { recursive: true });
  }
});

Deno.test("skills analyze of a missing session, and start --replay, are one line each", async () => {
  const sessions = await Deno.makeTempDir({ prefix: "no-session-" });
  try {
    const r = await task(["cli", "skills", "analyze", "nosuch", "--sessions", sessions]);
    assert.equal(r.code, 1);
    assertOneLine(r.stderr, /nosuch.*holds no saved session \(:save <name> in the REPL/);
    const s = await task(["start", "--replay", "x.jsonl"]);
    assert.equal(s.code, 2);
    assert.match(s.stderr, /^error: .*deno task repl --replay x\.jsonl\nusage: /);
  } finally {
    await Deno.remove(sessions, { recursive: true });
  }
});
