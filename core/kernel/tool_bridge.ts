/**
 * The kernel's way out: cells call `tools.<name>(args)`, the kernel emits a message through the
 * `__kernel_emit` CDP binding, and this bridge runs the supervisor's `callTool` (the registry
 * validates, logs and applies policy), then settles the cell's promise. Everything that comes
 * from the kernel is untrusted and bounded: the message itself (the transport caps it before it
 * is buffered), the number of calls in flight (the kernel queues the rest itself; past the cap
 * a call is refused at once), and the late-error notices it may log (rate-limited, cut short).
 */
import { errorInfo } from "../errors.ts";
import type { Logger } from "../log.ts";
import { safeJsonParse } from "./safe_json.ts";
import type { CallTool } from "./types.ts";

/** Largest tool-call message (JSON characters), the same cap the kernel applies to arguments. */
export const MAX_TOOL_PAYLOAD = 16_000_000;
/** Tool calls one kernel may have running in the supervisor (the kernel queues beyond). */
export const MAX_TOOL_CALLS_IN_FLIGHT = 16;
/** Late-error notices logged per kernel per window; the rest are counted. */
const LATE_LOG_BURST = 10;
const LATE_WINDOW_MS = 10_000;
/** Refusals themselves are messages to the kernel: past this many pending, calls are dropped. */
const MAX_REFUSALS_PENDING = 64;

/** Where a settled tool call goes back: `internals.settle(id, ok, json)` in the kernel. */
export type Settle = (id: number, ok: boolean, json: string) => Promise<void>;

/** One kernel's bridge. */
export class ToolBridge {
  readonly #session: string;
  readonly #log: Logger;
  readonly #callTool: CallTool | undefined;
  readonly #settle: Settle;
  #inFlight = 0;
  #refusing = 0;
  #lateLogged = 0;
  #lateSuppressed = 0;
  #lateWindow = 0;

  constructor(session: string, log: Logger, callTool: CallTool | undefined, settle: Settle) {
    this.#session = session;
    this.#log = log;
    this.#callTool = callTool;
    this.#settle = settle;
  }

  /** Tool calls running now. */
  get inFlight(): number {
    return this.#inFlight;
  }

  /** Handles one payload from the kernel's binding (tool calls and late-error notices). */
  handle(payload: string): void {
    if (payload.length > MAX_TOOL_PAYLOAD) {
      // The kernel refuses such arguments itself: only a tampered kernel sends one. Answer it
      // if its id can be read without parsing the rest.
      const id = /^\{"t":"tool","id":(\d{1,15}),/.exec(payload.slice(0, 64))?.[1];
      if (id) {
        this.#refuse(
          Number(id),
          "ToolArgumentsTooLarge",
          `the call is over ${MAX_TOOL_PAYLOAD} characters`,
        );
      }
      return;
    }
    let msg: { t?: unknown; id?: unknown; name?: unknown; args?: unknown; error?: unknown };
    try {
      msg = safeJsonParse(payload) as typeof msg;
    } catch {
      return;
    }
    if (msg.t === "late_error") this.#lateError(msg.error);
    else if (msg.t === "tool" && typeof msg.id === "number" && typeof msg.name === "string") {
      if (this.#inFlight >= MAX_TOOL_CALLS_IN_FLIGHT) {
        this.#refuse(
          msg.id,
          "ToolCallLimit",
          `more than ${MAX_TOOL_CALLS_IN_FLIGHT} tool calls in flight from this kernel; ` +
            "await some before starting more",
        );
        return;
      }
      this.#inFlight++;
      void this.#run(msg.id, msg.name.slice(0, 200), msg.args);
    }
  }

  #refuse(id: number, name: string, message: string): void {
    if (this.#refusing >= MAX_REFUSALS_PENDING) return;
    this.#refusing++;
    void this.#settle(id, false, JSON.stringify({ name, message })).catch(() => {}).finally(() =>
      this.#refusing--
    );
  }

  #lateError(error: unknown): void {
    const now = performance.now();
    if (now - this.#lateWindow > LATE_WINDOW_MS) {
      if (this.#lateSuppressed > 0) {
        this.#log.warn("kernel_late_errors_suppressed", {
          session: this.#session,
          count: this.#lateSuppressed,
        });
      }
      this.#lateWindow = now;
      this.#lateLogged = 0;
      this.#lateSuppressed = 0;
    }
    if (this.#lateLogged >= LATE_LOG_BURST) {
      this.#lateSuppressed++;
      return;
    }
    this.#lateLogged++;
    const e = (typeof error === "object" && error !== null ? error : {}) as Record<string, unknown>;
    this.#log.warn("kernel_late_error", {
      session: this.#session,
      error: {
        name: String(e.name ?? "Error").slice(0, 100),
        message: String(e.message ?? "").slice(0, 1_000),
        ...(e.stack ? { stack: String(e.stack).slice(0, 2_000) } : {}),
      },
    });
  }

  async #run(id: number, name: string, args: unknown): Promise<void> {
    const t0 = performance.now();
    let ok = false;
    let value: unknown;
    try {
      if (!this.#callTool) {
        throw new Error(`No tools are available to this kernel (called "${name}")`);
      }
      const r = await this.#callTool(name, args);
      ok = r.ok;
      value = r.ok ? r.value : { name: r.error.name ?? "ToolError", message: r.error.message };
    } catch (e) {
      const info = errorInfo(e);
      value = { name: info.name, message: info.message };
    } finally {
      // Before settling: the kernel sends its next waiting call while it handles the settle.
      this.#inFlight--;
    }
    const ms = Math.round(performance.now() - t0);
    this.#log.info("kernel_tool_call", { session: this.#session, tool: name, ok, ms });
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
    await this.#settle(id, ok, json ?? "null").catch(() => {});
  }
}
