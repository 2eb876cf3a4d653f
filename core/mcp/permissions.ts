/**
 * What the supervisor's Deno permissions must include for the configured MCP servers, for the
 * permission launcher (core/launch/supervisor_flags.ts): each stdio server's command in
 * `--allow-run` (the server then runs as an ordinary process with the user's rights: Deno does
 * not sandbox it, and `--allow-run=npx` lets the supervisor start npx with any arguments), each
 * HTTP server's host:port in `--allow-net`, the variables the entries refer to (`${VAR}`) plus
 * the few a stdio server inherits in `--allow-env`, and the standalone mcp.json in
 * `--allow-read`. `cli mcp serve --http` also listens on 127.0.0.1.
 */
import type { Config } from "../config.ts";
import { defaultMcpFile, loadMcpFile, type McpServerConfig } from "./config.ts";
import { ENV_REF } from "./server_defs.ts";
import { INHERITED_ENV } from "./stdio_transport.ts";

/** Grants for the MCP servers of `config`; never throws (a bad file is reported at start). */
export interface McpNeeds {
  run: string[];
  net: string[];
  env: string[];
  read: string[];
}

/** See the file doc; `cwd` resolves a relative mcp.json, `args` are main.ts's arguments. */
export function mcpSupervisorNeeds(
  config: Pick<Config, "mcpServers" | "paths">,
  cwd: string,
  args: string[] = [],
): McpNeeds {
  const servers: McpServerConfig[] = Object.values(config.mcpServers).filter((s) => !s.disabled);
  const read: string[] = [];
  const file = config.paths.mcpConfig ?? defaultMcpFile(cwd);
  if (file) {
    read.push(file.startsWith("/") ? file : `${cwd}/${file}`);
    try {
      servers.push(...Object.values(loadMcpFile(read[0]!)).filter((s) => !s.disabled));
    } catch { /* reported when the servers are resolved */ }
  }
  const run = new Set<string>();
  const net = new Set<string>();
  const env = new Set<string>();
  for (const s of servers) {
    const strings = [
      s.command,
      s.url,
      ...(s.args ?? []),
      s.cwd,
      ...Object.values(s.env ?? {}),
      ...Object.values(s.headers ?? {}),
    ];
    for (const text of strings) {
      for (const m of String(text ?? "").matchAll(ENV_REF)) env.add(m[1]!);
    }
    if (s.command) {
      run.add(s.command);
      for (const k of INHERITED_ENV) env.add(k);
    }
    if (s.url) {
      try {
        const u = new URL(s.url);
        net.add(`${u.hostname}:${u.port || (u.protocol === "https:" ? "443" : "80")}`);
      } catch { /* ${VAR} in the host, or not a URL: reported at start */ }
    }
  }
  const serve = args[0] === "mcp" && args[1] === "serve" && args.includes("--http");
  if (serve) {
    const at = args.indexOf("--port");
    const port = at >= 0 ? args[at + 1] : "8765";
    net.add(port && port !== "0" ? `127.0.0.1:${port}` : "127.0.0.1");
  }
  return { run: [...run], net: [...net], env: [...env], read };
}
