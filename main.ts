/**
 * Entry point: wiring only. `deno task start` runs the daemon, `deno task repl` the interactive
 * session, `deno task cli <subcommand>` the rest. Subcommands live in core/cli/ and are imported
 * only when they run (core/cli/commands.ts).
 */
import { COMMANDS } from "./core/cli/commands.ts";
import { UsageError } from "./core/cli/command.ts";
import { ConfigError, RuntimeError } from "./core/errors.ts";
import { redactText } from "./core/redact.ts";

function help(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  const lines = COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return `usage: main.ts <subcommand> [flags]\n\nsubcommands:\n${lines.join("\n")}\n\n` +
    `Run "main.ts <subcommand> --help" for a subcommand's flags.`;
}

async function main(args: string[]): Promise<number> {
  const [name, ...rest] = args;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    console.log(help());
    return name === undefined ? 2 : 0;
  }
  const entry = COMMANDS.find((c) => c.name === name);
  if (!entry) {
    console.error(`error: unknown subcommand "${name}"\n${help()}`);
    return 2;
  }
  const command = await entry.load();
  if (rest.includes("--help") || rest.includes("-h")) {
    console.log(`usage: ${command.usage}\n\n${command.summary}`);
    return 0;
  }
  try {
    return await command.run(rest);
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`error: ${e.message}\nusage: ${command.usage}`);
      return 2;
    }
    if (e instanceof ConfigError) {
      console.error(`error: ${redactText(e.message)}`);
      return 78; // EX_CONFIG
    }
    if (e instanceof RuntimeError) {
      console.error(`error: ${redactText(e.message)}`);
      return 1;
    }
    return unexpected(e);
  }
}

/** Anything else: still one line, with what to do; LOG_LEVEL=debug shows the stack. */
function unexpected(e: unknown): number {
  let debug = false;
  try {
    debug = Deno.env.get("LOG_LEVEL") === "debug";
  } catch { /* no env permission */ }
  if (debug) throw e;
  const err = e instanceof Error ? e : new Error(String(e));
  const message = redactText(err.message.replace(/, run again with the --allow-\w+ flag/, ""));
  if (err instanceof Deno.errors.NotCapable) {
    console.error(
      `error: ${message}: the launcher grants only the configured paths and hosts ` +
        `(see "deno task cli config"; core/launch/supervisor_flags.ts derives them)`,
    );
  } else {
    console.error(`error: ${err.name}: ${message} (unexpected: LOG_LEVEL=debug shows the stack)`);
  }
  return 70; // EX_SOFTWARE
}

if (import.meta.main) Deno.exit(await main(Deno.args));
