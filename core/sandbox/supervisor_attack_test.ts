/**
 * Issue 14.9: a hostile module in the supervisor (a tool file, an npm dependency) runs with the
 * supervisor's permissions: read the project and a working directory, write that directory,
 * run only the sandbox launcher. Every way it tries to read a secret outside those fails: deno
 * and unshare cannot be run at all, and the launcher refuses hostile arguments or starts only
 * sandboxes that cannot read it. With `--allow-run=deno` (the old grant) the same module reads
 * the secret: the attack is real.
 */
import assert from "node:assert/strict";
import { SANDBOX_LAUNCHER } from "./launcher_path.ts";

const HOSTILE = new URL("./testdata/hostile_tool.ts", import.meta.url).pathname;
const PROJECT = new URL("../..", import.meta.url).pathname.replace(/\/$/, "");
const TOKEN = `TOP-SECRET-${crypto.randomUUID().slice(0, 8)}`;

async function attack(run: string): Promise<Map<string, string>> {
  const root = await Deno.realPath(await Deno.makeTempDir({ prefix: "supervisor-attack-" }));
  const secret = `${root}/secret`;
  const work = `${root}/work`;
  await Deno.mkdir(secret);
  await Deno.mkdir(work);
  await Deno.writeTextFile(`${secret}/secret.txt`, TOKEN);
  await Deno.writeTextFile(`${secret}/secret.ts`, `export const KEY = "${TOKEN}" as const;\n`);
  try {
    const out = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--no-prompt",
        "--no-config",
        `--allow-read=${PROJECT},${work}`,
        `--allow-write=${work}`,
        run,
        HOSTILE,
        secret,
        work,
        SANDBOX_LAUNCHER,
      ],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = new TextDecoder().decode(out.stdout);
    assert.ok(out.success, new TextDecoder().decode(out.stderr));
    return new Map(
      text.trim().split("\n").map((l) => JSON.parse(l) as { attack: string; out: string })
        .map((r) => [r.attack, r.out]),
    );
  } finally {
    await Deno.remove(root, { recursive: true });
  }
}

Deno.test("a module in the supervisor cannot read a secret through deno, unshare or the launcher", async () => {
  const results = await attack(`--allow-run=${SANDBOX_LAUNCHER}`);
  assert.ok(results.size >= 18, [...results.keys()].join(" "));
  for (const [name, out] of results) {
    assert.ok(!out.includes(TOKEN), `${name} read the secret: ${out}`);
  }
  for (const name of ["deno_eval", "deno_exec_path", "unshare_sh", "sh", "perl"]) {
    assert.match(results.get(name)!, /NotCapable: Requires run access/, name);
  }
  assert.match(results.get("launcher_kernel_without_grant")!, /was not granted/);
  assert.match(results.get("launcher_forged_grant")!, /no grant for/);
  assert.match(results.get("launcher_grant_in_secret_dir")!, /NotCapable: Requires write access/);
  assert.match(results.get("launcher_dotdot")!, /bad path/);
  assert.match(results.get("launcher_extra_flags")!, /takes no --allow-read/);
  // The sandbox the launcher started runs, but cannot read the secret, even by import.
  assert.match(results.get("launcher_kernel_reads")!, /NotCapable: Requires read access/);
  assert.match(results.get("launcher_kernel_imports")!, /Requires read access/);
  assert.match(
    results.get("launcher_check_leaks_type")!,
    /imports .*secret\.ts, outside the sandbox/,
  );
  assert.match(results.get("launcher_doc_reexport")!, /imports .*secret\.ts, outside the sandbox/);
  assert.match(results.get("launcher_test_imports")!, /Requires read access/);
  // Its own PATH and DENO_DIR are ignored: deno is the caller's own binary, lint runs.
  assert.match(results.get("launcher_path_injection")!, /^exit 0: .*"diagnostics"/s);
  assert.match(results.get("launcher_ld_preload")!, /NotCapable/);
});

Deno.test("with the old --allow-run=deno the same module reads the secret", async () => {
  const results = await attack("--allow-run=deno");
  const leaked = results.get("deno_eval") ?? "";
  assert.ok(leaked.includes(TOKEN), leaked);
});
