/**
 * The API token: none on loopback, `API_TOKEN` when set, otherwise generated once beyond loopback,
 * kept with mode 0600 and printed once. The last test runs the real `start` task bound to a
 * non-loopback address inside a private network namespace and attacks it from there.
 */
import assert from "node:assert/strict";
import { memoryLogger } from "../log.ts";
import { resolveApiToken, TOKEN_FILE } from "./api_token.ts";
import { cleanEnv } from "../testing/deno_child.ts";

Deno.test("no token on loopback unless API_TOKEN is set", () => {
  const { logger } = memoryLogger();
  for (const hostname of ["127.0.0.1", "localhost", "::1", "127.0.0.2"]) {
    assert.deepEqual(resolveApiToken({ hostname, dataDir: "/nonexistent", log: logger }), {
      source: "none",
    });
  }
  const set = resolveApiToken({
    configured: "tok-0123456789abcdef",
    hostname: "0.0.0.0",
    dataDir: "/nonexistent",
    log: logger,
  });
  assert.deepEqual(set, { token: "tok-0123456789abcdef", source: "env" });
});

Deno.test("beyond loopback a token is generated once, kept 0600 and printed only then", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "api_token_" });
  const { logger, records } = memoryLogger();
  const printed: string[] = [];
  const o = { hostname: "0.0.0.0", dataDir, log: logger, print: (l: string) => printed.push(l) };
  const first = resolveApiToken(o);
  assert.equal(first.source, "generated");
  assert.ok(first.token && first.token.length >= 40);
  assert.equal(printed.length, 1);
  assert.ok(printed[0]!.includes(first.token!));
  const path = `${dataDir}/${TOKEN_FILE}`;
  assert.equal(Deno.statSync(path).mode! & 0o777, 0o600);
  assert.ok(!JSON.stringify(records).includes(first.token!), "the token never enters the log");

  const second = resolveApiToken(o);
  assert.deepEqual(second, { token: first.token, source: "file", path });
  assert.equal(printed.length, 1, "a restart does not print it again");

  Deno.chmodSync(path, 0o644);
  resolveApiToken(o);
  assert.equal(Deno.statSync(path).mode! & 0o777, 0o600);
  assert.ok(records.some((r) => r.event === "api_token_file_mode_fixed"));
  Deno.writeTextFileSync(path, "short\n");
  assert.throws(() => resolveApiToken(o), /shorter than 16 characters: delete the file/);
  await Deno.remove(dataDir, { recursive: true });
});

/** Whether this machine lets us make a user + network namespace (CI must; elsewhere, skip). */
const canNetns = (() => {
  try {
    return new Deno.Command("unshare", { args: ["--user", "--map-root-user", "--net", "true"] })
      .outputSync().success;
  } catch {
    return false;
  }
})();

Deno.test({
  name: "bound beyond loopback, the API refuses a peer without the token",
  ignore: !canNetns && Deno.env.get("CI") !== "true",
}, async () => {
  const root = new URL("../..", import.meta.url).pathname;
  const dataDir = await Deno.makeTempDir({ prefix: "beyond_loopback_" });
  const script = new URL("./testdata/beyond_loopback.ts", import.meta.url).pathname;
  // A private network namespace: 192.0.2.1 is bound to its loopback device and no packet leaves.
  const inner = `ip link set lo up && ip addr add 192.0.2.1/32 dev lo && exec "$0" "$@"`;
  const out = await new Deno.Command("unshare", {
    args: [
      "--user",
      "--map-root-user",
      "--net",
      "sh",
      "-c",
      inner,
      Deno.execPath(),
      "run",
      "-A",
      script,
      dataDir,
    ],
    cwd: root,
    clearEnv: true,
    env: cleanEnv(),
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(out.stderr);
  try {
    assert.equal(out.code, 0, stderr);
    const r = JSON.parse(new TextDecoder().decode(out.stdout));
    assert.equal(r.printedOnce, 1);
    assert.equal(r.tokenInJsonLog, false);
    assert.equal(r.fileMode, "600");
    assert.equal(r.fileMatches, true);
    assert.deepEqual(r.noToken, {
      status: 401,
      metrics: 401,
      deactivateGet: 401,
      deactivatePost: 401,
      scbPost: 401,
      cycle: 401,
      health: 200,
      apiHealth: 200,
    });
    assert.deepEqual(r.withToken, { status: 200, scbPost: 200 });
    assert.deepEqual(r.restart, { printedAgain: false, loaded: true, status: 200 });
  } finally {
    await Deno.remove(dataDir, { recursive: true }).catch(() => {});
  }
});
