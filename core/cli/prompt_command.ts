/**
 * `cli prompt`: prints the orchestrator's initial context (system prompt and the two meta-tool
 * schemas); `--stats` prints its token count instead, `--json` as `{"tokens": N}`. The count
 * does not depend on how many tools are installed: they are found with search_tools.
 */
import { parseArgs } from "./args.ts";
import type { Command } from "./command.ts";
import { UsageError } from "./command.ts";
import { initialContextTokens } from "../agent/context_stats.ts";
import { META_TOOLS, orchestratorPrompt } from "../agent/system_prompt.ts";

/** Where the command writes (tests pass their own). */
export interface PromptCommandIo {
  out: (text: string) => void;
}

/** Builds the command over `io`. */
export function makePromptCommand(io: PromptCommandIo): Command {
  return {
    name: "prompt",
    summary: "print the orchestrator's initial context, or --stats its token count",
    usage: "deno task cli prompt [--stats] [--json]",
    async run(args) {
      const { values, positionals } = parseArgs(args, {
        stats: { type: "boolean" },
        json: { type: "boolean" },
      });
      if (positionals.length) {
        throw new UsageError(`prompt: unexpected argument "${positionals[0]}"`);
      }
      const system = orchestratorPrompt();
      const tokens = await initialContextTokens(system);
      if (values.json) {
        io.out(
          JSON.stringify(values.stats ? { tokens } : { tokens, system, tools: META_TOOLS }) + "\n",
        );
      } else if (values.stats) {
        io.out(
          `initial context: ${tokens} tokens (system prompt + ${META_TOOLS.length} meta-tools)\n`,
        );
      } else {
        io.out(
          `${system}\n\n--- tools ---\n${
            JSON.stringify(META_TOOLS, null, 2)
          }\n\n(${tokens} tokens)\n`,
        );
      }
      return 0;
    },
  };
}

/** The command on the process's stdout. */
export const promptCommand: Command = makePromptCommand({
  out: (text) => void Deno.stdout.writeSync(new TextEncoder().encode(text)),
});
