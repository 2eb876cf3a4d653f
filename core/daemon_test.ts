/** The daemon's HTTP surface, the wired decision loop and its graceful shutdown. */
import assert from "node:assert/strict";
import { loadConfig } from "./config.ts";
import { startDaemon } from "./daemon.ts";
import { memoryLogger } from "./log.ts";
import { startNeuroSyncEmulator } from "./platform/neurosync_emulator.ts";
import { startScriptedModelServer } from "./testing/scripted_model_server.ts";
import { cleanEnv } from "./testing/deno_child.ts";

Deno.test("the daemon serves health on both paths and reports that it waits for a model", async () => {
  const { logger, records } = memoryLogger();
  const dataDir = await Deno.makeTempDir({ prefix: "daemon_test_" });
  const config = loadConfig({
    env: { PORT: "0", HOST: "127.0.0.1", DATA_DIR: dataDir },
    file: "/dev/null",
  });
  config.paths.sessions = `${dataDir}/sessions`;
  const daemon = startDaemon(config, logger);
  const base = `http://127.0.0.1:${daemon.port}`;
  const suggestions = await fetch(`${base}/api/suggestions`);
  assert.equal(suggestions.status, 404);
  assert.match((await suggestions.json()).error, /no saved session/);
  for (const path of ["/health", "/api/health"]) {
    const res = await fetch(base + path);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { status: "ok" });
  }
  await daemon.ready;
  const status = await (await fetch(`${base}/api/status`)).json();
  assert.equal(status.model.state, "waiting");
  assert.equal(status.loop.state, "waiting");
  assert.equal(status.vtuber.active, false);
  assert.equal(status.memory.engine, "pglite");
  assert.ok(records.some((r) => r.event === "model_not_configured"));
  assert.equal(records.filter((r) => r.event === "vtuber_disabled").length, 1);
  assert.equal(records.filter((r) => r.event === "scb_disabled").length, 1);
  const cycle = await fetch(`${base}/api/cycle`, { method: "POST" });
  assert.equal(cycle.status, 503);
  assert.match((await cycle.json()).error, /No model endpoint is configured/);
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
  await Deno.remove(dataDir, { recursive: true });
});

Deno.test("the daemon cycles against the platform and serves cycles, metrics and control", async () => {
  await using emu = startNeuroSyncEmulator();
  await emu.setSummary("chat loves cats");
  await using model = startScriptedModelServer({
    script: (req) => {
      const last = (req.body?.messages as { role: string }[]).at(-1)!;
      return last.role === "tool"
        ? { content: "done" }
        : { toolCalls: [{ name: "send_to_vtuber", arguments: { text: "Cats!" } }] };
    },
  });
  const dataDir = await Deno.makeTempDir({ prefix: "daemon_test_" });
  const { logger } = memoryLogger();
  const config = loadConfig({
    env: {
      PORT: "0",
      HOST: "127.0.0.1",
      DATA_DIR: dataDir,
      OPENAI_BASE_URL: model.url,
      OPENAI_API_KEY: "k",
      VTUBER_ENDPOINT_URL: emu.speechUrl,
      NEUROSYNC_URL: emu.url,
      AUTONOMOUS_LOOP_INTERVAL: "3600000",
    },
    file: "/dev/null",
  });
  const daemon = startDaemon(config, logger);
  const base = `http://127.0.0.1:${daemon.port}`;
  try {
    await daemon.ready;
    const ran = await (await fetch(`${base}/api/cycle`, { method: "POST" })).json();
    assert.equal(ran.cycle.status, "ok", JSON.stringify(ran.cycle.errors));
    assert.deepEqual(ran.cycle.toolCalls.map((c: { tool: string }) => c.tool), ["send_to_vtuber"]);
    assert.ok(emu.spoken.some((s) => s.text === "Cats!"));
    const list = await (await fetch(`${base}/api/cycles?limit=5`)).json();
    assert.ok(list.cycles.length >= 1);
    assert.equal((await fetch(`${base}/api/cycles?limit=abc`)).status, 400);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    assert.match(
      metrics,
      /autoliza_tool_calls_total\{tool="send_to_vtuber",outcome="success"\} \d/,
    );
    assert.match(metrics, /autoliza_cycle_duration_seconds_count \d/);

    const byGet = await fetch(`${base}/vtuber/control?action=deactivate`);
    assert.equal(byGet.status, 405);
    assert.match((await byGet.json()).error, /send it as POST/);
    assert.equal((await (await fetch(`${base}/vtuber/control`)).json()).active, true);
    const off = await (await fetch(`${base}/vtuber/control?action=deactivate`, { method: "POST" }))
      .json();
    assert.equal(off.active, false);
    const muted = await (await fetch(`${base}/api/cycle`, { method: "POST" })).json();
    assert.match(muted.cycle.toolCalls[0].error, /vtuber is disabled: deactivated by an operator/);
    const on = await (await fetch(`${base}/vtuber/control?action=activate`, { method: "POST" }))
      .json();
    assert.equal(on.active, true);
    const scb = await fetch(`${base}/scb/control?action=bogus`);
    assert.equal(scb.status, 400);
    assert.match((await scb.json()).error, /unknown action "bogus"/);
    assert.equal((await (await fetch(`${base}/scb/control`)).json()).active, true);
  } finally {
    await daemon.shutdown("test");
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("credentials in the model URL reach neither /api/cycles nor the log", async () => {
  const { logger, records } = memoryLogger();
  const dataDir = await Deno.makeTempDir({ prefix: "daemon_test_" });
  const refused = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = refused.addr.port;
  refused.close();
  const config = loadConfig({
    env: {
      PORT: "0",
      HOST: "127.0.0.1",
      DATA_DIR: dataDir,
      OPENAI_BASE_URL: `http://alice:s3cretpw@127.0.0.1:${port}/v1?token=tok123&api_key=key456`,
      OPENAI_API_KEY: "sk-live-daemon-XYZ",
      STANDALONE_MODE: "true",
      AUTONOMOUS_LOOP_INTERVAL: "3600000",
    },
    file: "/dev/null",
  });
  config.model.maxRetries = 0;
  const daemon = startDaemon(config, logger);
  const base = `http://127.0.0.1:${daemon.port}`;
  try {
    await daemon.ready;
    const ran = await (await fetch(`${base}/api/cycle`, { method: "POST" })).json();
    assert.equal(ran.cycle.status, "failed");
    const cycles = await (await fetch(`${base}/api/cycles`)).text();
    assert.match(cycles, /Cannot reach model endpoint http:\/\/alice:\*\*\*@127\.0\.0\.1/);
    assert.match(cycles, /token=\*\*\*&api_key=\*\*\*/);
    const everything = cycles + JSON.stringify(records);
    assert.doesNotMatch(everything, /s3cretpw|tok123|key456|sk-live-daemon/);
    assert.ok(records.some((r) => JSON.stringify(r).includes("token=***")));
  } finally {
    await daemon.shutdown("test");
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("deno task start stops cleanly on SIGTERM with exit code 0", async () => {
  const root = new URL("..", import.meta.url).pathname;
  // Outside the repository: the test leaves nothing in its ./data.
  const dataDir = await Deno.makeTempDir({ prefix: "sigterm_test_" });
  const child = new Deno.Command(Deno.execPath(), {
    args: ["task", "--quiet", "start"],
    cwd: root,
    // A clean environment: no DATABASE_URL or model from the caller (CI sets them).
    clearEnv: true,
    env: cleanEnv({ PORT: "0", HOST: "127.0.0.1", DATA_DIR: dataDir }),
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const reader = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
  let log = "";
  while (!log.includes("tools_loaded")) {
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
  await Deno.remove(dataDir, { recursive: true });
  assert.equal(status.code, 0, log);
  assert.match(log, /"event":"memory_open","engine":"pglite"/);
  assert.match(log, /"event":"shutdown_finished","reason":"SIGTERM"/);
});
