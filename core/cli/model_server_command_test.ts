/** `deno task cli model-server <script>`: a scripted model the real CLI and client talk to. */
import assert from "node:assert/strict";
import { readModelScript } from "../testing/model_script.ts";

const ROOT = new URL("../..", import.meta.url).pathname;

function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = l.addr.port;
  l.close();
  return port;
}

Deno.test({
  name: "model-server serves a script file to the real client until Ctrl-C",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "model-server-" });
    const script = `${dir}/script.yaml`;
    await Deno.writeTextFile(
      script,
      "model: my-model\nreplies:\n  - say: Hello from the script.\n  - code: 1 + 1\n",
    );
    const port = freePort();
    const server = new Deno.Command(Deno.execPath(), {
      args: ["task", "--quiet", "cli", "model-server", script, "--port", String(port)],
      cwd: ROOT,
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const reader = server.stdout.pipeThrough(new TextDecoderStream()).getReader();
    let banner = "";
    while (!banner.includes("deno task repl")) {
      const { value, done } = await reader.read();
      if (done) break;
      banner += value;
    }
    try {
      assert.match(banner, new RegExp(`OPENAI_BASE_URL=http://127\\.0\\.0\\.1:${port}/v1`));
      const ask = async () => {
        const out = await new Deno.Command(Deno.execPath(), {
          args: ["task", "--quiet", "cli", "model", "--no-stream", "hi"],
          cwd: ROOT,
          env: {
            OPENAI_BASE_URL: `http://127.0.0.1:${port}/v1`,
            OPENAI_API_KEY: "scripted",
            MODEL_TOOL_CALLS: "native",
          },
        }).output();
        return new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
      };
      assert.match(await ask(), /Hello from the script\.\n/);
      const models = await (await fetch(`http://127.0.0.1:${port}/v1/models`)).json();
      assert.equal(models.data[0].id, "my-model");
      assert.match(await ask(), /\[tool call execute_code\(\{"code":"1 \+ 1"\}\)\]/);
      assert.match(await ask(), /no reply left for request 3/);
    } finally {
      server.kill("SIGINT");
      reader.releaseLock();
      await server.stdout.cancel().catch(() => {});
      const status = await server.status;
      await server.stderr.cancel().catch(() => {});
      assert.equal(status.code, 0);
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("a bad script names the file and the reply", async () => {
  const file = await Deno.makeTempFile({ suffix: ".yaml" });
  try {
    await Deno.writeTextFile(file, "replies:\n  - say: ok\n  - sya: typo\n");
    assert.throws(
      () => readModelScript(file),
      new RegExp(`Model script "${file}": replies\\.1: Unrecognized key: "sya"`),
    );
  } finally {
    await Deno.remove(file);
  }
});

Deno.test("a reply with match waits for its sub-agent; others go in order", () => {
  const file = Deno.makeTempFileSync({ suffix: ".yaml" });
  Deno.writeTextFileSync(
    file,
    "replies:\n  - say: first\n  - match: summarizer\n    say: summary\n  - say: second\n",
  );
  const script = readModelScript(file);
  const req = (system: string) => ({
    method: "POST",
    path: "/v1/chat/completions",
    headers: {},
    body: { messages: [{ role: "system", content: system }] },
  });
  assert.equal(script.next(req("You are Autoliza"))?.content, "first");
  assert.equal(script.next(req("You are Autoliza"))?.content, "second");
  assert.equal(script.next(req("You are a summarizer"))?.content, "summary");
  assert.equal(script.next(req("You are Autoliza")), undefined);
  Deno.removeSync(file);
});
