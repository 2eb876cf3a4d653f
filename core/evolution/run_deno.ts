/**
 * Runs a `deno` subcommand on generated code as a child process with the project's deno.json
 * (so bare imports resolve), `--cached-only` and `--no-lock` (a check must never write the
 * lockfile), no colours, and a wall-clock timeout after which the child is killed. Static checks
 * use {@link checksConfig} instead: the project's config excludes learned_skills/ and data/, and
 * `deno check`/`deno lint` given an excluded file check nothing and succeed.
 */
import { denoBinary, denoDir } from "../subprocess_command.ts";
import { sha256Hex } from "./skill_file.ts";

/** The project's deno.json (import map and lockfile of sandboxed runs). */
export const PROJECT_CONFIG: string = new URL("../../deno.json", import.meta.url).pathname;

let checks: Promise<string> | undefined;
/**
 * A config with the project's imports, compiler options and lint rules and no excludes, written
 * once per process to the temp dir (named by its hash, so runs share it).
 */
export function checksConfig(): Promise<string> {
  return checks ??= (async () => {
    const p = JSON.parse(await Deno.readTextFile(PROJECT_CONFIG));
    const text = JSON.stringify({
      imports: p.imports,
      compilerOptions: p.compilerOptions,
      nodeModulesDir: p.nodeModulesDir,
      lint: { rules: p.lint?.rules ?? {} },
    });
    // The temp dir as Deno sees it (TMPDIR), without needing env permission to read TMPDIR.
    const probe = await Deno.makeTempFile({ prefix: "autoliza-checks-probe-" });
    await Deno.remove(probe);
    const tmp = probe.slice(0, probe.lastIndexOf("/"));
    const path = `${tmp}/autoliza-checks-${(await sha256Hex(text)).slice(0, 12)}.json`;
    const current = await Deno.readTextFile(path).catch(() => undefined);
    if (current !== text) {
      await Deno.writeTextFile(`${path}.${Deno.pid}`, text);
      await Deno.rename(`${path}.${Deno.pid}`, path);
    }
    return path;
  })();
}

/** What a finished `deno` child produced. `timedOut` is set when it was killed. */
export interface DenoRun {
  code: number;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  ms: number;
}

/** Options of {@link runDeno}. */
export interface RunDenoOptions {
  cwd?: string;
  /** Default 60 s. */
  timeoutMs?: number;
  /** Start from an empty environment (only NO_COLOR and DENO_DIR), as the kernel does. */
  clearEnv?: boolean;
}

/** Runs `deno <args>` and collects its output; never throws for a non-zero exit. */
export async function runDeno(args: string[], options: RunDenoOptions = {}): Promise<DenoRun> {
  const started = performance.now();
  const child = new Deno.Command(denoBinary(), {
    args,
    cwd: options.cwd ?? Deno.cwd(),
    env: { NO_COLOR: "1", RUST_BACKTRACE: "0", ...cacheDir() },
    clearEnv: options.clearEnv ?? false,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    try {
      child.kill("SIGKILL");
    } catch {
      // already gone
    }
  }, options.timeoutMs ?? 60_000);
  try {
    const out = await child.output();
    const dec = new TextDecoder();
    return {
      code: out.code,
      stdout: dec.decode(out.stdout),
      stderr: stripAnsi(dec.decode(out.stderr)),
      timedOut,
      ms: performance.now() - started,
    };
  } finally {
    clearTimeout(timer);
  }
}

function cacheDir(): Record<string, string> {
  const dir = denoDir();
  return dir ? { DENO_DIR: dir } : {};
}

/** Removes ANSI colour codes (some deno output ignores NO_COLOR). */
export function stripAnsi(text: string): string {
  // deno-lint-ignore no-control-regex
  return text.replace(/\x1b\[[0-9;]*m/g, "");
}
