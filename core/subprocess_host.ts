/**
 * The subprocess actor host: runs untrusted code in its own `deno run` process with explicit
 * permission flags (deny by default), `--no-prompt --cached-only`, a V8 heap cap and an RSS
 * watchdog (ArrayBuffers live off-heap). Unlike a Worker it can always be stopped: SIGKILL.
 * Frames travel as FRAME_PREFIX + JSON lines on stdin/stdout; `inspect` attaches a CDP session,
 * through a relay out of the child's private network namespace when the host allows one
 * (core/inspector_isolation.ts), else to its inspector on 127.0.0.1.
 */
import type { ActorPermissions } from "./actor.ts";
import { CdpClient } from "./cdp.ts";
import { InspectorChannel } from "./inspector_channel.ts";
import { type InspectorIsolation, isolationPlan } from "./inspector_isolation.ts";
import type { Logger } from "./log.ts";
import { rssProbe } from "./subprocess_rss_probe.ts";
import { denoBinary, denoDir, permissionFlags } from "./subprocess_command.ts";
import { decodeLine, encodeFrame, splitLines } from "./subprocess_stdio.ts";

/** Why a child process ended. */
export type ExitReason =
  | "exited"
  | "killed"
  | "rss_limit"
  | "heap_oom"
  | "crashed"
  | "inspector_intrusion";

/** What `onExit` receives. */
export interface ExitInfo {
  code: number | null;
  signal: string | null;
  reason: ExitReason;
}

/** How to run one child process. */
export interface SubprocessHostOptions {
  name: string;
  entry: string | URL;
  args?: string[];
  permissions: ActorPermissions;
  heapMb?: number;
  rssMb?: number;
  /** Attach a CDP session to the child's V8 inspector. */
  inspect?: boolean;
  /** Where the child's inspector listens (default `auto`; see core/inspector_isolation.ts). */
  inspectIsolation?: InspectorIsolation;
  cwd?: string;
  env?: Record<string, string>;
  /** A deno.json whose import map the child uses (bare specifiers); default `--no-config`. */
  config?: string;
  /** The deno subcommand: `run` (default) or `test` (the generated-test sandbox). */
  command?: "run" | "test";
  /** More flags before the entry (e.g. `deno test`'s `--junit-path`). */
  flags?: string[];
  /** `"null"` gives the child no stdin at all (the kernel: cells cannot read frames). */
  stdin?: "piped" | "null";
  log: Logger;
  onFrame(frame: unknown): void;
  onOutput?(stream: "stdout" | "stderr", text: string): void;
  onExit?(info: ExitInfo): void;
}

const INSPECT_LINE = /^Debugger listening on (ws:\/\/\S+)/;
const WAITING_FOR_DEBUGGER = "Waiting for the debugger to disconnect...";
const SESSION_STARTED = "Debugger session started.";
const INSPECTOR_NOISE = new Set([
  WAITING_FOR_DEBUGGER,
  "Debugger session ended",
  "Visit chrome://inspect to connect to the debugger.",
  SESSION_STARTED,
  "Debugger session ended.",
]);
const RSS_POLL_MS = 20;

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
  #sessions = 0;
  #isolation: string | undefined;

  constructor(opts: SubprocessHostOptions) {
    if (!opts.name) throw new TypeError('SubprocessHost: option "name" is required');
    if (opts.heapMb !== undefined && !(opts.heapMb > 0)) {
      throw new RangeError(`SubprocessHost "${opts.name}": heapMb must be > 0, got ${opts.heapMb}`);
    }
    if (opts.rssMb !== undefined && !(opts.rssMb > 0)) {
      throw new RangeError(`SubprocessHost "${opts.name}": rssMb must be > 0, got ${opts.rssMb}`);
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

  /** `netns` or `loopback` once an `inspect` child has started (see inspector_isolation.ts). */
  get inspectorIsolation(): string | undefined {
    return this.#isolation;
  }

  /** The command line flags the child gets (without the entry). */
  #flags(channel: InspectorChannel | undefined): string[] {
    const o = this.#opts;
    const cwd = o.cwd ?? Deno.cwd();
    // A child never writes the project's lockfile: with the project's config it resolves npm
    // packages from the lock read-only (--frozen; with --cached-only alone a package whose
    // registry metadata `deno install` did not cache, e.g. arquero's @uwdata/flechette, fails).
    const flags = [o.command ?? "run", "--no-prompt", "--cached-only"];
    flags.push(...(o.config ? [`--config=${o.config}`, "--frozen"] : ["--no-config", "--no-lock"]));
    if (o.heapMb !== undefined) flags.push(`--v8-flags=--max-old-space-size=${o.heapMb}`);
    if (channel) flags.push(channel.inspectFlag());
    else if (o.inspect) flags.push("--inspect=127.0.0.1:0");
    flags.push(...permissionFlags(o.permissions, cwd), ...(o.flags ?? []));
    return flags;
  }

  /** Spawns the child; resolves when it runs (and, with `inspect`, when CDP is attached). */
  async start(): Promise<void> {
    if (this.#child) throw new Error(`SubprocessHost "${this.#opts.name}" is already running`);
    const o = this.#opts;
    const entry = o.entry instanceof URL ? o.entry.href : o.entry;
    const env: Record<string, string> = { NO_COLOR: "1", ...o.env };
    const dir = denoDir();
    if (dir && env.DENO_DIR === undefined) env.DENO_DIR = dir;
    const cwd = o.cwd ?? Deno.cwd();
    const plan = o.inspect ? await isolationPlan(o.inspectIsolation) : undefined;
    const channel = plan?.mode === "netns" ? InspectorChannel.open(cwd, plan) : undefined;
    const args = [...this.#flags(channel), entry, ...(o.args ?? [])];
    const prefix = channel?.prefix() ?? [];
    let child: Deno.ChildProcess;
    try {
      child = new Deno.Command(prefix[0] ?? denoBinary(), {
        args: prefix.length ? [...prefix.slice(1), denoBinary(), ...args] : args,
        cwd,
        env,
        clearEnv: true,
        stdin: o.stdin ?? "piped",
        stdout: "piped",
        stderr: "piped",
      }).spawn();
    } catch (e) {
      channel?.close();
      throw e;
    }
    this.#child = child;
    this.#sessions = 0;
    this.#killReason = undefined;
    this.#oomSeen = false;
    this.#writer = (o.stdin ?? "piped") === "piped" ? child.stdin.getWriter() : undefined;
    this.#writer?.closed.catch(() => {}); // a dead child's stdin errors; exit handling reports it
    const wsUrl = Promise.withResolvers<string>();
    const stdoutDone = this.#pump(child.stdout, "stdout", () => {});
    const stderrDone = this.#pump(child.stderr, "stderr", (line) => {
      const m = INSPECT_LINE.exec(line);
      if (m?.[1]) wsUrl.resolve(m[1]);
    });
    this.#exited = Promise.all([child.status, stdoutDone, stderrDone]).then(async ([status]) => {
      this.#onExit(child, status);
      await this.#probeDone;
    });
    if (plan?.mode === "loopback") {
      o.log.warn("subprocess_inspector_on_loopback", { name: o.name, reason: plan.reason });
    }
    o.log.debug("subprocess_spawned", {
      name: o.name,
      pid: child.pid,
      ...(channel ? { inspector: channel.describe() } : {}),
    });
    const watch = () => {
      if (o.rssMb !== undefined && this.#child === child) {
        this.#startWatchdog(child, o.rssMb * 1024 * 1024);
      }
    };
    // An inspect child runs only our own entry until cells arrive through CDP: its watchdog
    // (maybe a probe helper to boot) starts once the child has booted, off the start path.
    if (!plan) return watch();
    const exited = this.#exited.then(() => {
      throw new Error(`SubprocessHost "${o.name}" exited before its inspector was ready`);
    });
    exited.catch(() => {});
    try {
      const [conn, url] = await Promise.all([
        channel?.accept(exited),
        Promise.race([wsUrl.promise, exited]),
      ]);
      watch();
      this.#isolation = plan.mode;
      this.#cdp = await CdpClient.connect(url, 5_000, conn);
    } catch (e) {
      channel?.close();
      await this.kill("inspector channel failed");
      throw e;
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
  async interrupt(): Promise<boolean> {
    if (!this.#cdp?.open) return false;
    await this.#cdp.send("Runtime.terminateExecution");
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

  async #pump(
    stream: ReadableStream<Uint8Array>,
    name: "stdout" | "stderr",
    peek: (line: string) => void,
  ): Promise<void> {
    try {
      for await (const line of splitLines(stream)) {
        if (name === "stderr") {
          peek(line);
          // The child wants to exit but waits for our CDP session: let it go.
          if (line === WAITING_FOR_DEBUGGER) this.#cdp?.close();
          if (line === SESSION_STARTED && ++this.#sessions > 1) this.#intrusion();
          if (INSPECT_LINE.test(line) || INSPECTOR_NOISE.has(line)) continue;
          if (line.includes("out of memory") && line.includes("heap limit")) this.#oomSeen = true;
          this.#opts.onOutput?.(name, line);
          continue;
        }
        const decoded = decodeLine(line);
        if ("frame" in decoded) this.#opts.onFrame(decoded.frame);
        else this.#opts.onOutput?.(name, decoded.text);
      }
    } catch (e) {
      this.#opts.log.warn("subprocess_stream_error", { name: this.#opts.name, stream: name, e });
    }
  }

  /**
   * A second inspector session: the child's code has no net access, so another local process
   * attached (possible only with `loopback` isolation). It may have run code in the child
   * already: kill it (its restart comes from the checkpoint).
   */
  #intrusion(): void {
    const child = this.#child;
    if (!child) return;
    this.#killReason = "inspector_intrusion";
    this.#opts.log.error("subprocess_inspector_intrusion", {
      name: this.#opts.name,
      pid: child.pid,
    });
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
    this.#unwatch = rssProbe.watch(denoBinary(), child.pid, check);
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
    const oom = this.#oomSeen || status.signal === "SIGTRAP" || status.code === 133;
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
