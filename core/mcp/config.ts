/**
 * The `mcpServers` block, in the shape Claude Desktop, Cursor and VS Code use, so a block copied
 * from another host works here: `{command, args, env, cwd}` starts a stdio server,
 * `{url, headers}` connects to a Streamable HTTP one (`type` is optional, as in those hosts).
 * Two keys of ours: `startup` (`lazy`, the default: at the first search or call; `eager`: when
 * the session starts) and `disabled`. Strings may use `${VAR}`, `${env:VAR}` or
 * `${VAR:-default}` for values from the supervisor's environment (see server_defs.ts).
 * Accepted in agent.yaml / agent.json (`mcpServers:`) and in a standalone `mcp.json`.
 */
import { z } from "zod";
import { parse as parseYaml } from "yaml";
import { ConfigError } from "../errors.ts";

// YAML writes `PORT: 3000` and `DEBUG: true`; the process sees strings either way.
const envValue = z.union([z.string(), z.number(), z.boolean()]).transform(String);

/** One server entry; which keys are allowed depends on stdio vs HTTP (checked below). */
export const McpServerSchema = z.strictObject({
  type: z.enum(["stdio", "http", "streamable-http", "streamableHttp", "sse"]).optional(),
  command: z.string().min(1).optional(),
  args: z.array(z.union([z.string(), z.number()]).transform(String)).optional(),
  env: z.record(z.string(), envValue).optional(),
  cwd: z.string().min(1).optional(),
  url: z.string().min(1).optional(),
  headers: z.record(z.string(), z.string()).optional(),
  startup: z.enum(["lazy", "eager"]).optional(),
  disabled: z.boolean().optional(),
}).superRefine((s, ctx) => {
  const issue = (message: string, key?: string) =>
    ctx.addIssue({ code: "custom", message, ...(key ? { path: [key] } : {}) });
  if (s.type === "sse") {
    return issue(
      "the SSE transport (deprecated in MCP 2025-03-26) is not supported: use the server's " +
        'Streamable HTTP endpoint (type "http"), usually the same URL ending in /mcp',
      "type",
    );
  }
  const http = s.type === undefined ? s.url !== undefined : s.type !== "stdio";
  if (s.command !== undefined && s.url !== undefined) {
    return issue('has both "command" (stdio) and "url" (HTTP): keep one');
  }
  if (http) {
    if (s.url === undefined) return issue(`type "${s.type}" needs a "url"`);
    for (const key of ["args", "env", "cwd"] as const) {
      if (s[key] !== undefined) issue(`"${key}" applies to stdio servers only`, key);
    }
  } else {
    if (s.command === undefined) {
      return issue('needs "command" (a stdio server) or "url" (a Streamable HTTP server)');
    }
    if (s.headers !== undefined) issue('"headers" applies to HTTP servers only', "headers");
  }
});

/** One validated entry, as written. */
export type McpServerConfig = z.infer<typeof McpServerSchema>;

/** The `mcpServers` mapping: server name → entry. */
export const McpServersSchema = z.record(z.string().min(1), McpServerSchema);

/** A standalone file: `{"mcpServers": {...}}` (Claude Desktop, Cursor) or `{"servers": {...}}` (VS Code). */
const McpFileSchema = z.strictObject({
  mcpServers: McpServersSchema.optional(),
  servers: McpServersSchema.optional(),
});

/** Reads `mcp.json` (or YAML); throws {@link ConfigError} naming the file, server and key. */
export function loadMcpFile(path: string): Record<string, McpServerConfig> {
  let text: string;
  try {
    text = Deno.readTextFileSync(path);
  } catch (e) {
    throw new ConfigError(`Cannot read MCP config "${path}": ${(e as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = /\.ya?ml$/.test(path) ? parseYaml(text) : JSON.parse(text);
  } catch (e) {
    throw new ConfigError(`Cannot parse MCP config "${path}": ${(e as Error).message}`);
  }
  if (raw && typeof raw === "object" && "inputs" in raw) {
    throw new ConfigError(
      `Invalid MCP config "${path}": "inputs" (VS Code's prompted values) is not supported: ` +
        "put the value in an environment variable and write ${env:NAME} where it is used",
    );
  }
  const parsed = McpFileSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    throw new ConfigError(`Invalid MCP config "${path}":\n  ${describeMcpIssues(parsed.error)}`);
  }
  const { mcpServers = {}, servers = {} } = parsed.data;
  for (const name of Object.keys(servers)) {
    if (name in mcpServers) {
      throw new ConfigError(
        `Invalid MCP config "${path}": server "${name}" is under both "mcpServers" and "servers"`,
      );
    }
  }
  return { ...mcpServers, ...servers };
}

/** The default standalone file: `<dir>/mcp.json`, else `<dir>/.mcp.json` (Claude Code's). */
export function defaultMcpFile(dir = "."): string | undefined {
  for (const name of ["mcp.json", ".mcp.json"]) {
    const path = dir === "." ? name : `${dir}/${name}`;
    try {
      if (Deno.statSync(path).isFile) return path;
    } catch {
      // absent
    }
  }
  return undefined;
}

/** Issue lines for an `mcpServers` mapping: `mcpServers.github: unknown key "comand"`. */
export function describeMcpIssues(error: z.ZodError): string {
  return error.issues.map((issue) => {
    const path = issue.path.map(String).join(".");
    if (issue.code === "unrecognized_keys") {
      return `${path || "(top level)"}: unknown key ${
        issue.keys.map((k) => `"${k}"`).join(", ")
      } (check the spelling)`;
    }
    return `${path || "(top level)"}: ${issue.message}`;
  }).join("\n  ");
}
