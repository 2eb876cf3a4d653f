/**
 * Drives `deno task repl` as a person would, through its stdin: first recording a session against
 * the scripted model server, then replaying the cassette offline; and Ctrl-C (SIGINT) during a
 * long cell, which must stop the cell but not the REPL.
 */
import assert from "node:assert/strict";
import { startScriptedModelServer } from "../testing/scripted_model_server.ts";
import { codeReply } from "../agent/testing/harness.ts";

const ROOT = new URL("../..", import.meta.url).pathname;

/** `deno task repl` (the task's own permission flags) with piped stdio. */
function repl(args: string[], env: Record<string, string>) {
  return new Deno.Command(Deno.execPath(), {
    args: ["task", "--quiet", "repl", "--no-stream", ...args],
    cwd: ROOT,
    env: { NO_COLOR: "1", ...env },
    clearEnv: false,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
}

/** A fresh folder under ./sessions, the only place the task may write. */
function sessionsDir(): Promise<string> {
  return Deno.makeTempDir({ dir: `${ROOT}/sessions`, prefix: "test-repl-" });
}

async function runWith(args: string[], env: Record<string, string>, input: string) {
  const child = repl(args, env);
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(input));
  await writer.close();
  const out = await child.output();
  return {
    code: out.code,
    stdout: new TextDecoder().decode(out.stdout),
    stderr: new TextDecoder().decode(out.stderr),
  };
}

const INPUT = [
  "What is six \\",
  "times seven?",
  ":vars",
  ":inspect answer",
  ":tools count words",
  ":cost",
  ":history",
  ":nonsense",
  ":save t1",
  ":reset",
  ":vars",
  ":load t1",
  ":vars",
  ":quit",
  "",
].join("\n");

function assertSession(stdout: string) {
  assert.match(stdout, /┌ code \(step 1\)\n│ const answer = 6 \* 7/);
  assert.match(stdout, /└ ok .*\n│ result: 42/);
  assert.match(stdout, /Six times seven is 42\./);
  assert.match(stdout, /\[final, 2 step\(s\)/);
  assert.match(stdout, /answer: number/);
  assert.match(stdout, /word_count/);
  assert.match(stdout, /#1 .*tokens.*\n#2 .*\nsession: 2 request\(s\)/);
  assert.match(stdout, /1 {2}What is six \n\s+times seven\?/);
  assert.match(stdout, /Unknown command :nonsense/);
  assert.match(stdout, /saved session "t1" in .*t1: conversation, 1 variable\(s\)/);
  assert.match(stdout, /fresh kernel and conversation\n> \(no variables\)/);
  assert.match(stdout, /loaded "t1": 5 message\(s\); restored answer\n> answer: number/);
}

Deno.test({
  name: "repl records a session through stdin, then replays it offline from the cassette",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const dir = await sessionsDir();
    const cassette = `${dir}/session.jsonl`;
    try {
      {
        await using server = startScriptedModelServer({
          script: [codeReply("const answer = 6 * 7\nanswer"), {
            content: "Six times seven is 42.",
          }],
        });
        const env = {
          OPENAI_BASE_URL: server.url,
          OPENAI_API_KEY: "test",
          MODEL_TOOL_CALLS: "native",
        };
        const r = await runWith(["--record", cassette, "--sessions", dir], env, INPUT);
        assert.equal(r.code, 0, r.stderr);
        assertSession(r.stdout);
        const sent = server.chatRequests()[1]!.body!.messages as Array<
          { role: string; content: string }
        >;
        assert.match(
          sent[1]!.content,
          /What is six \ntimes seven\?/,
          "the continued line is one task",
        );
      }
      const replay = await runWith(["--replay", cassette, "--sessions", dir], {
        OPENAI_BASE_URL: "http://127.0.0.1:9/v1",
      }, INPUT);
      assert.equal(replay.code, 0, replay.stderr);
      assertSession(replay.stdout);
      assert.match(replay.stdout, /\(replay\)/);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "Ctrl-C stops the running cell and the REPL goes on",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const dir = await sessionsDir();
    await using server = startScriptedModelServer({
      script: [
        codeReply("let before = 1\nawait new Promise((r) => setTimeout(r, 60000))"),
        codeReply("before + 1", "c2"),
        { content: "still here" },
      ],
    });
    const child = repl(["--sessions", dir], {
      OPENAI_BASE_URL: server.url,
      OPENAI_API_KEY: "t",
      MODEL_TOOL_CALLS: "native",
    });
    const writer = child.stdin.getWriter();
    const enc = new TextEncoder();
    let stdout = "";
    const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
    const waitFor = async (re: RegExp) => {
      while (!re.test(stdout)) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`stdout ended before ${re}:\n${stdout}`);
        stdout += value;
      }
    };
    try {
      await writer.write(enc.encode("wait for a minute\n"));
      await waitFor(/┌ code \(step 1\)/);
      await new Promise((r) => setTimeout(r, 300));
      child.kill("SIGINT");
      await waitFor(/\[interrupted/);
      await writer.write(enc.encode("go on\n"));
      await waitFor(/still here/);
      await writer.write(enc.encode(":quit\n"));
      await writer.close();
      await waitFor(/\n$/);
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        stdout += value;
      }
      const status = await child.status;
      assert.equal(status.code, 0);
      assert.match(stdout, /└ ok .*\n│ result: 2/, "state from before the interrupt survives");
    } finally {
      try {
        child.kill("SIGKILL");
      } catch { /* already exited */ }
      await child.stderr.cancel().catch(() => {});
      await Deno.remove(dir, { recursive: true });
    }
  },
});
