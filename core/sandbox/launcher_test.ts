/**
 * The sandbox launcher refuses what it was not built to run: unknown jobs and keys, paths that
 * are not plain real paths, grants that are missing, forged, linked or reused, and callers that
 * are not deno. (Attacks from a whole hostile module: supervisor_attack_test.ts.)
 */
import assert from "node:assert/strict";
import { writeGrant } from "./grant.ts";
import { SANDBOX_LAUNCHER } from "./launcher_path.ts";
import { runSandboxed } from "./run_sandboxed.ts";

async function launch(args: string[]): Promise<{ code: number; text: string }> {
  const o = await new Deno.Command(SANDBOX_LAUNCHER, { args, stdout: "piped", stderr: "piped" })
    .output();
  const dec = new TextDecoder();
  return { code: o.code, text: dec.decode(o.stdout) + dec.decode(o.stderr) };
}

const kernelArgs = (ws: string) => [
  `--workspace=${ws}`,
  "--heap-mb=64",
  "--output-limit=10",
  "--transport=pipe",
];

Deno.test("the launcher refuses unknown jobs, unknown keys and bad values", async () => {
  const dir = await Deno.realPath(await Deno.makeTempDir());
  const cases: [string[], RegExp][] = [
    [[], /usage: launcher.pl <job>/],
    [["run"], /unknown job "run"/],
    [["eval", "-e", "1"], /unknown job "eval"/],
    [["probe", "--x=1"], /job probe takes no --x/],
    [["kernel", "-A"], /bad argument "-A": expected --key=value/],
    [["kernel", (await writeGrant(dir)).arg, ...kernelArgs(dir), "--heap-mb=5"], /given twice/],
    [
      ["kernel", (await writeGrant(dir)).arg, ...kernelArgs(dir).slice(0, 1), "--heap-mb=1e9"],
      /integer/,
    ],
    [[
      "kernel",
      (await writeGrant(dir)).arg,
      `--workspace=${dir}`,
      "--heap-mb=64",
      "--output-limit=1",
      "--transport=loopback",
    ], /netns or pipe/],
    [["kernel", "--workspace=relative/dir"], /bad path/],
    [["kernel", `--workspace=${dir}/a,b`], /bad path/],
    [["kernel", `--workspace=${dir}/./x`], /bad path/],
    [
      ["check", (await writeGrant(dir)).arg, `--dir=${dir}`, "--file=../etc/passwd"],
      /bad file name/,
    ],
    [["check", (await writeGrant(dir)).arg, `--dir=${dir}`, "--file=/etc/passwd"], /bad file name/],
  ];
  for (const [args, re] of cases) {
    const r = await launch(args);
    assert.equal(r.code, 2, args.join(" "));
    assert.match(r.text, re, args.join(" "));
  }
  await Deno.remove(dir, { recursive: true });
});

Deno.test("a grant is one plain file of ours, matching, used once", async () => {
  const dir = await Deno.realPath(await Deno.makeTempDir());
  const g = await writeGrant(dir);
  const wrong = g.arg.replace(/:([0-9a-f]{32})$/, ":" + "0".repeat(32));
  assert.match((await launch(["kernel", wrong, ...kernelArgs(dir)])).text, /does not match/);
  // Consumed by its first use (even by a job that then fails): a second use finds nothing.
  assert.match((await launch(["kernel", g.arg])).text, /needs --workspace/);
  const reused = await launch(["kernel", g.arg, ...kernelArgs(dir)]);
  assert.match(reused.text, /no grant for/);
  // A symlink or a hard link in place of the file does not count.
  const other = await Deno.realPath(await Deno.makeTempDir());
  const h = await writeGrant(other);
  const name = h.file.split("/").pop()!;
  await Deno.symlink(h.file, `${dir}/${name}`);
  const viaLink = h.arg.replace(other, dir);
  assert.match((await launch(["kernel", viaLink, ...kernelArgs(dir)])).text, /no grant for/);
  await Deno.remove(`${dir}/${name}`);
  await Deno.link(h.file, `${dir}/${name}`);
  assert.match((await launch(["kernel", viaLink, ...kernelArgs(dir)])).text, /not a plain file/);
  // A symlinked directory is not its own real path.
  await Deno.symlink(other, `${dir}/link`);
  const k = await writeGrant(other);
  assert.match((await launch(["kernel", k.arg.replace(other, `${dir}/link`)])).text, /real path/);
  await Deno.remove(dir, { recursive: true });
  await Deno.remove(other, { recursive: true });
});

Deno.test("the launcher runs only for a deno parent", async () => {
  const r = await new Deno.Command("/bin/sh", {
    args: ["-c", `"${SANDBOX_LAUNCHER}" probe; exit $?`],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(r.code, 2);
  assert.match(new TextDecoder().decode(r.stderr), /must be started by deno/);
});

Deno.test("check runs with the project's compiler options on a learned-style folder", async () => {
  const dir = await Deno.realPath(await Deno.makeTempDir());
  await Deno.mkdir(`${dir}/functions`);
  await Deno.writeTextFile(`${dir}/functions/f.ts`, "export const x: number = 'a';\n");
  await Deno.writeTextFile(
    `${dir}/functions/g.ts`,
    "import { z } from 'zod';\nexport const s = z.string();\n",
  );
  const bad = await runSandboxed({ kind: "check", dir, files: ["functions/f.ts"] });
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /TS2322/);
  const good = await runSandboxed({ kind: "check", dir, files: ["functions/g.ts"] });
  assert.equal(good.code, 0, good.stderr);
  // The derived config and the grant are gone.
  assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["functions"]);
  await Deno.remove(dir, { recursive: true });
});
