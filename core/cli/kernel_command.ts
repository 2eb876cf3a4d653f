/**
 * `cli kernel run <file>`: runs a cells file (cells separated by lines that are exactly
 * `// %%`) in one fresh kernel and prints one JSON object per cell per line. Exit 0 when the
 * kernel ran, even if cells failed; 1 when the kernel itself could not run.
 */
import { type Command, UsageError } from "./command.ts";
import { intFlag, parseArgs } from "./args.ts";
import { loadConfig } from "../config.ts";
import { Logger } from "../log.ts";
import { resolve } from "node:path";
import { Kernel } from "../kernel/kernel.ts";
import { parseCells } from "../kernel/cells.ts";
import type { CellResult } from "../kernel/types.ts";

/** The line printed for one cell (the documented CLI shape). */
export function cellLine(r: CellResult): string {
  return JSON.stringify({
    cell: r.cell,
    ok: r.ok,
    display: r.display,
    value: r.value ?? null,
    stdout: r.stdout,
    stderr: r.stderr,
    error: r.error ? { name: r.error.name, message: r.error.message, line: r.error.line } : null,
    ms: r.ms,
    ...(r.lateErrors ? { lateErrors: r.lateErrors.map((e) => `${e.name}: ${e.message}`) } : {}),
    ...(r.restart ? { restart: r.restart } : {}),
  });
}

export const kernelCommand: Command = {
  name: "kernel",
  summary: "run a cells file (cells split by `// %%` lines) in a fresh sandboxed kernel",
  usage: "deno task cli kernel run <file> [--timeout-ms N] [--json]",
  async run(args) {
    const { values, positionals } = parseArgs(args, {
      "timeout-ms": { type: "string" },
      json: { type: "boolean" }, // JSON lines are the only output format; accepted for scripts
    });
    const [sub, file, ...extra] = positionals;
    if (sub !== "run") {
      throw new UsageError(`unknown kernel subcommand ${JSON.stringify(sub ?? "")}`);
    }
    if (!file) throw new UsageError("kernel run needs a cells file");
    if (extra.length) throw new UsageError(`unexpected arguments: ${extra.join(" ")}`);
    let text: string;
    try {
      text = await Deno.readTextFile(file);
    } catch (e) {
      throw new UsageError(`Cannot read cells file "${file}": ${(e as Error).message}`);
    }
    const config = loadConfig();
    const timeoutMs = intFlag(values, "timeout-ms", config.kernel.cellTimeoutMs);
    const log = new Logger({ level: "warn", actor: "kernel-cli" });
    const id = `cli-${Date.now().toString(36)}-${crypto.randomUUID().slice(0, 8)}`;
    const sessionDir = `${config.paths.sessions}/${id}`;
    let kernel: Kernel;
    try {
      kernel = await Kernel.start({
        sessionId: id,
        workspaceDir: `${sessionDir}/workspace`,
        learnedSkillsDir: resolve(config.paths.learnedSkills),
        heapMb: config.kernel.heapMb,
        rssMb: config.kernel.rssMb,
        cellTimeoutMs: timeoutMs,
        isolation: config.kernel.isolation,
        log,
      });
    } catch (e) {
      console.error(`error: the kernel could not start: ${(e as Error).message}`);
      return 1;
    }
    try {
      for (const cell of parseCells(text)) {
        console.log(cellLine(await kernel.execute(cell, { timeoutMs })));
      }
      return 0;
    } catch (e) {
      console.error(`error: the kernel failed: ${(e as Error).message}`);
      return 1;
    } finally {
      await kernel.close();
      await Deno.remove(sessionDir, { recursive: true }).catch(() => {});
    }
  },
};
