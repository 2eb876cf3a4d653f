/**
 * `cli kernel run <file>`: runs a cells file (cells separated by lines that are exactly
 * `// %%`) in one fresh kernel and prints each cell's outcome for people, or with `--json` one
 * JSON object per cell per line. Exit 0 when the kernel ran, even if cells failed; 1 when the
 * kernel itself could not run. There is no tool registry here: `tools.<name>` answers so.
 */
import { type Command, UsageError } from "./command.ts";
import { intFlag, parseArgs } from "./args.ts";
import { loadConfig } from "../config.ts";
import { Logger } from "../log.ts";
import { resolve } from "node:path";
import { Kernel } from "../kernel/kernel.ts";
import { parseCells } from "../kernel/cells.ts";
import type { CallTool, CellResult } from "../kernel/types.ts";
import { terminalSafe } from "../terminal_safe.ts";

/** Tools are the REPL's and the agent's (services, approvals): a cell here is told so. */
const noTools: CallTool = (name) =>
  Promise.resolve({
    ok: false,
    error: {
      name: "ToolsUnavailable",
      message: `tools.${name}: \`cli kernel run\` runs cells without the tool registry; ` +
        "run them in `deno task repl` to call tools",
    },
  });

/** One cell's outcome for people: a header line, its output, its value. */
export function cellText(r: CellResult): string {
  const ms = `${Math.round(r.ms * 10) / 10} ms`;
  const where = r.error?.line ? ` at line ${r.error.line}` : "";
  const lines = [
    r.ok
      ? `cell ${r.cell}: ok (${ms})`
      : `cell ${r.cell}: ${r.error?.name}${where}: ${r.error?.message} (${ms})`,
  ];
  if (r.stdout) lines.push(r.stdout.replace(/\n$/, ""));
  if (r.stderr) lines.push(...r.stderr.replace(/\n$/, "").split("\n").map((l) => `stderr: ${l}`));
  if (r.ok && r.display !== "undefined") lines.push(`=> ${r.display}`);
  for (const e of r.lateErrors ?? []) lines.push(`late: ${e.name}: ${e.message}`);
  if (r.restart) {
    lines.push(
      `(the kernel restarted: ${r.restart.reason}; restored ${
        r.restart.restored.join(", ") || "nothing"
      }` +
        `${r.restart.lost.length ? `; lost ${r.restart.lost.join(", ")}` : ""})`,
    );
  }
  return terminalSafe(lines.join("\n"));
}

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
  usage: "deno task cli kernel run <file> [--timeout-ms N] [--json]  (no tools.* here)",
  async run(args) {
    const { values, positionals } = parseArgs(args, {
      "timeout-ms": { type: "string" },
      json: { type: "boolean" },
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
        callTool: noTools,
        log,
      });
    } catch (e) {
      console.error(`error: the kernel could not start: ${(e as Error).message}`);
      return 1;
    }
    try {
      for (const cell of parseCells(text)) {
        const r = await kernel.execute(cell, { timeoutMs });
        console.log(values.json ? cellLine(r) : cellText(r));
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
