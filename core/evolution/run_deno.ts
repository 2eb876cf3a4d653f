/**
 * Runs a deno tool (`check`, `lint`, `doc`) on generated code through the sandbox launcher
 * (core/sandbox/launcher.pl owns the flags: the project's imports, compiler options and lint
 * rules without its excludes, which would make a check of a learned file check nothing; no
 * lockfile; a file importing anything outside its sandbox folder, the project or Deno's cache
 * is refused before deno reads it), with a wall-clock timeout after which the run is killed.
 */
import { runSandboxed, type SandboxRun } from "../sandbox/run_sandboxed.ts";

/** What a finished run produced. `timedOut` is set when it was killed. */
export type DenoRun = SandboxRun;

/**
 * Runs `deno <tool>` on `files` (all in one folder); never throws for a non-zero exit. The
 * sandbox is the folder above theirs (learned_skills/ or a staging folder: a test in tests/
 * imports ../functions/), so imports may reach that far and no further.
 */
export async function runDenoTool(
  tool: "check" | "lint" | "doc",
  files: string[],
  options: { timeoutMs?: number } = {},
): Promise<DenoRun> {
  const real = await Promise.all(files.map((f) => Deno.realPath(f)));
  const folder = parent(real[0]!);
  if (real.some((f) => parent(f) !== folder)) {
    throw new Error(`deno ${tool}: the files are not all in ${folder}: ${real.join(", ")}`);
  }
  const dir = parent(folder) || "/";
  const names = real.map((f) => f.slice(dir === "/" ? 1 : dir.length + 1));
  const run = await runSandboxed({ kind: tool, dir, files: names }, options);
  return { ...run, stderr: stripAnsi(run.stderr) };
}

function parent(path: string): string {
  return path.slice(0, path.lastIndexOf("/"));
}

/** Removes ANSI colour codes (some deno output ignores NO_COLOR). */
export function stripAnsi(text: string): string {
  // deno-lint-ignore no-control-regex
  return text.replace(/\x1b\[[0-9;]*m/g, "");
}
