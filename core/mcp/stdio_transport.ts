/**
 * The MCP stdio transport on `Deno.Command` (the SDK's uses node:child_process): newline-framed
 * JSON-RPC on the server's stdin/stdout, every incoming line checked against the SDK's message
 * schema. It differs from the SDK's in what a supervisor needs: the child gets a cleared
 * environment (a few safe variables plus its configured `env`, never the supervisor's secrets),
 * its exit status and last stderr lines are kept for error messages, and a refused spawn
 * (`--allow-run`) is reported as such.
 */
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import { parseMessage, readLines } from "./lines.ts";

/** Variables a server inherits from the supervisor (the SDK's list, after sudo's). */
export const INHERITED_ENV = ["HOME", "LOGNAME", "PATH", "SHELL", "TERM", "USER", "LANG", "TMPDIR"];
const STDERR_LINES = 20;

/** How to start a stdio server. */
export interface StdioParams {
  command: string;
  args: string[];
  env: Record<string, string>;
  cwd?: string | undefined;
  /** Called with each stderr line (for the log). */
  onStderr?: (line: string) => void;
}

/** See the file doc. One instance per process start. */
export class DenoStdioTransport implements Transport {
  onclose?: (() => void) | undefined;
  onerror?: ((error: Error) => void) | undefined;
  onmessage?: (<T extends JSONRPCMessage>(message: T) => void) | undefined;
  /** How the process ended, once it has (`exit code 1`, `signal SIGKILL`). */
  exit?: string;
  /** The last stderr lines, oldest first. */
  readonly stderrTail: string[] = [];
  readonly #params: StdioParams;
  #child: Deno.ChildProcess | undefined;
  #writer: WritableStreamDefaultWriter<Uint8Array> | undefined;
  #closing = false;

  constructor(params: StdioParams) {
    this.#params = params;
  }

  /** The server's process id while it runs. */
  get pid(): number | undefined {
    return this.#child?.pid;
  }

  start(): Promise<void> {
    const p = this.#params;
    const env: Record<string, string> = {};
    for (const k of INHERITED_ENV) {
      let v: string | undefined;
      try {
        v = Deno.env.get(k);
      } catch {
        continue; // not in the supervisor's --allow-env: the server goes without it
      }
      if (v !== undefined && !v.startsWith("()")) env[k] = v;
    }
    Object.assign(env, p.env);
    const child = new Deno.Command(p.command, {
      args: p.args,
      env,
      clearEnv: true,
      ...(p.cwd ? { cwd: p.cwd } : {}),
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn(); // throws NotFound / NotCapable; the caller words the error
    this.#child = child;
    this.#writer = child.stdin.getWriter();
    void readLines(child.stdout, (line) => this.#message(line), (e) => this.onerror?.(e));
    void readLines(child.stderr, (line) => {
      this.stderrTail.push(line);
      if (this.stderrTail.length > STDERR_LINES) this.stderrTail.shift();
      p.onStderr?.(line);
    }, () => {});
    void child.status.then((s) => {
      this.exit = s.signal ? `signal ${s.signal}` : `exit code ${s.code}`;
      this.#child = undefined;
      this.onclose?.();
    });
    return Promise.resolve();
  }

  async send(message: JSONRPCMessage): Promise<void> {
    if (!this.#writer || !this.#child) throw new Error("the server process is not running");
    await this.#writer.write(new TextEncoder().encode(JSON.stringify(message) + "\n"));
  }

  /** Ends stdin, then SIGTERM after 2 s, then SIGKILL after 2 s more (as the SDK does). */
  async close(): Promise<void> {
    if (this.#closing) return;
    this.#closing = true;
    const child = this.#child;
    if (!child) return;
    await this.#writer?.close().catch(() => {});
    for (const signal of ["SIGTERM", "SIGKILL"] as const) {
      if (await settlesWithin(child.status, 2_000)) return;
      try {
        child.kill(signal);
      } catch {
        return; // already gone
      }
    }
    await settlesWithin(child.status, 2_000);
  }

  #message(line: string): void {
    const msg = parseMessage(line, (e) => this.onerror?.(e));
    if (msg) this.onmessage?.(msg);
  }
}

function settlesWithin(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([
    p.then(() => true),
    new Promise<boolean>((r) => timer = setTimeout(() => r(false), ms)),
  ]).finally(() => clearTimeout(timer));
}
