/**
 * Runs a `deno` subcommand on generated code as a child process with the project's deno.json
 * (so bare imports resolve), `--cached-only` and `--no-lock` (a check must never write the
 * lockfile), no colours, and a wall-clock timeout after which the child is killed.
 */
import { denoBinary, denoDir } from "../subprocess_command.ts";

/** The project's deno.json, used as `--config` for every check. */
export const PROJECT_CONFIG: string = new URL("../../deno.json", import.meta.url).pathname;

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
