/** The command line: help, unknown subcommands and flags, and config errors. */
import assert from "node:assert/strict";

async function cli(args: string[], env: Record<string, string> = {}) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--no-prompt",
      "--allow-all",
      new URL("./main.ts", import.meta.url).pathname,
      ...args,
    ],
    env: { NO_COLOR: "1", ...env },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

Deno.test("--help lists the subcommands and exits 0", async () => {
  const r = await cli(["--help"]);
  assert.equal(r.code, 0);
  for (const name of ["start", "config"]) assert.match(r.stdout, new RegExp(`\\n  ${name} `));
});

Deno.test("an unknown subcommand exits 2 with a usage line", async () => {
  const r = await cli(["frobnicate"]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /unknown subcommand "frobnicate"/);
  assert.match(r.stderr, /usage: main\.ts <subcommand>/);
});

Deno.test("an unknown flag exits 2 naming the flag and the subcommand's usage", async () => {
  const r = await cli(["config", "--frob"]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--frob/);
  assert.match(r.stderr, /usage: deno task cli config/);
});

Deno.test("config prints the effective config with secrets masked", async () => {
  const r = await cli(["config", "--file", "/dev/null"], { OPENAI_API_KEY: "sk-visible?" });
  assert.equal(r.code, 0, r.stderr);
  const printed = JSON.parse(r.stdout);
  assert.equal(printed.model.apiKey, "***");
});

Deno.test("an invalid config exits non-zero naming the key", async () => {
  const r = await cli(["config", "--file", "/dev/null"], { PORT: "-5" });
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /http\.port \(from env PORT\) = "-5"/);
});
