/**
 * `deno task start|cli` through the launcher, as a user runs them: any Deno cache location
 * (DENO_DIR, XDG_CACHE_HOME) and a data directory outside the project, with no edit to
 * deno.json; exit codes and signals pass through.
 */
import assert from "node:assert/strict";

const ROOT = new URL("../..", import.meta.url).pathname;

/** Deno's npm cache as this process sees it (wherever CI or the user put it). */
async function npmCache(): Promise<string> {
  const out = await new Deno.Command(Deno.execPath(), { args: ["info", "--json"] }).output();
  return JSON.parse(new TextDecoder().decode(out.stdout)).npmCache;
}

/** A clean environment: nothing from the caller's config (CI sets DATABASE_URL and more). */
function cleanEnv(extra: Record<string, string>): Record<string, string> {
  return {
    HOME: Deno.env.get("HOME") ?? "/",
    PATH: Deno.env.get("PATH") ?? "",
    NO_COLOR: "1",
    ...extra,
  };
}

/** Runs `deno task start` until the memory actor opened (or failed), then SIGTERMs it. */
async function startUntilMemory(env: Record<string, string>) {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["task", "--quiet", "start"],
    cwd: ROOT,
    clearEnv: true,
    env: cleanEnv({ PORT: "0", HOST: "127.0.0.1", ...env }),
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const reader = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
  let log = "";
  while (!/"memory_open"|actor_start_failed|platform_start_failed/.test(log)) {
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
  return { code: (await child.status).code, log };
}

/** A fresh Deno cache directory whose npm packages are the real ones (no network needed). */
async function cacheWithPackages(prefix: string, sub = ""): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix });
  await Deno.mkdir(`${dir}${sub}`, { recursive: true });
  await Deno.symlink(await npmCache(), `${dir}${sub}/npm`);
  return dir;
}

for (const kind of ["DENO_DIR", "XDG_CACHE_HOME"] as const) {
  Deno.test(`deno task start works with ${kind} elsewhere and DATA_DIR outside the project`, async () => {
    const cache = await cacheWithPackages(`launch_${kind}_`, kind === "DENO_DIR" ? "" : "/deno");
    const data = await Deno.makeTempDir({ prefix: "launch_data_" });
    try {
      const { code, log } = await startUntilMemory({ [kind]: cache, DATA_DIR: data });
      assert.doesNotMatch(log, /escalate|Requires \w+ access/, log);
      assert.match(log, /"event":"memory_open","engine":"pglite"/, log);
      assert.match(log, /"event":"shutdown_finished","reason":"SIGTERM"/);
      assert.equal(code, 0, log);
      assert.ok((await Deno.stat(`${data}/pglite`)).isDirectory, "PGlite wrote under DATA_DIR");
    } finally {
      await Deno.remove(cache, { recursive: true });
      await Deno.remove(data, { recursive: true });
    }
  });
}

async function cli(args: string[], env: Record<string, string> = {}) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["task", "--quiet", "cli", ...args],
    cwd: ROOT,
    clearEnv: true,
    env: cleanEnv(env),
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

Deno.test("the launcher passes main.ts's exit code and its config errors through", async () => {
  const unknown = await cli(["frobnicate"]);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /unknown subcommand "frobnicate"/);
  const bad = await cli(["config"], { PORT: "-5" });
  assert.equal(bad.code, 78, bad.stderr);
  assert.match(bad.stderr, /http\.port \(from env PORT\) = "-5"/);
  assert.doesNotMatch(bad.stderr, /NotCapable|\n\s+at /);
});

Deno.test("the supervisor cannot read the environment beyond what the config reads", async () => {
  // `cli config` prints the effective config; a variable no config key names stays unreadable.
  const file = await Deno.makeTempFile({ suffix: ".ts", dir: `${ROOT}/learned_skills` });
  try {
    await Deno.writeTextFile(
      file,
      `let r; try { r = Deno.env.get("AWS_SECRET_ACCESS_KEY") ?? "unset"; }` +
        ` catch (e) { r = e.name; } console.log("env:" + r);`,
    );
    const flags = (await import("./supervisor_flags.ts")).supervisorFlags;
    const { loadConfig } = await import("../config.ts");
    const args = flags(loadConfig({ env: {}, file: "/dev/null" }), {
      command: "config",
      args: [],
      projectDir: ROOT.replace(/\/$/, ""),
      cwd: ROOT,
      env: {},
      packageDirs: [],
    });
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", ...args, file],
      env: { AWS_SECRET_ACCESS_KEY: "s3cr3t" },
    }).output();
    assert.match(new TextDecoder().decode(out.stdout), /env:NotCapable/);
  } finally {
    await Deno.remove(file);
  }
});
