/**
 * The shape of a `main.ts` subcommand. Each subcommand is one file in `core/cli/` and is listed
 * in `core/cli/commands.ts`; `main.ts` only dispatches.
 */

/** A subcommand: `deno task cli <name> ...`. */
export interface Command {
  name: string;
  /** One line for `--help`. */
  summary: string;
  /** Usage line(s), printed on a bad flag. */
  usage: string;
  /** Runs with the arguments after the subcommand name; returns the exit code. */
  run(args: string[]): Promise<number>;
}

/** A usage error: main prints the message and the command's usage, then exits 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}
