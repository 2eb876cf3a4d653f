/**
 * Why a stdio server's process could not start, worded for the person who configured it: the
 * supervisor's `--allow-run` does not list the command (Deno's `NotCapable`), the command is
 * not installed, or it may not be executed.
 */
import type { McpServerDef } from "./server_defs.ts";

/** A one-line reason when `e` is a refused spawn, else undefined. */
export function spawnRefusal(e: unknown, def: McpServerDef): string | undefined {
  if (def.transport.kind !== "stdio") return undefined;
  const command = def.transport.command;
  const where = `configured in ${def.origin}`;
  if (e instanceof Deno.errors.NotCapable) {
    return `the supervisor may not run "${command}" (${where}): it is not in its --allow-run ` +
      "list; start through `deno task repl` / `deno task start`, which add the configured " +
      "server commands, or add it to the task's --allow-run";
  }
  if (e instanceof Deno.errors.NotFound) {
    return `command "${command}" (${where}) was not found on PATH: is it installed?`;
  }
  if (e instanceof Deno.errors.PermissionDenied) {
    return `"${command}" (${where}) may not be executed: ${(e as Error).message}`;
  }
  return undefined;
}
