/**
 * The supervisor's Deno permission flags, derived from the effective config: the one place that
 * says what `deno task start|repl|cli` may do. The launcher (core/launch/launch.ts) re-executes
 * `main.ts` with them. Each area adds what it needs here, not in deno.json: a path it reads or
 * writes, a host it connects to or listens on, an environment variable, a command it runs.
 */
import { type Config, CONFIG_ENV_NAMES } from "../config.ts";
import { hostPort, PG_ENV } from "../memory/memory_permissions.ts";
import { MODEL_SERVER_PORT } from "../cli/model_server_command.ts";
import { SANDBOX_LAUNCHER } from "../sandbox/launcher_path.ts";
import { scbUnavailable } from "../platform/platform_wiring.ts";
import { apiSocketPath } from "../http/api_socket.ts";
import { mcpSupervisorNeeds } from "../mcp/permissions.ts";

/** What the launcher knows besides the config. */
export interface LaunchContext {
  /** The `main.ts` subcommand (`start`, `repl`, `config`, `kernel`, ...). */
  command: string;
  /** The subcommand's arguments (paths given with flags get read or write access). */
  args: string[];
  /** Absolute path of the project (where main.ts is). */
  projectDir: string;
  /** Absolute working directory relative paths are resolved against. */
  cwd: string;
  /** The launcher's environment. */
  env: Record<string, string | undefined>;
  /** Directories of npm packages that read their own files at run time (PGlite, the encoder). */
  packageDirs: string[];
}

/**
 * Commands the supervisor runs: only the sandbox launcher (kernels, generated tests, checks,
 * the RSS probe, all with flags it owns: core/sandbox/launcher.pl), never deno or unshare.
 */
export const SUPERVISOR_RUN = [SANDBOX_LAUNCHER];

/** Variables read besides the config's: Deno's cache, PATH (finding deno), TMPDIR (staging), ... */
const RUNTIME_ENV = [
  "DENO_DIR",
  "XDG_CACHE_HOME",
  "HOME",
  "PATH",
  "TMPDIR",
  "NO_COLOR",
  "CI",
  // npm packages: yaml reads LOG_TOKENS and LOG_STREAM while parsing, ioredis's debug DEBUG.
  "LOG_TOKENS",
  "LOG_STREAM",
  "DEBUG",
];

/** Flags whose value is a path the command writes (read is implied). */
const WRITE_FLAGS = new Set(["record", "sessions", "data", "learned"]);
/** Flags whose value is a path the command reads. */
const READ_FLAGS = new Set(["replay", "file", "config", "catalog", "dir", "locomo", "inputs"]);

/**
 * The `deno run` flags for `main.ts <command>` under `config`.
 *
 * @example
 * ```ts
 * const flags = supervisorFlags(loadConfig(), { command: "start", args: [], ...launch });
 * // ["--no-prompt", "--unstable-worker-options", "--allow-read=/app,...", ...]
 * ```
 */
export function supervisorFlags(config: Config, launch: LaunchContext): string[] {
  const abs = (p: string) => absolute(launch.cwd, p);
  const read = new Set<string>([launch.projectDir, ...launch.packageDirs]);
  const write = new Set<string>();
  const both = (p: string) => (read.add(abs(p)), write.add(abs(p)));
  both(config.database.dataDir);
  both(config.paths.sessions);
  both(config.paths.learnedSkills);
  for (const p of [config.paths.tools, config.paths.actors, config.paths.toolsConfig]) {
    if (p) read.add(abs(p));
  }
  for (const [flag, value] of flagValues(launch.args)) {
    if (WRITE_FLAGS.has(flag)) both(value);
    else if (READ_FLAGS.has(flag)) read.add(abs(value));
  }
  if (launch.command !== "start" && launch.command !== "repl") {
    // One-shot commands read the files they are given (cells, a session, a catalogue), and
    // stage work in the system's temporary directory (`skills test`, `kernel run`).
    for (const arg of launch.args) if (!arg.startsWith("-") && exists(abs(arg))) read.add(abs(arg));
    const temp = launch.env.TMPDIR || (Deno.build.os === "windows" ? launch.env.TEMP : "/tmp");
    if (temp) both(temp);
  }

  const env = supervisorEnv();
  // The configured MCP servers: their commands, hosts, the variables they refer to, mcp.json.
  const mcp = mcpSupervisorNeeds(config, launch.cwd, [launch.command, ...launch.args]);
  for (const p of mcp.read) read.add(p);

  const grants: Array<[string, Set<string>]> = [
    ["read", read],
    ["write", write],
    ["net", new Set([...netHosts(config, launch), ...mcp.net])],
    ["env", new Set([...env, ...mcp.env])],
    ["run", new Set([...SUPERVISOR_RUN, ...mcp.run])],
  ];
  return [
    "--no-prompt",
    "--unstable-worker-options",
    // An empty list would be refused ("invalid empty host"); no entry means no grant.
    ...grants.filter(([, values]) => values.size > 0).map(([name, v]) =>
      `--allow-${name}=${list(v)}`
    ),
  ];
}

/** The variables the supervisor may read: the config's, the runtime's, npm:pg's (read on load). */
export function supervisorEnv(): Set<string> {
  return new Set([...CONFIG_ENV_NAMES, ...RUNTIME_ENV, ...PG_ENV]);
}

/** Flags under which main.ts can load the config and report why it does not load. */
export function configErrorFlags(projectDir: string, file: string | undefined): string[] {
  return [
    "--no-prompt",
    `--allow-read=${list(new Set([projectDir, ...(file ? [file] : [])]))}`,
    `--allow-env=${list(supervisorEnv())}`,
  ];
}

/** Every host (and port) the supervisor may connect to or listen on. */
export function netHosts(config: Config, launch: LaunchContext): Set<string> {
  const hosts = new Set<string>();
  const url = (u: string | undefined, port: number, scheme?: RegExp) => {
    if (!u) return;
    try {
      hosts.add(hostPort(scheme ? u.replace(scheme, "http:") : u, port));
    } catch { /* not a URL: the config check reports it */ }
  };
  if (launch.command === "start") {
    // The API listens there, behind a front that pipes to a Unix socket (core/http/).
    hosts.add(`${config.http.hostname}:${config.http.port}`);
    hosts.add(`unix:${apiSocketPath(config.database.dataDir, config.http.port, launch.cwd)}`);
  }
  if (launch.command === "model-server") {
    const flags = new Map(flagValues(launch.args));
    hosts.add(`${flags.get("host") ?? "127.0.0.1"}:${flags.get("port") ?? MODEL_SERVER_PORT}`);
  }
  url(config.model.baseUrl ?? (config.model.apiKey ? "https://api.openai.com/v1" : undefined), 80);
  if (config.model.provider === "livepeer") url(config.livepeer.gatewayUrl, 80);
  url(config.embedding.baseUrl, 80);
  url(config.database.url, 5432, /^postgres(ql)?:/);
  if (!config.standalone) url(config.vtuber.url, 80);
  if (scbUnavailable(config) === undefined) {
    if (config.scb.useRedis) url(config.scb.redisUrl, 6379, /^rediss?:/);
    else url(config.scb.neurosyncUrl, 80);
  }
  url(config.integrations.researchUrl, 80);
  for (const h of config.integrations.apiPostAllowedHosts.split(",")) {
    if (h.trim()) hosts.add(h.trim());
  }
  // Kernels need none: their CDP runs over their own stdin/stdout (core/inspector_isolation.ts).
  return hosts;
}

/** `[flag, value]` for every `--flag value` and `--flag=value` in `args`. */
function flagValues(args: string[]): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (let i = 0; i < args.length; i++) {
    const m = args[i]!.match(/^--([a-z-]+)(?:=(.*))?$/);
    if (!m) continue;
    const value = m[2] ?? args[i + 1];
    if (value === undefined || value.startsWith("-")) continue;
    if (m[2] === undefined) i++;
    out.push([m[1]!, value]);
  }
  return out;
}

function absolute(cwd: string, p: string): string {
  const joined = p.startsWith("/") ? p : `${cwd.replace(/\/+$/, "")}/${p}`;
  const out: string[] = [];
  for (const part of joined.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") out.pop();
    else out.push(part);
  }
  return "/" + out.join("/");
}

function exists(p: string): boolean {
  try {
    Deno.statSync(p);
    return true;
  } catch {
    return false;
  }
}

function list(values: Set<string>): string {
  for (const v of values) {
    if (v.includes(",")) throw new Error(`cannot grant a path or host holding a comma: "${v}"`);
  }
  return [...values].join(",");
}
