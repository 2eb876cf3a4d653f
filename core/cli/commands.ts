/** The list of `main.ts` subcommands. Add a subcommand by adding its module here. */
import type { Command } from "./command.ts";
import { configCommand } from "./config_command.ts";
import { kernelCommand } from "./kernel_command.ts";
import { memoryCommand } from "./memory_command.ts";
import { modelCommand } from "../model/model_command.ts";
import { skillsCommand } from "./skills_command.ts";
import { startCommand } from "./start_command.ts";
import { toolsCommand } from "./tools_command.ts";
import { replCommand } from "./repl_command.ts";
import { promptCommand } from "./prompt_command.ts";
import { mcpCommand } from "./mcp_command.ts";

/** Every subcommand, in `--help` order. */
export const COMMANDS: Command[] = [
  startCommand,
  replCommand,
  configCommand,
  modelCommand,
  toolsCommand,
  memoryCommand,
  kernelCommand,
  skillsCommand,
  promptCommand,
  mcpCommand,
];
