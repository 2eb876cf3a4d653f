/** The daemon's HTTP surface and its graceful shutdown. */
import assert from "node:assert/strict";
import { loadConfig } from "./config.ts";
import { startDaemon } from "./daemon.ts";
import { memoryLogger } from "./log.ts";

Deno.test("the daemon serves health on both paths and reports that it waits for a model", async () => {
  const { logger, records } = memoryLogger();
  const config = loadConfig({ env: { PORT: "0", HOST: "127.0.0.1" }, file: "/dev/null" });
  const daemon = startDaemon(config, logger);
  const base = `http://127.0.0.1:${daemon.port}`;
  for (const path of ["/health", "/api/health"]) {
    const res = await fetch(base + path);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { status: "ok" });
  }
  const status = await (await fetch(`${base}/api/status`)).json();
  assert.equal(status.model.state, "waiting");
  assert.ok(records.some((r) => r.event === "model_not_configured"));
  const missing = await fetch(`${base}/nope`);
  assert.equal(missing.status, 404);
  assert.match((await missing.json()).error, /no route/);
  const post = await fetch(`${base}/health`, { method: "DELETE" });
  assert.equal(post.status, 405);
  await post.body?.cancel();
  await daemon.shutdown("test");
  await daemon.finished;
  assert.ok(records.some((r) => r.event === "shutdown_finished"));
  await assert.rejects(fetch(`${base}/health`));
});

Deno.test("deno task start stops cleanly on SIGTERM with exit code 0", async () => {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--no-prompt",
      "--allow-all",
      new URL("../main.ts", import.meta.url).pathname,
      "start",
      "--file",
      "/dev/null",
    ],
    env: { PORT: "0", HOST: "127.0.0.1", NO_COLOR: "1" },
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const reader = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
  let log = "";
  while (!log.includes("http_listening")) {
    const { value, done } = await reader.read();
    if (done) break;
    log += value;
  }
  child.kill("SIGTERM");
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    log += value;
  }
  const status = await child.status;
  assert.equal(status.code, 0, log);
  assert.match(log, /"event":"shutdown_finished","reason":"SIGTERM"/);
});
