/** `cli config`: prints the effective configuration with secrets masked. */
import { type Command } from "./command.ts";
import { parseArgs } from "./args.ts";
import { loadConfig, maskedConfig } from "../config.ts";

export const configCommand: Command = {
  name: "config",
  summary: "print the effective configuration (secrets masked)",
  usage: "deno task cli config [--file agent.yaml]",
  run(args) {
    const { values } = parseArgs(args, { file: { type: "string" } });
    const config = loadConfig({ file: values.file as string | undefined });
    console.log(JSON.stringify(maskedConfig(config), null, 2));
    return Promise.resolve(0);
  },
};
