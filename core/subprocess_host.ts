/**
 * The subprocess actor host: runs untrusted code in its own `deno run` process with explicit
 * permission flags (deny by default), `--no-prompt --cached-only`, a V8 heap cap and an RSS
 * watchdog (ArrayBuffers live off-heap). Unlike a Worker it can always be stopped: SIGKILL.
 * Frames travel as FRAME_PREFIX + JSON lines on stdin/stdout; `inspect` instead attaches a CDP
 * session over the child's stdin and stdout (core/inspector_isolation.ts: through the relay of
 * its private network namespace, or a pipe served inside it), never over a socket another
 * process could reach. Everything the child sends is bounded before it is buffered: lines (see
 * core/line_reader.ts) and CDP messages (`maxMessageBytes`; over it the child is killed).
 */
import type { ActorPermissions } from "./actor.ts";
import { CdpClient, CdpError, type CdpTransport } from "./cdp.ts";
import { PipeTransport } from "./cdp_pipe.ts";
import { CdpWebSocket, MessageTooLargeError } from "./cdp_socket.ts";
import type { IsolationPlan } from "./inspector_isolation.ts";
import { dropGrants, type Grant } from "./sandbox/grant.ts";
import { launcherError, launchSpec, type SandboxJob } from "./sandbox/sandbox_job.ts";
import type { Logger } from "./log.ts";
import { splitLines } from "./line_reader.ts";
import { rssProbe } from "./subprocess_rss_probe.ts";
import { denoBinary, denoDir, permissionFlags } from "./subprocess_command.ts";
import { decodeLine, encodeFrame, frameText } from "./subprocess_stdio.ts";

/** Why a child process ended. */
export type ExitReason =
  | "exited"
  | "killed"
  | "rss_limit"
  | "heap_oom"
  | "crashed"
  | "message_limit"
  | "ended";

/** What `onExit` receives. */
export interface ExitInfo {
  code: number | null;
  signal: string | null;
  reason: ExitReason;
}

/**
 * How to run one child process: a job of the sandbox launcher (core/sandbox/; its flags are the
 * launcher's, the supervisor needs `--allow-run` for nothing else), or a deno `entry` with
 * `permissions` (needs `--allow-run` for deno: tests and subprocess actors).
 */
export interface SubprocessHostOptions {
  name: string;
  /** A launcher job (a kernel, a generated test); replaces entry, args, permissions, flags. */
  sandbox?: SandboxJob;
  entry?: string | URL;
  args?: string[];
  permissions?: ActorPermissions;
  /** Heap cap of a deno `entry` child (a launcher job carries its own). */
  heapMb?: number;
  rssMb?: number;
  /** Attach a CDP session to the child's V8 inspector, over this transport (a kernel job). */
  inspect?: IsolationPlan;
  /** Largest CDP message or frame line taken from the child (default 64 MiB); over it, kill. */
  maxMessageBytes?: number;
  cwd?: string;
  env?: Record<string, string>;
  /** A deno.json whose import map the child uses (bare specifiers); default `--no-config`. */
  config?: string;
  /** More flags before the entry (e.g. `deno test`'s `--junit-path`). */
  flags?: string[];
  /** The deno subcommand: `run` (default) or `test` (the generated-test sandbox). */
  command?: "run" | "test";
  /** `"null"` gives the child no stdin at all (an `inspect` child always has one: its CDP). */
  stdin?: "piped" | "null";
  log: Logger;
  onFrame(frame: unknown): void;
  onOutput?(stream: "stdout" | "stderr", text: string): void;
  onExit?(info: ExitInfo): void;
}

const INSPECT_LINE = /^Debugger listening on ws:\/\/[^/\s]+(\/\S+)$/;
/**
 * Deno's own inspector lines, dropped from the output. Only their text: the child can print
 * them too, so none of them is ever acted on (the URL line is read once, before any of the
 * child's code can run: cells arrive only over the session that line opens).
 */
const WAITING = "Waiting for the debugger to disconnect...";
const INSPECTOR_NOISE = new Set([
  WAITING,
  "Debugger session ended",
  "Visit chrome://inspect to connect to the debugger.",
  "Debugger session started.",
  "Debugger session ended.",
]);
const RSS_POLL_MS = 20;
const DEFAULT_MAX_MESSAGE = 64 * 1024 * 1024;
/** Bytes kept of one plain output line of the child. */
const MAX_OUTPUT_LINE = 65_536;

/** One supervised child process; `restart` runs a fresh one with the same options. */
export class SubprocessHost {
  readonly #opts: SubprocessHostOptions;
  #child: Deno.ChildProcess | undefined;
  #writer: WritableStreamDefaultWriter<Uint8Array> | undefined;
  #cdp: CdpClient | undefined;
  #killReason: ExitReason | undefined;
  #oomSeen = false;
  #watchdog: ReturnType<typeof setInterval> | undefined;
  #exited: Promise<void> = Promise.resolve();
  #unwatch: (() => Promise<void>) | undefined;
  #probeDone: Promise<void> = Promise.resolve();
  #rss: number | undefined;
  #isolation: string | undefined;
  #pipe: PipeTransport | undefined;
  /** An inspect child's first frame (its entry's "ready") goes to `onFrame`; later ones do not. */
  #firstFrame = true;

  constructor(opts: SubprocessHostOptions) {
    if (!opts.name) throw new TypeError('SubprocessHost: option "name" is required');
    if (opts.heapMb !== undefined && !(opts.heapMb > 0)) {
      throw new RangeError(`SubprocessHost "${opts.name}": heapMb must be > 0, got ${opts.heapMb}`);
    }
    if (opts.rssMb !== undefined && !(opts.rssMb > 0)) {
      throw new RangeError(`SubprocessHost "${opts.name}": rssMb must be > 0, got ${opts.rssMb}`);
    }
    if (!opts.sandbox && (!opts.entry || !opts.permissions)) {
      throw new TypeError(
        `SubprocessHost "${opts.name}": give a sandbox job, or entry and permissions`,
      );
    }
    if (opts.inspect && opts.sandbox?.kind !== "kernel") {
      throw new TypeError(`SubprocessHost "${opts.name}": inspect needs a sandbox kernel job`);
    }
    this.#opts = opts;
  }

  /** The child's pid while it runs. */
  get pid(): number | undefined {
    return this.#child?.pid;
  }
  /** True from `start` until the process has exited. */
  get running(): boolean {
    return this.#child !== undefined;
  }
  /** The CDP session when started with `inspect`. */
  get cdp(): CdpClient | undefined {
    return this.#cdp;
  }

  /** `netns` or `pipe` once an `inspect` child has started (see inspector_isolation.ts). */
  get inspectorIsolation(): string | undefined {
    return this.#isolation;
  }

  /** The command line of a deno `entry` child (the launcher builds its jobs' own). */
  #denoCommand(): { command: string; args: string[]; cwd: string; env: Record<string, string> } {
    const o = this.#opts;
    const cwd = o.cwd ?? Deno.cwd();
    // A child never writes the project's lockfile: with the project's config it resolves npm
    // packages from the lock read-only (--frozen; with --cached-only alone a package whose
    // registry metadata `deno install` did not cache, e.g. arquero's @uwdata/flechette, fails).
    const flags = [o.command ?? "run", "--no-prompt", "--cached-only"];
    flags.push(...(o.config ? [`--config=${o.config}`, "--frozen"] : ["--no-config", "--no-lock"]));
    if (o.heapMb !== undefined) flags.push(`--v8-flags=--max-old-space-size=${o.heapMb}`);
    flags.push(...permissionFlags(o.permissions!, cwd), ...(o.flags ?? []));
    const entry = o.entry instanceof URL ? o.entry.href : o.entry!;
    const env: Record<string, string> = { NO_COLOR: "1", ...o.env };
    const dir = denoDir();
    if (dir && env.DENO_DIR === undefined) env.DENO_DIR = dir;
    return { command: denoBinary(), args: [...flags, entry, ...(o.args ?? [])], cwd, env };
  }

  /** Spawns the child; resolves when it runs (and, with `inspect`, when CDP is attached). */
  async start(): Promise<void> {
    if (this.#child) throw new Error(`SubprocessHost "${this.#opts.name}" is already running`);
    const o = this.#opts;
    const plan = o.inspect;
    let grants: Grant[] = [];
    let child: Deno.ChildProcess;
    try {
      // A launcher job: the launcher rebuilds the environment and enters the job's directory.
      const spec = o.sandbox ? await launchSpec(o.sandbox) : undefined;
      grants = spec?.grants ?? [];
      const cmd = spec ? { ...spec, cwd: "/", env: {} } : this.#denoCommand();
      child = new Deno.Command(cmd.command, {
        args: cmd.args,
        cwd: cmd.cwd,
        env: cmd.env,
        clearEnv: true,
        stdin: plan ? "piped" : o.stdin ?? "piped",
        stdout: "piped",
        stderr: "piped",
      }).spawn();
    } catch (e) {
      await dropGrants(grants);
      throw o.sandbox ? launcherError(e) : e;
    }
    this.#child = child;
    this.#killReason = undefined;
    this.#oomSeen = false;
    this.#pipe = undefined;
    this.#firstFrame = true;
    const writer = plan || (o.stdin ?? "piped") === "piped" ? child.stdin.getWriter() : undefined;
    writer?.closed.catch(() => {}); // a dead child's stdin errors; exit handling reports it
    this.#writer = plan ? undefined : writer; // an inspect child's stdin carries only its CDP
    const max = o.maxMessageBytes ?? DEFAULT_MAX_MESSAGE;
    const inspectPath = Promise.withResolvers<string>();
    let stdoutDone: Promise<void>;
    if (plan?.mode === "netns") stdoutDone = Promise.resolve(); // the WebSocket reads it
    else {
      if (plan) this.#pipe = new PipeTransport((b) => void writer!.write(b).catch(() => {}));
      stdoutDone = this.#pumpStdout(child, plan ? max : MAX_OUTPUT_LINE);
    }
    const stderrDone = this.#pumpStderr(child.stderr, (line) => {
      const m = plan?.mode === "netns" ? INSPECT_LINE.exec(line) : null;
      if (m?.[1]) inspectPath.resolve(m[1]);
    });
    this.#exited = Promise.all([child.status, stdoutDone, stderrDone]).then(async ([status]) => {
      await dropGrants(grants); // the launcher consumed them, unless it failed first
      this.#pipe?.end();
      this.#onExit(child, status);
      await this.#probeDone;
    });
    o.log.debug("subprocess_spawned", { name: o.name, pid: child.pid, inspector: plan?.mode });
    const watch = () => {
      if (o.rssMb !== undefined && this.#child === child) {
        this.#startWatchdog(child, o.rssMb * 1024 * 1024);
      }
    };
    // An inspect child runs only our own entry until cells arrive through CDP: its watchdog
    // (maybe a probe helper to boot) starts once the child has booted, off the start path.
    if (!plan) return watch();
    try {
      const transport = await this.#transport(child, writer!, inspectPath.promise, max);
      watch();
      this.#isolation = plan.mode;
      this.#cdp = new CdpClient(transport);
      transport.closed.then((why) => {
        if (why instanceof MessageTooLargeError) this.#overLimit(child, why.message);
      });
    } catch (e) {
      await this.kill("inspector transport failed");
      throw e;
    }
  }

  /** The CDP transport of an inspect child: its pipe, or a WebSocket through its relay. */
  async #transport(
    child: Deno.ChildProcess,
    writer: WritableStreamDefaultWriter<Uint8Array>,
    inspectPath: Promise<string>,
    max: number,
  ): Promise<CdpTransport> {
    if (this.#pipe) return this.#pipe;
    const name = this.#opts.name;
    const exited = this.#exited.then(() => {
      throw new Error(`SubprocessHost "${name}" exited before its inspector was ready`);
    });
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${name}: no inspector within 15 s`)), 15_000);
    });
    try {
      const path = await Promise.race([inspectPath, exited, timeout]);
      const io = {
        readable: child.stdout,
        write: (bytes: Uint8Array) => writer.write(bytes),
        close: () => void writer.close().catch(() => {}),
      };
      return await Promise.race([CdpWebSocket.connect(io, path, max), exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Writes a frame to the child's stdin; throws when the child is not running. */
  send(frame: unknown): void {
    if (!this.#writer) {
      throw new Error(`SubprocessHost "${this.#opts.name}" has no stdin to send to`);
    }
    this.#writer.write(encodeFrame(frame)).catch(() => {});
  }

  /** Stops the running JavaScript through CDP (state survives); false without `inspect`. */
  async interrupt(signal?: AbortSignal): Promise<boolean> {
    if (!this.#cdp?.open) return false;
    await this.#cdp.send("Runtime.terminateExecution", {}, signal ? { signal } : {});
    return true;
  }

  /** SIGKILLs the child and waits until it is gone. */
  async kill(reason = "killed"): Promise<void> {
    const child = this.#child;
    if (!child) return;
    this.#killReason ??= "killed";
    this.#opts.log.info("subprocess_kill", { name: this.#opts.name, pid: child.pid, reason });
    try {
      child.kill("SIGKILL");
    } catch { /* already gone */ }
    await this.#exited;
  }

  /** Kills the child if it runs, then starts a fresh one. */
  async restart(): Promise<void> {
    await this.kill("restart");
    await this.start();
  }

  /**
   * The child's resident set size, or undefined when it is not running. Read from /proc when
   * the supervisor may (it needs --allow-all for that), else the watchdog's last sample.
   */
  rssBytes(): number | undefined {
    const pid = this.#child?.pid;
    if (pid === undefined) return undefined;
    return procReadable() ? readRssBytes(pid) : this.#rss;
  }

  /** Frames (to `onFrame`, or to the CDP pipe) and plain output from the child's stdout. */
  async #pumpStdout(child: Deno.ChildProcess, max: number): Promise<void> {
    const o = this.#opts;
    const pipe = this.#pipe;
    const onOverflow = () => {
      if (pipe) this.#overLimit(child, `the kernel wrote a line over ${max} bytes on its pipe`);
    };
    try {
      for await (const line of splitLines(child.stdout, { maxLineBytes: max, onOverflow })) {
        if (pipe) {
          const f = frameText(line);
          if (f?.before) o.onOutput?.("stdout", f.before);
          if (!f) o.onOutput?.("stdout", line);
          else if (this.#takeFirstFrame(f.json)) continue;
          else pipe.deliver(f.json);
          continue;
        }
        const decoded = decodeLine(line);
        if (!("frame" in decoded)) o.onOutput?.("stdout", decoded.text);
        else {
          if (decoded.before) o.onOutput?.("stdout", decoded.before);
          o.onFrame(decoded.frame);
        }
      }
    } catch (e) {
      o.log.warn("subprocess_stream_error", { name: o.name, stream: "stdout", e });
    }
  }

  async #pumpStderr(
    stream: ReadableStream<Uint8Array>,
    peek: (line: string) => void,
  ): Promise<void> {
    try {
      for await (const line of splitLines(stream, { maxLineBytes: MAX_OUTPUT_LINE })) {
        // Deno's "Debugger listening" line comes before the session that brings any cell.
        if (!this.#cdp) peek(line);
        if (line === WAITING) void this.#checkEnded();
        if (INSPECT_LINE.test(line) || INSPECTOR_NOISE.has(line)) continue;
        // Under netns deno's stdout is this stream: the entry's "ready" frame comes here.
        const f = this.#opts.inspect?.mode === "netns" ? frameText(line) : undefined;
        if (f && this.#takeFirstFrame(f.json)) continue;
        if (line.includes("out of memory") && line.includes("heap limit")) this.#oomSeen = true;
        this.#opts.onOutput?.("stderr", line);
      }
    } catch (e) {
      this.#opts.log.warn("subprocess_stream_error", {
        name: this.#opts.name,
        stream: "stderr",
        e,
      });
    }
  }

  /**
   * Deno says the child's program ended and waits for our session to go, or the child printed
   * that line itself. An ended program has no execution context left: a trivial evaluate
   * fails at once. One that answers (or is busy) is still running: the line was forged.
   */
  async #checkEnded(): Promise<void> {
    const cdp = this.#cdp;
    if (!cdp) return;
    const probe = new AbortController();
    const timer = setTimeout(() => probe.abort(new Error("busy")), 1_000);
    try {
      await cdp.send("Runtime.evaluate", { expression: "0" }, { signal: probe.signal });
      this.#opts.log.warn("subprocess_forged_control_line", {
        name: this.#opts.name,
        line: WAITING,
      });
    } catch (e) {
      if (!(e instanceof CdpError) || this.#cdp !== cdp) return;
      this.#killReason ??= "ended"; // its program ended on its own; the relay then stops it
      cdp.close();
    } finally {
      clearTimeout(timer);
    }
  }

  /** Passes an inspect child's first frame to `onFrame`; true when it was that one. */
  #takeFirstFrame(json: string): boolean {
    if (!this.#firstFrame) return false;
    this.#firstFrame = false;
    try {
      this.#opts.onFrame(JSON.parse(json));
    } catch { /* not JSON: the child's own output */ }
    return true;
  }

  /** The child sent more than a CDP message may hold: it is not playing by the rules. */
  #overLimit(child: Deno.ChildProcess, why: string): void {
    if (this.#child !== child) return;
    this.#killReason ??= "message_limit";
    this.#opts.log.warn("subprocess_message_limit", { name: this.#opts.name, pid: child.pid, why });
    try {
      child.kill("SIGKILL");
    } catch { /* already gone */ }
  }

  #startWatchdog(child: Deno.ChildProcess, limit: number): void {
    const check = (rss: number | undefined) => {
      this.#rss = rss;
      if (this.#child !== child || rss === undefined || rss <= limit) return;
      this.#stopWatchdog();
      this.#killReason = "rss_limit";
      this.#opts.log.warn("subprocess_rss_limit", { name: this.#opts.name, pid: child.pid, rss });
      try {
        child.kill("SIGKILL");
      } catch { /* already gone */ }
    };
    if (procReadable()) {
      this.#watchdog = setInterval(() => check(readRssBytes(child.pid)), RSS_POLL_MS);
      return;
    }
    // No permission to read /proc/<pid>: the trusted probe helper, one per supervisor process.
    this.#unwatch = rssProbe.watch(child.pid, check);
  }

  #stopWatchdog(): void {
    clearInterval(this.#watchdog);
    this.#watchdog = undefined;
    const unwatch = this.#unwatch;
    this.#unwatch = undefined;
    // The last host to leave stops the shared helper: wait until it is gone (test sanitizers).
    if (unwatch) this.#probeDone = unwatch();
  }

  #onExit(child: Deno.ChildProcess, status: Deno.CommandStatus): void {
    if (this.#child !== child) return;
    this.#stopWatchdog();
    this.#rss = undefined;
    this.#child = undefined;
    this.#writer = undefined;
    this.#cdp?.close();
    this.#cdp = undefined;
    // The stderr line alone is the child's word: it counts only for a child that really crashed.
    const oom = status.signal === "SIGTRAP" || status.code === 133 ||
      (this.#oomSeen && !status.success);
    const reason: ExitReason = this.#killReason ??
      (oom ? "heap_oom" : status.signal !== null ? "crashed" : "exited");
    const info = {
      code: status.signal === null ? status.code : null,
      signal: status.signal,
      reason,
    };
    this.#opts.log.info("subprocess_exit", { name: this.#opts.name, pid: child.pid, ...info });
    this.#opts.onExit?.(info);
  }
}

/** Resident set size of a process from `/proc/<pid>/statm`; undefined when it is gone. */
export function readRssBytes(pid: number): number | undefined {
  try {
    const pages = Number(Deno.readTextFileSync(`/proc/${pid}/statm`).split(" ")[1]);
    return Number.isFinite(pages) ? pages * 4096 : undefined;
  } catch {
    return undefined;
  }
}

let canReadProc: boolean | undefined;
/** Whether this process may read /proc/<pid> files (Deno demands --allow-all for that). */
function procReadable(): boolean {
  return canReadProc ??= readRssBytes(Deno.pid) !== undefined;
}
