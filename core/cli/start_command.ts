/** `start`: runs the daemon until SIGINT or SIGTERM, then shuts down gracefully (exit 0). */
import { type Command, UsageError } from "./command.ts";
import { parseArgs } from "./args.ts";
import { loadConfig } from "../config.ts";
import { Logger } from "../log.ts";
import { type Daemon, startDaemon } from "../daemon.ts";
import { configureTracing } from "../telemetry/tracing.ts";
import { listenError } from "./listen_error.ts";

export const startCommand: Command = {
  name: "start",
  summary: "run the daemon (HTTP API on PORT, default 8000)",
  usage: "deno task start [--file agent.yaml]",
  async run(args) {
    const { values } = parseArgs(args, { file: { type: "string" }, replay: { type: "string" } });
    if (values.replay !== undefined) {
      throw new UsageError(
        "the daemon does not replay cassettes (its cycles see live context); " +
          `replay a REPL session with: deno task repl --replay ${values.replay}`,
      );
    }
    const config = loadConfig({ file: values.file as string | undefined });
    const { telemetry } = config;
    const log = new Logger({
      level: config.log.level,
      format: config.log.format,
      exportRecords: telemetry.enabled && telemetry.console === "replace",
    });
    configureTracing({ captureContent: telemetry.captureContent });
    if (telemetry.enabled && telemetry.console !== "replace") {
      log.warn("otel_logs_not_exported", {
        hint:
          "log records are exported only with OTEL_DENO_CONSOLE=replace (deno task start sets it)",
      });
    }
    // Listen for signals before the daemon announces itself, so an early SIGTERM is graceful.
    const state: { daemon?: Daemon; early?: string } = {};
    for (const signal of ["SIGINT", "SIGTERM"] as const) {
      Deno.addSignalListener(signal, () => {
        if (state.daemon) void state.daemon.shutdown(signal);
        else state.early = signal;
      });
    }
    let daemon: Daemon;
    try {
      daemon = state.daemon = startDaemon(config, log);
    } catch (e) {
      throw listenError(e, config.http.hostname, config.http.port, "PORT (http.port)");
    }
    if (state.early) void daemon.shutdown(state.early);
    await daemon.finished;
    return 0;
  },
};
