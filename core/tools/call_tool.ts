/**
 * Runs one tool call for the kernel: validates the arguments against the tool's zod schema,
 * asks the approver when the tool requires approval, applies the timeout through an
 * AbortSignal, and times the call, in an `execute_tool` span. It never throws: a model mistake (bad arguments, a tool that
 * throws, a timeout) comes back as `{ok: false, error}` to be shown to the model.
 */
import type { z } from "zod";
import type { Logger } from "../log.ts";
import type { ToolContext, ToolDefinition } from "../tool.ts";
import { inToolSpan } from "../telemetry/tracing.ts";

/** Why a call failed; stable codes for logs and `tool_usage` rows. */
export type ToolErrorCode =
  | "unknown_tool"
  | "disabled"
  | "not_runnable"
  | "invalid_args"
  | "denied"
  | "timeout"
  | "aborted"
  | "bad_output"
  | "failed"
  | "unavailable";

/**
 * Thrown by a tool's `run` to fail with a specific code, e.g. `unavailable` while the MCP server
 * behind it restarts; any other throw is `failed`.
 */
export class ToolCallError extends Error {
  readonly code: ToolErrorCode;
  constructor(code: ToolErrorCode, message: string) {
    super(message);
    this.name = "ToolCallError";
    this.code = code;
  }
}

/** The outcome of a call; `ms` is wall time including validation and approval. */
export type ToolResult =
  | { ok: true; value: unknown; ms: number }
  | { ok: false; error: { code: ToolErrorCode; message: string }; ms: number };

type ResultBody =
  | { ok: true; value: unknown }
  | { ok: false; error: { code: ToolErrorCode; message: string } };

/** What the approver is asked. */
export interface ApprovalRequest {
  tool: string;
  args: unknown;
  sessionId?: string;
}

/** Decides whether a call that requires approval may run (REPL prompt, policy, ...). */
export type Approver = (request: ApprovalRequest) => boolean | Promise<boolean>;

/** Default approver: nobody is asked, so the call is denied. */
export const denyAll: Approver = () => false;

/** Effective policy for one call (definition merged with tools.yaml). */
export interface CallPolicy {
  timeoutMs: number;
  requiresApproval: boolean;
  params: Record<string, unknown>;
}

/** Caller-side context: cancellation, services, session. */
export interface CallContext {
  signal?: AbortSignal;
  services?: Record<string, unknown>;
  sessionId?: string;
  /** The calling kernel's workspace, where a tool may leave files for the cell. */
  workspaceDir?: string;
}

/** Runs `def` with `args` under `policy`; see the file doc for the guarantees. */
export function callTool(
  name: string,
  def: ToolDefinition,
  args: unknown,
  policy: CallPolicy,
  deps: { log: Logger; approver: Approver; ctx?: CallContext; source?: string },
): Promise<ToolResult> {
  return inToolSpan(name, args, () => runTool(name, def, args, policy, deps), deps.source);
}

async function runTool(
  name: string,
  def: ToolDefinition,
  args: unknown,
  policy: CallPolicy,
  deps: { log: Logger; approver: Approver; ctx?: CallContext },
): Promise<ToolResult> {
  const start = performance.now();
  let settled = false; // a run that ends after its timeout must not log a second outcome
  const done = (r: ResultBody): ToolResult => {
    const result = { ...r, ms: Math.round((performance.now() - start) * 100) / 100 } as ToolResult;
    if (settled) return result;
    settled = true;
    deps.log.info("tool_call", {
      tool: name,
      ok: result.ok,
      ms: result.ms,
      ...(result.ok ? {} : { code: result.error.code, error: result.error.message }),
      ...(deps.ctx?.sessionId ? { sessionId: deps.ctx.sessionId } : {}),
    });
    return result;
  };
  const fail = (code: ToolErrorCode, message: string) =>
    done({ ok: false, error: { code, message } });

  const parsed = def.input.safeParse(args ?? {});
  if (!parsed.success) return fail("invalid_args", describeArgIssues(name, parsed.error));

  if (policy.requiresApproval) {
    let approved = false;
    try {
      approved = await deps.approver({
        tool: name,
        args: parsed.data,
        ...(deps.ctx?.sessionId ? { sessionId: deps.ctx.sessionId } : {}),
      });
    } catch (e) {
      return fail("denied", `Tool "${name}" requires approval and the approver failed: ${msg(e)}`);
    }
    if (!approved) {
      return fail("denied", `Tool "${name}" requires approval and the call was denied`);
    }
  }

  const controller = new AbortController();
  const outer = deps.ctx?.signal;
  if (outer?.aborted) return fail("aborted", `Tool "${name}" was cancelled before it started`);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onAbort: (() => void) | undefined;
  const stop = new Promise<ToolResult>((resolve) => {
    timer = setTimeout(() => {
      controller.abort(new Error("timeout"));
      resolve(fail("timeout", `Tool "${name}" timed out after ${policy.timeoutMs} ms`));
    }, policy.timeoutMs);
    onAbort = () => {
      controller.abort(outer?.reason);
      resolve(fail("aborted", `Tool "${name}" was cancelled`));
    };
    outer?.addEventListener("abort", onAbort, { once: true });
  });
  const ctx: ToolContext = {
    signal: controller.signal,
    log: deps.log.child(`tool:${name}`),
    params: policy.params,
    services: deps.ctx?.services ?? {},
    ...(deps.ctx?.sessionId ? { sessionId: deps.ctx.sessionId } : {}),
    ...(deps.ctx?.workspaceDir ? { workspaceDir: deps.ctx.workspaceDir } : {}),
  };
  const run = (async (): Promise<ToolResult> => {
    try {
      const value = await def.run(parsed.data, ctx);
      if (controller.signal.aborted) return fail("aborted", `Tool "${name}" was cancelled`);
      if (def.output) {
        const out = def.output.safeParse(value);
        if (!out.success) {
          return fail(
            "bad_output",
            `Tool "${name}" returned a value that does not match its ` +
              `output schema: ${issueList(out.error)}`,
          );
        }
      }
      return done({ ok: true, value });
    } catch (e) {
      const code = e instanceof ToolCallError ? e.code : "failed";
      return fail(code, `Tool "${name}" failed: ${msg(e)}`);
    }
  })();
  try {
    return await Promise.race([run, stop]);
  } finally {
    clearTimeout(timer);
    if (onAbort) outer?.removeEventListener("abort", onAbort);
  }
}

/** `Invalid arguments for tool "x": field "a.b": expected string, received number`. */
export function describeArgIssues(name: string, error: z.ZodError): string {
  return `Invalid arguments for tool "${name}": ${issueList(error)}`;
}

function issueList(error: z.ZodError): string {
  return error.issues.map((i) => {
    const path = i.path.map(String).join(".");
    const text = i.message.replace(/^Invalid input: /, "");
    if (i.code === "unrecognized_keys") {
      return `unknown field ${i.keys.map((k) => `"${k}"`).join(", ")}`;
    }
    return path ? `field "${path}": ${text}` : text;
  }).join("; ");
}

function msg(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
