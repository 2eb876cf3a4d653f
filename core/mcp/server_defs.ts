/**
 * From the configured `mcpServers` (agent.yaml and mcp.json) to what a connection needs: `${VAR}`
 * references filled from the supervisor's environment, the namespace each server's tools get,
 * and the secret values that must never leave the supervisor (they are redacted from anything
 * a server returns, see redact.ts). A reference to an unset variable, two files configuring
 * the same server or two names with the same namespace are errors naming the server and key.
 */
import type { Config } from "../config.ts";
import { ConfigError } from "../errors.ts";
import { defaultMcpFile, loadMcpFile, type McpServerConfig } from "./config.ts";
import { namespaceOf } from "./names.ts";

/** How a connection reaches its server. */
export type McpTransportDef =
  | { kind: "stdio"; command: string; args: string[]; env: Record<string, string>; cwd?: string }
  | { kind: "http"; url: string; headers: Record<string, string> };

/** One server, ready to connect. */
export interface McpServerDef {
  /** The key in `mcpServers`. */
  name: string;
  /** Prefix of its tools' names: `<namespace>.<tool>`. */
  namespace: string;
  transport: McpTransportDef;
  startup: "lazy" | "eager";
  /** Values to redact from results, errors and logs: headers, secret-looking env, `${VAR}`s. */
  secrets: string[];
  /** Where it was configured. */
  origin: string;
}

/** Env names whose values are secrets even when written literally. */
const SECRET_NAME = /KEY|TOKEN|SECRET|PASSW|PASS$|AUTH|CREDENTIAL|COOKIE|SESSION|PRIVATE|_PAT$/i;
const REF = /\$\{(?:env:)?([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/** The part of the config that names MCP servers. */
export type McpConfigSource = Pick<Config, "mcpServers"> & {
  paths?: { mcpConfig?: string | undefined };
};

/**
 * The enabled servers of `config` plus those of the standalone file: `file`, else
 * `paths.mcpConfig`, else ./mcp.json or ./.mcp.json when present; `null` reads no file.
 */
export function resolveMcpServers(
  config: McpConfigSource,
  env: Record<string, string | undefined> = Deno.env.toObject(),
  file?: string | null,
): McpServerDef[] {
  if (file === undefined) file = config.paths?.mcpConfig ?? defaultMcpFile();
  const entries: [string, McpServerConfig, string][] = Object.entries(config.mcpServers).map((
    [name, s],
  ) => [name, s, "agent config"]);
  if (file) {
    for (const [name, s] of Object.entries(loadMcpFile(file))) {
      if (name in config.mcpServers) {
        throw new ConfigError(
          `MCP server "${name}" is configured both in the agent config and in "${file}": keep one`,
        );
      }
      entries.push([name, s, file]);
    }
  }
  const defs: McpServerDef[] = [];
  const namespaces = new Map<string, string>();
  for (const [name, s, origin] of entries) {
    if (s.disabled) continue;
    const namespace = namespaceOf(name);
    const clash = namespaces.get(namespace);
    if (clash !== undefined) {
      throw new ConfigError(
        `MCP servers "${clash}" and "${name}" would both name their tools "${namespace}.*": ` +
          "rename one",
      );
    }
    namespaces.set(namespace, name);
    defs.push(resolveOne(name, namespace, s, origin, env));
  }
  return defs;
}

function resolveOne(
  name: string,
  namespace: string,
  s: McpServerConfig,
  origin: string,
  env: Record<string, string | undefined>,
): McpServerDef {
  const secrets = new Set<string>();
  const fill = (key: string, text: string): string =>
    text.replace(REF, (_m, variable: string, fallback: string | undefined) => {
      const value = env[variable] ?? fallback;
      if (value === undefined) {
        throw new ConfigError(
          `mcpServers.${name}.${key} (from ${origin}): \${${variable}} is not set in the ` +
            "environment (set it, or write ${" + variable + ":-default})",
        );
      }
      if (env[variable] !== undefined && value.length >= 4) secrets.add(value);
      return value;
    });
  const map = (
    key: string,
    obj: Record<string, string> | undefined,
    secret: (k: string) => boolean,
  ) =>
    Object.fromEntries(
      Object.entries(obj ?? {}).map(([k, v]) => {
        const value = fill(`${key}.${k}`, v);
        if (secret(k) && value.length >= 4) secrets.add(value);
        return [k, value];
      }),
    );
  let transport: McpTransportDef;
  if (s.url !== undefined) {
    const url = fill("url", s.url);
    try {
      new URL(url);
    } catch {
      throw new ConfigError(`mcpServers.${name}.url (from ${origin}): not a URL: "${url}"`);
    }
    transport = { kind: "http", url, headers: map("headers", s.headers, () => true) };
  } else {
    transport = {
      kind: "stdio",
      command: fill("command", s.command!),
      args: (s.args ?? []).map((a, i) => fill(`args.${i}`, a)),
      env: map("env", s.env, (k) => SECRET_NAME.test(k)),
      ...(s.cwd ? { cwd: fill("cwd", s.cwd) } : {}),
    };
  }
  return {
    name,
    namespace,
    transport,
    startup: s.startup ?? "lazy",
    secrets: [...secrets].sort((a, b) => b.length - a.length),
    origin,
  };
}
