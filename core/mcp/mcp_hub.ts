/**
 * Every configured MCP server of a session: one {@link McpConnection} and one registry
 * provider each. Lazy servers start at the first search or at a call of one of their tools
 * (the registry awaits `prepare`), eager ones when the hub is bound to its registry. Each
 * listing (first start, `tools/list_changed`, restart) replaces that server's tools in the
 * registry and its search index. The servers' secrets are registered with core/redact.ts, so
 * they are masked wherever they would be printed or returned. `close` shuts every server down.
 */
import type { Logger } from "../log.ts";
import { registerSecret } from "../redact.ts";
import type { ToolRegistry } from "../tools/registry.ts";
import type { ToolProvider } from "../tools/tool_providers.ts";
import { settingsFor, type ToolsConfig } from "../tools/tools_config.ts";
import { type ConnectionOptions, type ConnectionStatus, McpConnection } from "./connection.ts";
import { providedTools } from "./mcp_tools.ts";
import type { McpServerDef } from "./server_defs.ts";

/** Wiring of a {@link McpHub}. */
export interface McpHubOptions {
  log: Logger;
  /** tools.yaml, for the approval overrides the tools' docs mention. */
  toolsConfig?: ToolsConfig | undefined;
  /** Connection tuning (timeouts, backoff); tests shorten it. */
  connection?: Omit<ConnectionOptions, "log" | "onTools">;
}

/** One server's row in `cli mcp list`. */
export interface McpServerStatus extends ConnectionStatus {
  name: string;
  namespace: string;
  transport: "stdio" | "http";
  startup: "lazy" | "eager";
}

/** See the file doc. */
export class McpHub {
  readonly connections: McpConnection[];
  /** One per server, to give the registry (`RegistryOptions.providers`) before it loads. */
  readonly providers: ToolProvider[];
  #registry: ToolRegistry | undefined;

  constructor(defs: McpServerDef[], options: McpHubOptions) {
    for (const def of defs) def.secrets.forEach(registerSecret);
    const settings = options.toolsConfig?.tools ?? {};
    const override = (name: string) => settingsFor(settings, name)?.requiresApproval;
    this.connections = defs.map((def) => {
      const connection: McpConnection = new McpConnection(def, {
        ...options.connection,
        log: options.log.child(`mcp:${def.name}`),
        onTools: (tools) =>
          this.#registry?.setProvided(
            `mcp:${def.name}`,
            providedTools(connection, tools, override),
          ),
      });
      return connection;
    });
    this.providers = this.connections.map((c) => ({
      id: `mcp:${c.def.name}`,
      prefix: `${c.def.namespace}.`,
      prepare: () => c.ensure(),
      unavailable: () => c.unavailable(),
    }));
  }

  /** Connects the hub to its registry and starts the eager servers (not awaited). */
  bind(registry: ToolRegistry): void {
    this.#registry = registry;
    for (const c of this.connections) if (c.def.startup === "eager") void c.ensure();
  }

  /** Starts every server now and waits until each is ready or has failed. */
  async startAll(): Promise<void> {
    await Promise.all(this.connections.map((c) => c.ensure()));
  }

  status(): McpServerStatus[] {
    return this.connections.map((c) => ({
      name: c.def.name,
      namespace: c.def.namespace,
      transport: c.def.transport.kind,
      startup: c.def.startup,
      ...c.status(),
    }));
  }

  /** Shuts every server down. */
  async close(): Promise<void> {
    await Promise.all(this.connections.map((c) => c.close()));
  }
}
