/** The supervisor's permission flags follow the effective config, and grant nothing unbounded. */
import assert from "node:assert/strict";
import { CONFIG_ENV_NAMES, loadConfig } from "../config.ts";
import { type LaunchContext, SUPERVISOR_RUN, supervisorFlags } from "./supervisor_flags.ts";
import { SANDBOX_LAUNCHER } from "../sandbox/launcher_path.ts";

const base: LaunchContext = {
  command: "start",
  args: [],
  projectDir: "/app",
  cwd: "/app",
  env: {},
  packageDirs: ["/cache/deno/npm/registry.npmjs.org/@electric-sql"],
};

/** `--allow-<name>=a,b` as a set (undefined when the flag is absent). */
function grant(flags: string[], name: string): Set<string> | undefined {
  const flag = flags.find((f) => f === `--allow-${name}` || f.startsWith(`--allow-${name}=`));
  if (flag === undefined) return undefined;
  return new Set(flag.includes("=") ? flag.slice(flag.indexOf("=") + 1).split(",") : ["*"]);
}

const config = (env: Record<string, string>) => loadConfig({ env, file: "/dev/null" });

Deno.test("the configured directories are granted wherever they are", () => {
  const flags = supervisorFlags(
    config({ DATA_DIR: "/var/lib/autoliza" }),
    { ...base, cwd: "/home/u/app", projectDir: "/home/u/app" },
  );
  const read = grant(flags, "read")!;
  const write = grant(flags, "write")!;
  for (const dir of ["/var/lib/autoliza", "/home/u/app/sessions", "/home/u/app/learned_skills"]) {
    assert.ok(read.has(dir) && write.has(dir), `${dir} in ${[...write]}`);
  }
  assert.ok(read.has("/home/u/app"));
  assert.ok(read.has("/cache/deno/npm/registry.npmjs.org/@electric-sql"));
  assert.ok(!write.has("/home/u/app"), "the project itself is not writable");
});

Deno.test("a --record path anywhere is writable and a --replay path readable", () => {
  const flags = supervisorFlags(config({}), {
    ...base,
    command: "repl",
    args: ["--record", "/tmp/run.jsonl", "--replay=../demo.jsonl", "--no-stream"],
  });
  assert.ok(grant(flags, "write")!.has("/tmp/run.jsonl"));
  assert.ok(grant(flags, "read")!.has("/demo.jsonl"));
});

Deno.test("net is only the configured hosts and the listen address", () => {
  const flags = supervisorFlags(
    config({
      PORT: "3000",
      HOST: "127.0.0.1",
      OLLAMA_HOST: "gpu-box",
      OLLAMA_MODEL: "qwen2.5",
      DATABASE_URL: "postgres://u:p@db/agent",
      USE_REDIS_SCB: "true",
      REDIS_URL: "redis://cache:6380",
      VTUBER_ENDPOINT_URL: "https://avatar.example/process_text",
      API_POST_ALLOWED_HOSTS: "hooks.example:8443",
    }),
    base,
  );
  assert.deepEqual(
    grant(flags, "net"),
    new Set([
      "127.0.0.1:3000",
      // The API's inner server (core/http/api_socket.ts), under DATA_DIR.
      "unix:/app/data/run/http-3000.sock",
      "gpu-box:11434",
      "db:5432",
      "cache:6380",
      "avatar.example:443",
      "hooks.example:8443",
    ]),
  );
});

Deno.test("an API key alone reaches api.openai.com; the REPL does not listen", () => {
  const flags = supervisorFlags(config({ OPENAI_API_KEY: "sk-x" }), { ...base, command: "repl" });
  assert.deepEqual(grant(flags, "net"), new Set(["api.openai.com:443"]));
});

Deno.test("kernels need no net grant: no loopback port, no Unix socket", () => {
  const flags = supervisorFlags(config({}), { ...base, command: "repl" });
  const net = [...(grant(flags, "net") ?? [])];
  assert.ok(!net.includes("127.0.0.1"));
  assert.ok(net.every((h) => !h.startsWith("unix:")));
});

Deno.test("env is the config's variables plus the runtime's few, run is the sandbox launcher", () => {
  const flags = supervisorFlags(config({}), base);
  const env = grant(flags, "env")!;
  for (const name of CONFIG_ENV_NAMES) assert.ok(env.has(name), name);
  assert.ok(env.has("DENO_DIR") && env.has("XDG_CACHE_HOME"));
  assert.ok(!env.has("*") && !env.has("AWS_SECRET_ACCESS_KEY"));
  assert.deepEqual(grant(flags, "run"), new Set([SANDBOX_LAUNCHER]));
  assert.ok(flags.includes("--no-prompt"));
  for (const f of flags) assert.ok(!/^--allow-(all|net|env|run|read|write)$/.test(f), f);
});

Deno.test("one-shot commands may read the files they are given", () => {
  const here = new URL(".", import.meta.url).pathname.replace(/\/$/, "");
  const flags = supervisorFlags(config({}), {
    ...base,
    command: "kernel",
    args: ["run", `${here}/supervisor_flags.ts`, "--timeout-ms", "5"],
  });
  assert.ok(grant(flags, "read")!.has(`${here}/supervisor_flags.ts`));
});

Deno.test("configured MCP servers add exactly their commands, hosts and variables", () => {
  const c = config({});
  c.mcpServers = {
    fs: { command: "npx", args: ["-y", "@modelcontextprotocol/server-filesystem", "/notes"] },
    gh: { url: "https://api.example.com/mcp", headers: { Authorization: "Bearer ${GH_TOKEN}" } },
  };
  const flags = supervisorFlags(c, { ...base, command: "repl" });
  assert.deepEqual(grant(flags, "run"), new Set([...SUPERVISOR_RUN, "npx"]));
  assert.ok(grant(flags, "net")!.has("api.example.com:443"));
  assert.ok(grant(flags, "env")!.has("GH_TOKEN"));
  const serve = supervisorFlags(c, {
    ...base,
    command: "mcp",
    args: ["serve", "--http", "--port", "9100"],
  });
  assert.ok(grant(serve, "net")!.has("127.0.0.1:9100"));
});
