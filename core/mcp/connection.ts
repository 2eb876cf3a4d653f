/**
 * One MCP server's connection and its lifecycle: started on demand (`ensure`), its tool list
 * fetched (all pages) and fetched again on `notifications/tools/list_changed`, and restarted
 * with backoff when it dies. While it is down, calls fail at once with `unavailable` and a
 * message saying why and when it comes back; a call in flight when it dies fails the same way.
 * After `maxAttempts` failed starts in a row it stays down until a minute has passed and a
 * search or call asks for it again. `close` stops the server (stdin end, SIGTERM, SIGKILL).
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import {
  type CallToolResult,
  ErrorCode,
  McpError,
  type Tool,
  ToolListChangedNotificationSchema,
} from "@modelcontextprotocol/sdk/types.js";
import type { Logger } from "../log.ts";
import { backoffDelay } from "../model/retry.ts";
import { ToolCallError } from "../tools/call_tool.ts";
import { redactText } from "../redact.ts";
import type { McpServerDef } from "./server_defs.ts";
import { DenoStdioTransport } from "./stdio_transport.ts";
import { spawnRefusal } from "./spawn_errors.ts";

/** Where a connection stands. */
export type ConnectionState = "idle" | "starting" | "ready" | "restarting" | "failed" | "closed";

/** Tuning of {@link McpConnection}; the defaults suit real servers. */
export interface ConnectionOptions {
  log: Logger;
  /** Called with the server's tools after every listing. */
  onTools: (tools: Tool[]) => void;
  /** Initialize + first listing; default 60 s (a first `npx -y` downloads the package). */
  connectTimeoutMs?: number;
  /** Backoff between restarts: first ceiling and cap (ms); default 500 and 30 000. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Failed starts in a row before giving up for a minute; default 5. */
  maxAttempts?: number;
  /** The backoff's jitter source, in [0, 1); default Math.random (tests fix it). */
  random?: () => number;
}

/** A snapshot for `cli mcp list` and status pages. */
export interface ConnectionStatus {
  state: ConnectionState;
  tools: number;
  error?: string;
  retryInMs?: number;
  pid?: number;
}

const STABLE_MS = 10_000; // up this long after a start: the next crash starts the count afresh
const COOL_DOWN_MS = 60_000;

/** See the file doc. */
export class McpConnection {
  readonly def: McpServerDef;
  #state: ConnectionState = "idle";
  #client: Client | undefined;
  #transport: Transport | undefined;
  #starting: Promise<void> | undefined;
  #tools: Tool[] = [];
  #error: string | undefined;
  #attempts = 0;
  #retryAt = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #upSince = 0;
  #resources = false;
  readonly #o: ConnectionOptions;

  constructor(def: McpServerDef, options: ConnectionOptions) {
    this.def = def;
    this.#o = options;
  }

  get state(): ConnectionState {
    return this.#state;
  }

  /** The last listing. */
  get tools(): Tool[] {
    return this.#tools;
  }

  status(): ConnectionStatus {
    const pid = this.#transport instanceof DenoStdioTransport ? this.#transport.pid : undefined;
    return {
      state: this.#state,
      tools: this.#tools.length,
      ...(this.#error ? { error: this.#error } : {}),
      ...(this.#state === "restarting"
        ? { retryInMs: Math.max(0, this.#retryAt - Date.now()) }
        : {}),
      ...(pid ? { pid } : {}),
    };
  }

  /** Starts the server if it is idle (or given up on long enough); waits for a start under way. */
  async ensure(): Promise<void> {
    if (this.#state === "idle" || (this.#state === "failed" && Date.now() >= this.#retryAt)) {
      if (this.#state === "failed") this.#attempts = 0;
      this.#starting = this.#start();
    }
    await this.#starting;
  }

  /** Calls a tool by its MCP name; see the file doc for the errors. */
  async call(name: string, args: unknown, signal: AbortSignal): Promise<CallToolResult> {
    await this.ensure();
    const client = this.#client;
    if (this.#state !== "ready" || !client) {
      throw new ToolCallError("unavailable", this.#why());
    }
    try {
      const result = await client.callTool(
        { name, arguments: (args ?? {}) as Record<string, unknown> },
        undefined,
        // Our own timeout aborts `signal`; the SDK's (60 s by default) must not fire first.
        { signal, timeout: 2 ** 31 - 1 },
      );
      return result as CallToolResult;
    } catch (e) {
      if (signal.aborted) throw e;
      if (e instanceof McpError && (e as McpError).code === ErrorCode.ConnectionClosed) {
        this.#lost(client, "the connection closed");
      }
      if (this.#client !== client || this.#state !== "ready") {
        throw new ToolCallError(
          "unavailable",
          `the server stopped during the call: ${this.#why()}`,
        );
      }
      if (this.def.transport.kind === "http" && !(e instanceof McpError)) {
        this.#lost(client, `the HTTP connection failed: ${(e as Error).message}`);
        throw new ToolCallError("unavailable", this.#why());
      }
      throw new ToolCallError("failed", this.#redact((e as Error).message));
    }
  }

  /** Whether the server offers resources (so `<server>.read_resource` is offered). */
  get hasResources(): boolean {
    return this.#resources;
  }

  /** `resources/read`: the contents of one resource (a `resource_link` a tool returned). */
  async readResource(
    uri: string,
    signal: AbortSignal,
  ): Promise<{ uri: string; mimeType?: string; text?: string; blob?: string }[]> {
    await this.ensure();
    const client = this.#client;
    if (this.#state !== "ready" || !client) throw new ToolCallError("unavailable", this.#why());
    try {
      const r = await client.readResource({ uri }, { signal, timeout: 2 ** 31 - 1 });
      return r.contents as { uri: string; mimeType?: string; text?: string; blob?: string }[];
    } catch (e) {
      if (signal.aborted) throw e;
      throw new ToolCallError("failed", this.#redact((e as Error).message));
    }
  }

  /** Stops the server and any restart timer. */
  async close(): Promise<void> {
    this.#state = "closed";
    clearTimeout(this.#timer);
    const client = this.#client;
    this.#client = undefined;
    await client?.close().catch(() => {});
    await this.#transport?.close().catch(() => {});
  }

  async #start(): Promise<void> {
    clearTimeout(this.#timer);
    this.#state = "starting";
    const { def } = this;
    const client = new Client({ name: "autoliza", version: "1.0.0" }, { capabilities: {} });
    let transport: Transport;
    if (def.transport.kind === "stdio") {
      transport = new DenoStdioTransport({
        ...def.transport,
        onStderr: (line) =>
          this.#o.log.debug("mcp_stderr", { server: def.name, line: this.#redact(line) }),
      });
    } else {
      transport = new StreamableHTTPClientTransport(new URL(def.transport.url), {
        requestInit: { headers: def.transport.headers },
      });
    }
    this.#transport = transport;
    client.onclose = () => this.#lost(client, "the connection closed");
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
      this.#o.log.info("mcp_tools_changed", { server: def.name });
      void this.#list(client).catch((e) =>
        this.#o.log.warn("mcp_list_failed", { server: def.name, error: this.#redact(e.message) })
      );
    });
    const t0 = performance.now();
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      await Promise.race([
        (async () => {
          await client.connect(transport);
          this.#resources = Boolean(client.getServerCapabilities()?.resources);
          await this.#list(client);
        })(),
        new Promise((_, reject) => {
          const ms = this.#o.connectTimeoutMs ?? 60_000;
          timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
        }),
      ]);
    } catch (e) {
      clearTimeout(timer);
      if ((this.#state as ConnectionState) === "closed") return;
      const refusal = spawnRefusal(e, def);
      // A command that cannot be run will not run on a retry either.
      if (refusal) this.#attempts = this.#o.maxAttempts ?? 5;
      this.#error = refusal ?? this.#describe(e);
      this.#o.log.warn("mcp_start_failed", { server: def.name, error: this.#error });
      client.onclose = undefined;
      await client.close().catch(() => {});
      await transport.close().catch(() => {});
      return this.#scheduleRestart();
    }
    clearTimeout(timer);
    if ((this.#state as ConnectionState) === "closed") {
      await client.close().catch(() => {});
      return;
    }
    this.#client = client;
    this.#state = "ready";
    this.#error = undefined;
    this.#upSince = Date.now();
    this.#o.log.info("mcp_server_ready", {
      server: def.name,
      tools: this.#tools.length,
      ms: Math.round(performance.now() - t0),
    });
  }

  async #list(client: Client): Promise<void> {
    const tools: Tool[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 100; page++) {
      const r = await client.listTools(cursor ? { cursor } : {});
      tools.push(...r.tools);
      cursor = r.nextCursor;
      if (!cursor) break;
    }
    this.#tools = tools;
    this.#o.onTools(tools);
  }

  /** The server went away (process exit, closed connection) while we did not close it. */
  #lost(client: Client, reason: string): void {
    if (this.#client !== client || this.#state === "closed") return;
    this.#client = undefined;
    const t = this.#transport;
    const exit = t instanceof DenoStdioTransport && t.exit ? ` (${t.exit})` : "";
    this.#error = `the server stopped${exit}: ${reason}${this.#stderr()}`;
    this.#o.log.warn("mcp_server_lost", { server: this.def.name, error: this.#error });
    void client.close().catch(() => {});
    void t?.close().catch(() => {});
    if (Date.now() - this.#upSince >= STABLE_MS) this.#attempts = 0;
    this.#scheduleRestart();
  }

  #scheduleRestart(): void {
    this.#attempts++;
    const max = this.#o.maxAttempts ?? 5;
    if (this.#attempts > max) {
      this.#state = "failed";
      this.#retryAt = Date.now() + COOL_DOWN_MS;
      this.#o.log.error("mcp_server_failed", { server: this.def.name, error: this.#error });
      return;
    }
    const delay = Math.max(
      100,
      backoffDelay(this.#attempts - 1, {
        maxRetries: max,
        baseDelayMs: this.#o.baseDelayMs ?? 500,
        maxDelayMs: this.#o.maxDelayMs ?? 30_000,
        ...(this.#o.random ? { random: this.#o.random } : {}),
      }),
    );
    this.#state = "restarting";
    this.#retryAt = Date.now() + delay;
    const timer = setTimeout(() => {
      this.#starting = this.#start();
    }, delay);
    Deno.unrefTimer(timer as unknown as number);
    this.#timer = timer;
  }

  /** Why calls fail right now, or undefined while it is ready (or not started yet). */
  unavailable(): string | undefined {
    return this.#state === "ready" || this.#state === "idle" ? undefined : this.#why();
  }

  /** Why calls fail right now, for the model. */
  #why(): string {
    const name = `MCP server "${this.def.name}"`;
    const error = this.#error ?? "it is not running";
    switch (this.#state) {
      case "restarting": {
        const s = Math.max(0, this.#retryAt - Date.now()) / 1000;
        return `${name} is down (${error}); restart ${this.#attempts} of ${
          this.#o.maxAttempts ?? 5
        } in ${s.toFixed(1)} s: try again then`;
      }
      case "failed":
        return `${name} could not be started (${error}); ` +
          "it is tried again a minute after the last attempt";
      case "closed":
        return `${name} was shut down`;
      default:
        return `${name} is not ready (${error})`;
    }
  }

  #describe(e: unknown): string {
    const t = this.#transport;
    if (t instanceof DenoStdioTransport && t.exit) {
      return this.#redact(`it exited while starting (${t.exit})${this.#stderr()}`);
    }
    return this.#redact(`${(e as Error)?.message ?? String(e)}${this.#stderr()}`);
  }

  #stderr(): string {
    const t = this.#transport;
    if (!(t instanceof DenoStdioTransport) || t.stderrTail.length === 0) return "";
    return this.#redact(`; its stderr ended: ${t.stderrTail.slice(-3).join(" | ").slice(-400)}`);
  }

  #redact(text: string): string {
    return redactText(text);
  }
}
