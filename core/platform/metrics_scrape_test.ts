/**
 * `/metrics` as Prometheus scrapes it (issue 15.10): every family has HELP and TYPE from the first
 * scrape, before the agent is wired and after a cycle; `promtool check metrics` (Debian package
 * `prometheus`, installed by .ci/run) accepts the real output; HEAD answers like GET without a body.
 */
import assert from "node:assert/strict";
import { loadConfig } from "../config.ts";
import { startDaemon } from "../daemon.ts";
import { memoryLogger } from "../log.ts";
import { startScriptedModelServer } from "../testing/scripted_model_server.ts";
import { Metrics } from "./metrics.ts";

const PROMTOOL = "/usr/bin/promtool";
const hasPromtool = (() => {
  try {
    return Deno.statSync(PROMTOOL).isFile;
  } catch {
    return false;
  }
})();
// In CI the check must run (.ci/run installs promtool); elsewhere it is skipped when absent.
const ignore = !hasPromtool && Deno.env.get("CI") !== "true";

/** Runs `promtool check metrics` on `text`; returns its exit code and output. */
async function promtool(text: string): Promise<{ code: number; out: string }> {
  const child = new Deno.Command(PROMTOOL, {
    args: ["check", "metrics"],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(text));
  await writer.close();
  const { code, stdout, stderr } = await child.output();
  const decode = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code, out: decode(stdout) + decode(stderr) };
}

/** Sample names whose family (name less _bucket/_sum/_count) lacks a HELP or TYPE line. */
function undeclared(text: string): string[] {
  const help = new Set([...text.matchAll(/^# HELP (\S+) \S/gm)].map((m) => m[1]));
  const type = new Set([...text.matchAll(/^# TYPE (\S+) \S/gm)].map((m) => m[1]));
  const missing: string[] = [];
  for (const line of text.split("\n")) {
    if (!line || line.startsWith("#")) continue;
    const name = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line)![0];
    const family = name.replace(/_(bucket|sum|count)$/, "");
    const declared = (help.has(name) && type.has(name)) || (help.has(family) && type.has(family));
    if (!declared) missing.push(name);
  }
  return missing;
}

Deno.test("an empty Metrics declares every family", () => {
  const text = new Metrics().render({ autoliza_up: 1, autoliza_write_queue_pending: 0 });
  for (
    const family of [
      "autoliza_cycle_duration_seconds",
      "autoliza_cycles_total",
      "autoliza_tool_calls_total",
      "autoliza_model_tokens_total",
      "autoliza_errors_total",
      "autoliza_up",
      "autoliza_write_queue_pending",
    ]
  ) {
    assert.match(text, new RegExp(`^# HELP ${family} \\S`, "m"), family);
    assert.match(text, new RegExp(`^# TYPE ${family} (counter|gauge|histogram)$`, "m"), family);
  }
  assert.deepEqual(undeclared(text), []);
  assert.doesNotMatch(text, /# HELP \S+ Gauge /, "every gauge has a real HELP text");
});

Deno.test({
  name: "promtool accepts /metrics at the first scrape and after a cycle; HEAD has no body",
  ignore,
  async fn() {
    await using model = startScriptedModelServer({ script: () => ({ content: "nothing" }) });
    const dataDir = await Deno.makeTempDir({ prefix: "metrics_scrape_" });
    const config = loadConfig({
      env: {
        PORT: "0",
        DATA_DIR: dataDir,
        OPENAI_BASE_URL: model.url,
        OPENAI_API_KEY: "k",
        STANDALONE_MODE: "true",
        AUTONOMOUS_LOOP_INTERVAL: "3600000",
      },
      file: "/dev/null",
    });
    const daemon = startDaemon(config, memoryLogger().logger);
    const base = `http://127.0.0.1:${daemon.port}`;
    try {
      // Before the agent is wired: every family, no samples but the gauges.
      const first = await (await fetch(`${base}/metrics`)).text();
      assert.match(first, /^# HELP autoliza_tool_calls_total /m);
      assert.deepEqual(undeclared(first), []);
      const early = await promtool(first);
      assert.equal(early.code, 0, early.out);

      await daemon.ready;
      await (await fetch(`${base}/api/cycle`, { method: "POST" })).body?.cancel();
      const later = await (await fetch(`${base}/metrics`)).text();
      assert.match(later, /^autoliza_cycles_total\{status="ok"\} [1-9]/m);
      assert.deepEqual(undeclared(later), []);
      const checked = await promtool(later);
      assert.equal(checked.code, 0, checked.out);

      for (const path of ["/metrics", "/health", "/api/health", "/api/status"]) {
        const get = await fetch(base + path);
        const body = new Uint8Array(await get.arrayBuffer());
        const head = await fetch(base + path, { method: "HEAD" });
        assert.equal(head.status, 200, path);
        assert.equal(head.headers.get("content-type"), get.headers.get("content-type"), path);
        assert.equal((await head.arrayBuffer()).byteLength, 0, path);
        if (path !== "/api/status" && path !== "/metrics") {
          assert.equal(head.headers.get("content-length"), String(body.length), path);
        }
      }
    } finally {
      await daemon.shutdown("test");
      await Deno.remove(dataDir, { recursive: true });
    }
  },
});

Deno.test("promtool itself rejects a family without HELP (the check can fail)", {
  ignore,
}, async () => {
  const bad = await promtool("# TYPE x_total counter\nx_total 1\n");
  assert.notEqual(bad.code, 0);
  assert.match(bad.out, /no help text/);
});
