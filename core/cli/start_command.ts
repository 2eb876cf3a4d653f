/** `start`: runs the daemon until SIGINT or SIGTERM, then shuts down gracefully (exit 0). */
import type { Command } from "./command.ts";
import { parseArgs } from "./args.ts";
import { loadConfig } from "../config.ts";
import { Logger } from "../log.ts";
import { type Daemon, startDaemon } from "../daemon.ts";

export const startCommand: Command = {
  name: "start",
  summary: "run the daemon (HTTP API on PORT, default 8000)",
  usage: "deno task start [--file agent.yaml]",
  async run(args) {
    const { values } = parseArgs(args, { file: { type: "string" } });
    const config = loadConfig({ file: values.file as string | undefined });
    const log = new Logger({ level: config.log.level, format: config.log.format });
    // Listen for signals before the daemon announces itself, so an early SIGTERM is graceful.
    let daemon: Daemon | undefined;
    let early: string | undefined;
    for (const signal of ["SIGINT", "SIGTERM"] as const) {
      Deno.addSignalListener(signal, () => {
        if (daemon) void daemon.shutdown(signal);
        else early = signal;
      });
    }
    daemon = startDaemon(config, log);
    if (early) void daemon.shutdown(early);
    await daemon.finished;
    return 0;
  },
};
