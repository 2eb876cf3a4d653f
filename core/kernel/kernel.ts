/**
 * The kernel: a persistent, sandboxed, interruptible TypeScript REPL, one per session. Cells
 * are stripped of types here, run in a subprocess through V8's REPL mode, and can be timed
 * out or interrupted without losing state. When the process must die (heap cap, RSS watchdog,
 * hang) it is restarted: definitions come back by replay and data from the last checkpoint.
 */
import { CdpError } from "../cdp.ts";
import { errorInfo } from "../errors.ts";
import type { ExitInfo } from "../subprocess_host.ts";
import { cellExpression, KernelProcess } from "./kernel_process.ts";
import type { EvalReply } from "./kernel_process.ts";
import type { CellSyntaxError, TransformedCell } from "./transform.ts";
import { checkWorkspace } from "./workspace.ts";
import { safeJsonParse } from "./safe_json.ts";
import { Checkpointer } from "./checkpointer.ts";
import { ToolBridge } from "./tool_bridge.ts";
import type {
  CellError,
  CellResult,
  ExecuteOptions,
  HistoryEntry,
  KernelOptions,
  VariableInfo,
} from "./types.ts";

const IDENT = /^[A-Za-z_$][\w$]*$/;
const KEEP = `globalThis[Symbol.for("neurosync.kernel")].keep`;
const RESERVED = new Set(["_", "_error", "tools", "list_variables", "inspect_variable"]);

/** A running kernel; create with {@link Kernel.start}. */
export class Kernel {
  readonly options: KernelOptions;
  /** Every cell executed, in order. */
  readonly history: HistoryEntry[] = [];
  #proc!: KernelProcess;
  #root = "";
  #learned: string | undefined;
  #cells = 0;
  #queue: Promise<unknown> = Promise.resolve();
  #exit: PromiseWithResolvers<ExitInfo> = Promise.withResolvers();
  #running: AbortController | undefined;
  #hostOutput = { stdout: "", stderr: "" };
  #late: CellError[] = [];
  #ckpt!: Checkpointer;
  #closed = false;
  #pendingCheckpoint: TransformedCell | undefined;
  #lastExit: ExitInfo | undefined;
  readonly #tools: ToolBridge;

  private constructor(options: KernelOptions) {
    this.options = options;
    this.#tools = new ToolBridge(
      options.sessionId,
      options.log,
      options.callTool,
      async (id, ok, json) => {
        await this.#proc.call("settle", [{ value: id }, { value: ok }, { value: json }]);
      },
    );
  }

  /** Checks the workspace, starts the process and resolves when cells can run. */
  static async start(options: KernelOptions): Promise<Kernel> {
    const k = new Kernel(options);
    k.#root = await checkWorkspace(options.workspaceDir);
    // Made if missing (functions learned later must be readable), as a real, absolute path:
    // the sandbox launcher takes no other kind.
    if (options.learnedSkillsDir) {
      await Deno.mkdir(options.learnedSkillsDir, { recursive: true });
      k.#learned = await Deno.realPath(options.learnedSkillsDir);
    }
    k.#ckpt = new Checkpointer(`${k.#root}/.kernel/checkpoint`, options.log);
    // While the child boots on another core, the transform loads (sucrase and acorn, ~30 ms)
    // and runs once (JIT, ~5 ms), instead of before the spawn and in the first cell.
    await Promise.all([k.#spawn(), loadTransform()]);
    return k;
  }

  /** False once the process has died; the next `execute` restarts and restores it. */
  get running(): boolean {
    return this.#proc.host.running;
  }

  /** The kernel process id (changes after a restart). */
  get pid(): number | undefined {
    return this.#proc.host.pid;
  }

  /** The inspector transport: `netns` (a private network namespace) or `pipe` (stdio). */
  get inspectorIsolation(): string | undefined {
    return this.#proc.host.inspectorIsolation;
  }

  /** Runs one TypeScript cell. Cells run one at a time, in call order. */
  execute(code: string, options: ExecuteOptions = {}): Promise<CellResult> {
    const run = this.#queue.then(() => this.#execute(code, options));
    // The checkpoint runs after the result is returned; the next call waits for it.
    this.#queue = run.then(() => this.#flushCheckpoint()).catch(() => {});
    return run;
  }

  /** Stops the running cell (state survives); false when no cell is running. */
  interrupt(): boolean {
    if (!this.#running) return false;
    this.#running.abort(new DOMException("Cell interrupted", "AbortError"));
    return true;
  }

  /** Name, type and shape of every user binding. */
  async listVariables(): Promise<VariableInfo[]> {
    await this.#queue;
    return safeJsonParse(String(await this.#proc.call("listVariables", []))) as VariableInfo[];
  }

  /** A summary of at most ~1,000 tokens of one variable. */
  async inspectVariable(name: string): Promise<string> {
    await this.#queue;
    return String(await this.#proc.call("inspectVariable", [{ value: name }]));
  }

  /** A variable's value as JSON data (no more than `maxChars` of JSON); throws otherwise. */
  async getVariable(name: string, maxChars = 10_000_000): Promise<unknown> {
    await this.#queue;
    return safeJsonParse(
      String(await this.#proc.call("getVariable", [{ value: name }, { value: maxChars }])),
    );
  }

  /** Stores JSON data into a (new or redeclared) `let` variable of the kernel. */
  async setVariable(name: string, value: unknown): Promise<void> {
    if (!IDENT.test(name) || RESERVED.has(name)) {
      throw new TypeError(`setVariable: "${name}" is not a usable variable name`);
    }
    const json = JSON.stringify(value);
    if (json === undefined) throw new TypeError(`setVariable("${name}"): value is not JSON data`);
    await this.#queue;
    const kind = this.#ckpt.kinds.get(name) === "const" ? "const" : "let";
    const r = await this.#proc.evaluate(
      cellExpression(`${kind} ${name} = JSON.parse(${JSON.stringify(json)});`, { [name]: kind }),
    );
    if (r.exceptionDetails) throw new Error(`setVariable("${name}"): ${describe(r)}`);
    this.#ckpt.noteSet(name, kind);
    await this.#ckpt.save(this.#proc, [name]);
  }

  /** Kills the kernel process. */
  async close(): Promise<void> {
    // Let a pending checkpoint finish (bounded), so it is not cut off mid-write.
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([this.#queue, new Promise((r) => timer = setTimeout(r, 1_000))]);
    clearTimeout(timer);
    this.#closed = true;
    await this.#proc.host.kill("close");
  }

  async #spawn(): Promise<void> {
    const o = this.options;
    this.#exit = Promise.withResolvers();
    const exit = this.#exit;
    this.#proc = await KernelProcess.start({
      name: `kernel-${o.sessionId}`,
      workspaceDir: this.#root,
      ...(this.#learned ? { learnedSkillsDir: this.#learned } : {}),
      heapMb: o.heapMb ?? 512,
      rssMb: o.rssMb ?? 1024,
      outputLimit: o.outputLimit ?? 65_536,
      isolation: o.isolation ?? "auto",
      log: o.log,
      onEmit: (p) => this.#tools.handle(p),
      onOutput: (stream, text) => {
        if (this.#hostOutput[stream].length < (o.outputLimit ?? 65_536)) {
          this.#hostOutput[stream] += text + "\n";
        }
      },
      onExit: (info) => {
        this.#lastExit = info;
        exit.resolve(info);
      },
    });
  }

  async #execute(code: string, options: ExecuteOptions): Promise<CellResult> {
    const cell = ++this.#cells;
    const t0 = performance.now();
    const done = (r: Omit<CellResult, "cell" | "ms">): CellResult => {
      const result: CellResult = {
        cell,
        ...r,
        ms: Math.round((performance.now() - t0) * 1000) / 1000,
      };
      if (this.#late.length) result.lateErrors = this.#late.splice(0);
      return result;
    };
    let t: TransformedCell;
    try {
      t = (await loadTransform()).transformCell(code, KEEP);
    } catch (e) {
      this.history.push({ cell, code, ok: false });
      const err = e as CellSyntaxError;
      return done(failure({ name: "SyntaxError", message: err.message, line: err.line ?? null }));
    }
    if (t.empty) {
      this.history.push({ cell, code, ok: true });
      return done({ ok: true, display: "undefined", stdout: "", stderr: "", error: null });
    }
    // Died between cells (killed from outside, or a timer's allocation): restore, then run.
    let restarted: CellResult["restart"];
    if (!this.#proc.host.running) {
      restarted = await this.#restart(
        `kernel process died (${this.#lastExit?.reason ?? "unknown"})`,
      );
    }
    const timeoutMs = options.timeoutMs ?? this.options.cellTimeoutMs ?? 60_000;
    const ctl = new AbortController();
    this.#running = ctl;
    const timer = setTimeout(
      () => ctl.abort(new DOMException(`Cell timed out after ${timeoutMs} ms`, "TimeoutError")),
      timeoutMs,
    );
    const onAbort = () =>
      ctl.abort(options.signal?.reason ?? new DOMException("Cell aborted", "AbortError"));
    options.signal?.addEventListener("abort", onAbort, { once: true });
    if (options.signal?.aborted) onAbort();
    try {
      let outcome = await this.#run(t, ctl.signal);
      if ("ended" in outcome) {
        // The program had ended before this cell (an earlier one cleared the event loop):
        // this cell never ran. Restart and run it, as after a death between cells.
        restarted = await this.#restart(
          "the kernel's program had ended (its event loop was empty)",
        );
        outcome = await this.#run(t, ctl.signal);
        if ("ended" in outcome) outcome = { exited: await this.#exit.promise };
      }
      let finished: Omit<CellResult, "cell" | "ms"> | undefined;
      let finishError: unknown;
      if ("reply" in outcome) {
        // finish runs user code too (getters, inspect): a timeout there is a stop as well.
        finished = await this.#finish(outcome.reply, ctl.signal).catch((e) => {
          finishError = e;
          return undefined;
        });
      }
      if (finishError instanceof CdpError && /Cannot find context/.test(finishError.message)) {
        this.history.push({ cell, code, ok: false });
        const why = "the cell emptied the kernel's event loop (cleared its timers), which ends " +
          "the kernel's program";
        const restart = await this.#restart(why);
        return done({ ...failure({ name: "KernelEnded", message: why, line: null }), restart });
      }
      if (finished) {
        this.history.push({ cell, code, ok: finished.ok });
        if (finished.ok) this.#pendingCheckpoint = t;
        return done(restarted ? { ...finished, restart: restarted } : finished);
      }
      if (!("exited" in outcome) && !this.#proc.host.running) {
        outcome = { exited: await this.#exit.promise };
      }
      this.history.push({ cell, code, ok: false });
      if ("exited" in outcome) {
        const why = `kernel process died (${outcome.exited.reason})`;
        const restart = await this.#restart(why);
        return done({
          ...failure({ name: "KernelCrashed", message: why, line: null }),
          ...this.#takeOutput(),
          restart,
        });
      }
      const reason =
        (ctl.signal.reason ?? new DOMException("Cell failed", "Error")) as DOMException;
      const survived = await this.#stop();
      const err = failure({
        name: reason.name ?? "AbortError",
        message: reason.message,
        line: null,
      });
      if (survived) return done({ ...err, ...(await this.#drain()) });
      const restart = await this.#restart("kernel did not respond after an interrupt");
      return done({ ...err, ...this.#takeOutput(), restart });
    } finally {
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", onAbort);
      this.#running = undefined;
      this.#proc.release();
    }
  }

  /** Evaluates a cell: its reply, the process's exit, a stop, or `ended` (no context left). */
  async #run(
    t: TransformedCell,
    signal: AbortSignal,
  ): Promise<{ reply: EvalReply } | { exited: ExitInfo } | { stopped: unknown } | { ended: true }> {
    const exited = this.#exit.promise.then((info) => ({ exited: info }));
    return await Promise.race([
      this.#proc.evaluate(cellExpression(t.js, t.kinds), signal).then(
        (reply) => ({ reply }),
        async (e) => {
          if (signal.aborted) return { stopped: signal.reason };
          if (e instanceof CdpError && /Cannot find context/.test(e.message)) {
            return { ended: true as const };
          }
          // The transport closes a moment before the exit status arrives: wait for the status.
          const info = await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
          if ((info as { exited?: ExitInfo })?.exited?.reason === "ended") {
            return { ended: true as const }; // ended before this cell: no reply, it never ran
          }
          if (info) return info as { exited: ExitInfo };
          throw e;
        },
      ),
      exited,
      new Promise<{ stopped: unknown }>((resolve) =>
        signal.addEventListener("abort", () => resolve({ stopped: signal.reason }), { once: true })
      ),
    ]);
  }

  async #flushCheckpoint(): Promise<void> {
    const t = this.#pendingCheckpoint;
    this.#pendingCheckpoint = undefined;
    if (!t || !this.#proc.host.running) return;
    try {
      await this.#ckpt.afterCell(this.#proc, t);
    } catch (e) {
      if (this.#closed) return;
      this.options.log.warn("kernel_checkpoint_failed", {
        session: this.options.sessionId,
        error: errorInfo(e),
      });
    }
  }

  async #finish(reply: EvalReply, signal: AbortSignal): Promise<Omit<CellResult, "cell" | "ms">> {
    const threw = !!reply.exceptionDetails;
    const remote = threw ? reply.exceptionDetails!.exception : reply.result;
    const cap = this.options.valueLimit ?? 1_048_576;
    const raw = await this.#proc.call("finish", [KernelProcess.arg(remote), { value: threw }, {
      value: cap,
    }], signal);
    const f = safeJsonParse(String(raw)) as {
      stdout: string;
      stderr: string;
      display?: string;
      json?: string;
      error?: { name: string; message: string; stack?: string };
      late?: { name: string; message: string; stack?: string }[];
    };
    // The kernel's word: its caps (20 late errors, the output limit) are applied again here.
    for (const l of (Array.isArray(f.late) ? f.late : []).slice(0, 20 - this.#late.length)) {
      this.#late.push({
        name: String(l.name).slice(0, 100),
        message: String(l.message).slice(0, 2_000),
        ...(l.stack ? { stack: String(l.stack).slice(0, 4_000) } : {}),
        line: null,
      });
    }
    const host = this.#takeOutput();
    // The kernel's own note on what it cut follows its limit.
    const limit = (this.options.outputLimit ?? 65_536) + 256;
    const out = {
      stdout: String(f.stdout ?? "").slice(0, limit) + host.stdout,
      stderr: String(f.stderr ?? "").slice(0, limit) + host.stderr,
    };
    if (threw) {
      const line = reply.exceptionDetails!.lineNumber; // 1-based in REPL mode (measured)
      const e = f.error ?? { name: "Error", message: reply.exceptionDetails!.text };
      return { ...failure({ ...e, line }), ...out };
    }
    const result: Omit<CellResult, "cell" | "ms"> = {
      ok: true,
      display: f.display ?? "undefined",
      ...out,
      error: null,
    };
    if (f.json !== undefined) result.value = safeJsonParse(f.json);
    return result;
  }

  /** After a stop: absorbs a pending termination and checks the kernel still answers. */
  async #stop(): Promise<boolean> {
    if (!this.#proc.host.running) return false;
    const probe = new AbortController();
    const timer = setTimeout(() => probe.abort(), 2_000);
    try {
      // Over the pipe a spinning cell never reads this: the probe's deadline covers both.
      await this.#proc.host.interrupt(probe.signal).catch(() => false);
      for (let i = 0; i < 2; i++) {
        const r = await this.#proc.evaluate("1", probe.signal).catch(() => undefined);
        if (r && !r.exceptionDetails) return true;
      }
      return false;
    } finally {
      clearTimeout(timer);
    }
  }

  async #drain(): Promise<{ stdout: string; stderr: string }> {
    const raw = await this.#proc.call("finish", [{}, { value: false }, { value: 0 }]).catch(() =>
      "{}"
    );
    const f = safeJsonParse(String(raw)) as { stdout?: string; stderr?: string };
    const host = this.#takeOutput();
    return { stdout: (f.stdout ?? "") + host.stdout, stderr: (f.stderr ?? "") + host.stderr };
  }

  #takeOutput(): { stdout: string; stderr: string } {
    const out = this.#hostOutput;
    this.#hostOutput = { stdout: "", stderr: "" };
    return out;
  }

  async #restart(reason: string): Promise<NonNullable<CellResult["restart"]>> {
    if (this.#closed) throw new Error("kernel is closed");
    this.options.log.warn("kernel_restart", { session: this.options.sessionId, reason });
    await this.#proc.host.kill("restart");
    await checkWorkspace(this.#root);
    await this.#spawn();
    const { restored, lost, stale } = await this.#ckpt.restore(this.#proc, this.history);
    return stale.length ? { reason, restored, lost, stale } : { reason, restored, lost };
  }
}

let transform: Promise<typeof import("./transform.ts")> | undefined;
/** Imports the cell transform once per process and runs it once on a small typed cell. */
function loadTransform(): Promise<typeof import("./transform.ts")> {
  return transform ??= import("./transform.ts").then((m) => {
    try {
      m.transformCell(
        "const w: number[] = [1];\nfunction f(x: number) { return x; }\nf(w[0]!)",
        KEEP,
      );
    } catch { /* only a warm-up */ }
    return m;
  });
}

/** A failed cell result with empty output. */
function failure(
  error: CellError,
): { ok: false; display: string; stdout: string; stderr: string; error: CellError } {
  return { ok: false, display: "", stdout: "", stderr: "", error };
}

/** The first line of an evaluate's exception. */
function describe(r: EvalReply): string {
  return r.exceptionDetails?.exception?.description?.split("\n")[0] ?? r.exceptionDetails?.text ??
    "failed";
}
