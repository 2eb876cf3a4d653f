/** Configuration: defaults, the platform's env names, files, and errors that name the key. */
import assert from "node:assert/strict";
import { loadConfig, maskedConfig } from "./config.ts";
import { ConfigError } from "./errors.ts";

const NO_FILE = { file: "/dev/null" };

Deno.test("config has working defaults with an empty environment", () => {
  const c = loadConfig({ env: {}, ...NO_FILE });
  assert.equal(c.http.port, 8000);
  assert.equal(c.loop.intervalMs, 30_000);
  assert.equal(c.database.url, undefined);
  assert.equal(c.database.dataDir, "./data");
  assert.equal(c.embedding.dim, 384);
  assert.equal(c.scb.logKey, "scs:log");
  assert.equal(c.scb.neurosyncUrl, "http://neurosync:5000");
  assert.equal(c.evolution.approval, "manual");
});

Deno.test("config accepts the platform's environment names", () => {
  const c = loadConfig({
    env: {
      POSTGRES_URL: "postgres://a@h/db",
      VTUBER_ENDPOINT_URL: "http://neurosync:5001/process_text",
      NEUROSYNC_API_KEY: "k",
      USE_REDIS_SCB: "true",
      REDIS_URL: "redis://redis:6379",
      SCB_MAX_LINES: "500",
      AUTONOMOUS_LOOP_INTERVAL: "15000",
      PORT: "3000",
      LOG_LEVEL: "debug",
      STANDALONE_MODE: "1",
    },
    ...NO_FILE,
  });
  assert.equal(c.database.url, "postgres://a@h/db");
  assert.equal(c.vtuber.url, "http://neurosync:5001/process_text");
  assert.equal(c.scb.useRedis, true);
  assert.equal(c.scb.maxLines, 500);
  assert.equal(c.loop.intervalMs, 15_000);
  assert.equal(c.http.port, 3000);
  assert.equal(c.log.level, "debug");
  assert.equal(c.standalone, true);
});

Deno.test("DATABASE_URL wins over POSTGRES_URL and LOOP_INTERVAL is in seconds", () => {
  const c = loadConfig({
    env: { POSTGRES_URL: "postgres://p/x", DATABASE_URL: "postgres://d/x", LOOP_INTERVAL: "2.5" },
    ...NO_FILE,
  });
  assert.equal(c.database.url, "postgres://d/x");
  assert.equal(c.loop.intervalMs, 2_500);
});

Deno.test("the Ollama preset becomes an OpenAI-compatible base URL with a placeholder key", () => {
  const c = loadConfig({
    env: { OLLAMA_HOST: "ollama:11434", OLLAMA_MODEL: "qwen2.5" },
    ...NO_FILE,
  });
  assert.equal(c.model.baseUrl, "http://ollama:11434/v1");
  assert.equal(c.model.name, "qwen2.5");
  assert.equal(c.model.apiKey, "ollama");
});

Deno.test("an invalid env value names the key, the variable, the value and the expectation", () => {
  assert.throws(() => loadConfig({ env: { PORT: "eighty" }, ...NO_FILE }), (e: Error) => {
    assert.ok(e instanceof ConfigError);
    assert.match(e.message, /http\.port \(from env PORT\) = "eighty": .*expected number/);
    return true;
  });
  assert.throws(
    () => loadConfig({ env: { EMBEDDING_DIM: "100" }, ...NO_FILE }),
    /embedding\.dim .*"100".*384, 512/,
  );
  assert.throws(() => loadConfig({ env: { LOOP_INTERVAL: "soon" }, ...NO_FILE }), /LOOP_INTERVAL/);
  assert.throws(
    () => loadConfig({ env: { VTUBER_ENDPOINT_URL: "neurosync" }, ...NO_FILE }),
    /vtuber\.url/,
  );
  assert.throws(() => loadConfig({ env: { USE_REDIS_SCB: "maybe" }, ...NO_FILE }), /scb\.useRedis/);
});

Deno.test("agent.yaml is read, env overrides it, and unknown keys are errors", async () => {
  const dir = await Deno.makeTempDir();
  const file = `${dir}/agent.yaml`;
  await Deno.writeTextFile(file, "http:\n  port: 9000\nloop:\n  intervalMs: 1000\n");
  const c = loadConfig({ env: { PORT: "9100" }, file });
  assert.equal(c.http.port, 9100);
  assert.equal(c.loop.intervalMs, 1000);
  await Deno.writeTextFile(file, "loop:\n  intervalMS: 1000\n");
  assert.throws(() => loadConfig({ env: {}, file }), /unknown key "loop\.intervalMS"/);
  await Deno.writeTextFile(file, "http:\n  port: [\n");
  assert.throws(() => loadConfig({ env: {}, file }), /Cannot parse config file/);
  await Deno.writeTextFile(`${dir}/agent.json`, '{"kernel": {"heapMb": "lots"}}');
  assert.throws(
    () => loadConfig({ env: {}, file: `${dir}/agent.json` }),
    /kernel\.heapMb \(from .*agent\.json\) = "lots"/,
  );
  assert.throws(
    () => loadConfig({ env: {}, file: `${dir}/missing.yaml` }),
    /Cannot read config file/,
  );
  await Deno.remove(dir, { recursive: true });
});

Deno.test("printed config masks secrets, including passwords inside URLs", () => {
  const c = loadConfig({
    env: {
      OPENAI_API_KEY: "sk-secret",
      NEUROSYNC_API_KEY: "ns-secret",
      DATABASE_URL: "postgres://user:hunter2@db:5432/x",
    },
    ...NO_FILE,
  });
  const text = JSON.stringify(maskedConfig(c));
  assert.doesNotMatch(text, /sk-secret|ns-secret|hunter2/);
  assert.match(text, /postgres:\/\/user:\*\*\*@db:5432\/x/);
  assert.equal(c.model.apiKey, "sk-secret", "masking must not change the config itself");
});
