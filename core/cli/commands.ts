/**
 * The list of `main.ts` subcommands. Each is imported only when it runs, so `--help` and a
 * subcommand load only the modules they use (the whole graph, PGlite and the model client
 * included, cost ~200 ms before any work). Add a subcommand by adding a line here; its name and
 * summary must match its module's (commands_test.ts checks).
 */
import type { Command } from "./command.ts";

/** A subcommand as `--help` lists it, and how to load the rest of it. */
export interface CommandEntry {
  name: string;
  /** One line for `--help` (the same as the module's). */
  summary: string;
  load(): Promise<Command>;
}

/** Every subcommand, in `--help` order. */
export const COMMANDS: CommandEntry[] = [
  {
    name: "start",
    summary: "run the daemon (HTTP API on PORT, default 8000)",
    load: async () => (await import("./start_command.ts")).startCommand,
  },
  {
    name: "repl",
    summary: "interactive session with the agent (--replay a cassette to run offline)",
    load: async () => (await import("./repl_command.ts")).replCommand,
  },
  {
    name: "config",
    summary: "print the effective configuration (secrets masked)",
    load: async () => (await import("./config_command.ts")).configCommand,
  },
  {
    name: "model",
    summary: "send one prompt to the model endpoint (streams), or --list its models",
    load: async () => (await import("../model/model_command.ts")).modelCommand,
  },
  {
    name: "tools",
    summary: "list, search and describe tools; benchmark tool search",
    load: async () => (await import("./tools_command.ts")).toolsCommand,
  },
  {
    name: "memory",
    summary: "memory manager: bench, stats, search, backfill, unverified, confirm",
    load: async () => (await import("./memory_command.ts")).memoryCommand,
  },
  {
    name: "kernel",
    summary: "run a cells file (cells split by `// %%` lines) in a fresh sandboxed kernel",
    load: async () => (await import("./kernel_command.ts")).kernelCommand,
  },
  {
    name: "skills",
    summary: "list, check, test and approve learned skills; analyse a session's history",
    load: async () => (await import("./skills_command.ts")).skillsCommand,
  },
  {
    name: "prompt",
    summary: "print the orchestrator's initial context, or --stats its token count",
    load: async () => (await import("./prompt_command.ts")).promptCommand,
  },
  {
    name: "mcp",
    summary: "list the configured MCP servers and their tools; serve code mode as an MCP server",
    load: async () => (await import("./mcp_command.ts")).mcpCommand,
  },
  {
    name: "model-server",
    summary: "serve scripted model replies from a YAML file (for skills, tests and demos)",
    load: async () => (await import("./model_server_command.ts")).modelServerCommand,
  },
];
