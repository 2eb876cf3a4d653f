/**
 * One kernel process: a SubprocessHost running `inside/entry.ts` through the sandbox launcher
 * (its permission flags are the launcher's) and an inspector only the supervisor can reach (see core/inspector_isolation.ts), plus
 * the CDP calls the kernel needs (REPL-mode evaluate, calls into the kernel's internals, the
 * `__kernel_emit` binding for tool calls).
 */
import { SubprocessHost } from "../subprocess_host.ts";
import type { ExitInfo } from "../subprocess_host.ts";
import type { Logger } from "../log.ts";
import { type InspectorIsolation, isolationPlan } from "../inspector_isolation.ts";

const K = `globalThis[Symbol.for("neurosync.kernel")]`;
/** Internals that return a promise; the others are synchronous (no awaitPromise round). */
const ASYNC_CALLS = new Set(["checkpoint", "load"]);
let fallbackLogged = false;

/** A CDP RemoteObject, as much as the kernel reads of it. */
export interface RemoteObject {
  type: string;
  subtype?: string;
  value?: unknown;
  unserializableValue?: string;
  objectId?: string;
  description?: string;
}

/** The reply to a REPL-mode evaluate. */
export interface EvalReply {
  result: RemoteObject;
  exceptionDetails?: {
    lineNumber: number;
    columnNumber: number;
    text: string;
    exception?: RemoteObject;
  };
}

/** Settings for one process. */
export interface KernelProcessOptions {
  name: string;
  workspaceDir: string;
  learnedSkillsDir?: string;
  heapMb: number;
  rssMb: number;
  outputLimit: number;
  isolation: InspectorIsolation;
  log: Logger;
  onEmit(payload: string): void;
  onOutput(stream: "stdout" | "stderr", text: string): void;
  onExit(info: ExitInfo): void;
}

/** A started kernel process. */
export class KernelProcess {
  readonly host: SubprocessHost;
  #global = "";

  private constructor(host: SubprocessHost) {
    this.host = host;
  }

  /** Spawns the process and wires the binding; resolves when cells can run. */
  static async start(o: KernelProcessOptions): Promise<KernelProcess> {
    const ready = Promise.withResolvers<void>();
    const exited = Promise.withResolvers<never>();
    exited.promise.catch(() => {});
    const plan = await isolationPlan(o.isolation);
    if (plan.mode === "pipe" && o.isolation !== "pipe" && !fallbackLogged) {
      fallbackLogged = true;
      o.log.warn("kernel_inspector_pipe", {
        reason: plan.reason,
        effect: "no private network namespace: CDP runs over the kernel's stdin/stdout (no " +
          "port); a cell spinning in synchronous code is stopped by a restart from checkpoint",
      });
    }
    // The launcher owns the flags: read and write the workspace, read learned_skills, nothing
    // else, the project's import map (lock read-only), the heap cap (core/sandbox/launcher.pl).
    const host = new SubprocessHost({
      name: o.name,
      sandbox: {
        kind: "kernel",
        workspace: o.workspaceDir,
        ...(o.learnedSkillsDir ? { learned: o.learnedSkillsDir } : {}),
        heapMb: o.heapMb,
        outputLimit: o.outputLimit,
        transport: plan.mode,
      },
      rssMb: o.rssMb,
      inspect: plan,
      log: o.log,
      // The entry's one frame says its internals are installed; the host passes on only the
      // first (a cell could print more): tool calls go through CDP.
      onFrame: (f) => {
        if ((f as { type?: unknown }).type === "ready") ready.resolve();
      },
      onOutput: o.onOutput,
      onExit: (info) => {
        exited.reject(new Error(`kernel process exited during start (${info.reason})`));
        o.onExit(info);
      },
    });
    await host.start();
    const p = new KernelProcess(host);
    const cdp = host.cdp!;
    cdp.on("Runtime.bindingCalled", (ev) => {
      if (ev.name === "__kernel_emit" && typeof ev.payload === "string") o.onEmit(ev.payload);
    });
    // No JavaScript may run in the kernel before its entry has loaded (an evaluate during
    // module loading broke Deno's loader: "Circular dependency detected"): enable and the
    // binding are not JavaScript; the global's handle is asked for once the entry said ready.
    const [, , g] = await Promise.race([
      Promise.all([
        cdp.send("Runtime.enable"),
        cdp.send("Runtime.addBinding", { name: "__kernel_emit" }),
        ready.promise.then(() =>
          cdp.send("Runtime.evaluate", { expression: "globalThis", objectGroup: "kernel" })
        ),
      ]),
      exited.promise,
    ]);
    p.#global = (g.result as RemoteObject).objectId ?? "";
    await p.call("attach", []);
    return p;
  }

  /** Runs code in REPL mode; the signal abandons a reply that will never come. */
  async evaluate(expression: string, signal?: AbortSignal): Promise<EvalReply> {
    const params = { expression, replMode: true, awaitPromise: true, objectGroup: "cell" };
    const options = signal ? { signal } : {};
    return await this.host.cdp!.send("Runtime.evaluate", params, options) as unknown as EvalReply;
  }

  /** Calls `internals[fn](...args)` in the kernel and returns its (by-value) result. */
  async call(
    fn: string,
    args: ({ value: unknown } | { objectId: string } | Record<string, never>)[],
    signal?: AbortSignal,
  ): Promise<unknown> {
    const r = await this.host.cdp!.send("Runtime.callFunctionOn", {
      objectId: this.#global,
      functionDeclaration: `function (...a) { return ${K}[${JSON.stringify(fn)}](...a); }`,
      arguments: args,
      returnByValue: true,
      awaitPromise: ASYNC_CALLS.has(fn),
    }, signal ? { signal } : {}) as unknown as EvalReply;
    if (r.exceptionDetails) {
      const ex = r.exceptionDetails.exception;
      throw new Error(ex?.description?.split("\n")[0] ?? r.exceptionDetails.text);
    }
    return r.result.value;
  }

  /** Frees the remote objects of finished cells. */
  release(): void {
    this.host.cdp?.send("Runtime.releaseObjectGroup", { objectGroup: "cell" }).catch(() => {});
  }

  /** Argument form of a RemoteObject for `call`. */
  static arg(
    r: RemoteObject | undefined,
  ): { value: unknown } | { objectId: string } | Record<string, never> {
    if (!r || r.type === "undefined") return {};
    if (r.objectId) return { objectId: r.objectId };
    if (r.unserializableValue !== undefined) {
      return { unserializableValue: r.unserializableValue } as never;
    }
    return { value: r.value };
  }
}

/** The expression that starts a cell: record its declarations, then run the user's code. */
export function cellExpression(js: string, kinds: Record<string, string>): string {
  // Everything before the user's code stays on line 1, so error lines match the cell.
  return `${K}.begin(${JSON.stringify(kinds)}); await void 0; ${js}`;
}
