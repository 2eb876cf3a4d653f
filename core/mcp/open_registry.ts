/**
 * The tool registry of a session with its MCP servers attached: resolves `mcpServers` (agent
 * config and mcp.json, see server_defs.ts), opens the registry with one provider per server and
 * binds the hub (eager servers start). What the REPL, `cli tools` and `cli mcp` open.
 */
import { openRegistry, type RegistryOptions, type ToolRegistry } from "../tools/registry.ts";
import { McpHub, type McpHubOptions } from "./mcp_hub.ts";
import { type EnvLookup, type McpConfigSource, resolveMcpServers } from "./server_defs.ts";
import { Logger } from "../log.ts";

/** A registry and the hub of its MCP servers (close both when done). */
export interface SessionTools {
  registry: ToolRegistry;
  mcp: McpHub;
}

/** Opens the registry with the configured MCP servers; throws ConfigError on a bad entry. */
export async function openRegistryWithMcp(
  config: McpConfigSource,
  options: RegistryOptions & {
    env?: EnvLookup;
    /** The standalone MCP file; default as resolveMcpServers; null = none. */
    mcpFile?: string | null;
  } = {},
  hub: Omit<McpHubOptions, "log" | "toolsConfig"> = {},
): Promise<SessionTools> {
  const { env, mcpFile, ...registryOptions } = options;
  const defs = resolveMcpServers(config, env, mcpFile);
  const log = options.log ?? new Logger({ actor: "tools" });
  const mcp = new McpHub(defs, { ...hub, log, toolsConfig: options.config });
  const registry = await openRegistry({
    ...registryOptions,
    providers: [...(options.providers ?? []), ...mcp.providers],
  });
  mcp.bind(registry);
  return { registry, mcp };
}
