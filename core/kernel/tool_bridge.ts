/**
 * The kernel's way out: cells call `tools.<name>(args)`, the kernel emits a message through the
 * `__kernel_emit` CDP binding, and this bridge runs the supervisor's `callTool` (the registry
 * validates, logs and applies policy), then settles the cell's promise. Everything that comes
 * from the kernel is untrusted: size-capped, parsed without `__proto__`, shape-checked.
 */
import { errorInfo } from "../errors.ts";
import type { Logger } from "../log.ts";
import { safeJsonParse } from "./safe_json.ts";
import type { CallTool } from "./types.ts";

const MAX_PAYLOAD = 16_000_000;

/** Where a settled tool call goes back: `internals.settle(id, ok, json)` in the kernel. */
export type Settle = (id: number, ok: boolean, json: string) => Promise<void>;

/** Handles one payload from the kernel's binding (tool calls and late-error notices). */
export function handleEmit(
  payload: string,
  session: string,
  log: Logger,
  callTool: CallTool | undefined,
  settle: Settle,
): void {
  if (payload.length > MAX_PAYLOAD) return;
  let msg: { t?: unknown; id?: unknown; name?: unknown; args?: unknown; error?: unknown };
  try {
    msg = safeJsonParse(payload) as typeof msg;
  } catch {
    return;
  }
  if (msg.t === "late_error") {
    log.warn("kernel_late_error", { session, error: msg.error });
  } else if (msg.t === "tool" && typeof msg.id === "number" && typeof msg.name === "string") {
    void runTool(msg.id, msg.name, msg.args, session, log, callTool, settle);
  }
}

async function runTool(
  id: number,
  name: string,
  args: unknown,
  session: string,
  log: Logger,
  callTool: CallTool | undefined,
  settle: Settle,
): Promise<void> {
  const t0 = performance.now();
  let ok = false;
  let value: unknown;
  try {
    if (!callTool) throw new Error(`No tools are available to this kernel (called "${name}")`);
    const r = await callTool(name, args);
    ok = r.ok;
    value = r.ok ? r.value : { name: r.error.name ?? "ToolError", message: r.error.message };
  } catch (e) {
    const info = errorInfo(e);
    value = { name: info.name, message: info.message };
  }
  const ms = Math.round(performance.now() - t0);
  log.info("kernel_tool_call", { session, tool: name, ok, ms });
  let json: string | undefined;
  try {
    json = JSON.stringify(value ?? null);
  } catch (e) {
    ok = false;
    json = JSON.stringify({
      name: "ToolError",
      message: `result is not JSON: ${errorInfo(e).message}`,
    });
  }
  await settle(id, ok, json ?? "null").catch(() => {});
}
