/**
 * From the configured `mcpServers` (agent.yaml and mcp.json) to what a connection needs: `${VAR}`
 * references filled from the supervisor's environment, the namespace each server's tools get,
 * and the secret values that must never leave the supervisor (the hub registers them with
 * core/redact.ts, which masks them in results, errors and logs). A reference to an unset variable, two files configuring
 * the same server or two names with the same namespace are errors naming the server and key.
 */
import type { Config } from "../config.ts";
import { ConfigError } from "../errors.ts";
import { defaultMcpFile, loadMcpFile, type McpServerConfig } from "./config.ts";
import { namespaceOf } from "./names.ts";
import { MIN_SECRET_LENGTH } from "../redact.ts";

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
/** `${VAR}`, `${env:VAR}`, `${VAR:-default}`. */
export const ENV_REF = /\$\{(?:env:)?([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/** Where `${VAR}` values come from: a map (tests) or a lookup. */
export type EnvLookup = Record<string, string | undefined> | ((name: string) => string | undefined);

/**
 * The supervisor's environment, one variable at a time: under the launcher's `--allow-env` list
 * `Deno.env.toObject()` is refused, and a variable outside the list is reported as such.
 */
function processEnv(name: string): string | undefined {
  try {
    return Deno.env.get(name);
  } catch (e) {
    if (!(e instanceof Deno.errors.NotCapable)) throw e;
    throw new ConfigError(
      `\${${name}} cannot be read: the supervisor's --allow-env does not list it (start through ` +
        "`deno task repl` / `deno task start`, which grant the variables mcpServers refers to)",
    );
  }
}

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
  env: EnvLookup = processEnv,
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
  env: EnvLookup,
): McpServerDef {
  const get = typeof env === "function" ? env : (n: string) => env[n];
  const secrets = new Set<string>();
  const fill = (key: string, text: string): string =>
    text.replace(ENV_REF, (_m, variable: string, fallback: string | undefined) => {
      const set = get(variable);
      const value = set ?? fallback;
      if (value === undefined) {
        throw new ConfigError(
          `mcpServers.${name}.${key} (from ${origin}): \${${variable}} is not set in the ` +
            "environment (set it, or write ${" + variable + ":-default})",
        );
      }
      if (set !== undefined && value.length >= MIN_SECRET_LENGTH) secrets.add(value);
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
        if (secret(k) && value.length >= MIN_SECRET_LENGTH) secrets.add(value);
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
