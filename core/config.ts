/**
 * The one validated configuration object. Built from defaults, then an optional `agent.yaml` /
 * `agent.json`, then environment variables (the platform's names, see
 * ../shared/contracts/neurosync.md). Invalid input fails with a message naming the key, where it
 * came from, the bad value and what was expected.
 */
import { z } from "zod";
import { parse as parseYaml } from "yaml";
import { ConfigError } from "./errors.ts";
import { McpServersSchema } from "./mcp/config.ts";
import { HEX_ID, stringToUuid } from "./memory/eliza_ids.ts";
import { MASK, redactText, registerSecret } from "./redact.ts";

const url = z.string().url();
const positiveInt = z.coerce.number().int().positive();
const bool = z.preprocess((v) => {
  if (typeof v !== "string") return v;
  const s = v.trim().toLowerCase();
  if (["1", "true", "yes", "on"].includes(s)) return true;
  if (["0", "false", "no", "off", ""].includes(s)) return false;
  return v;
}, z.boolean());

/** The schema of the whole configuration. Unknown keys are errors. */
export const ConfigSchema = z.strictObject({
  agent: z.strictObject({
    name: z.string().min(1).default("Autoliza"),
    /**
     * Any 8-4-4-4-12 hex id (ElizaOS ids have version nibble 0). Unset: `stringToUuid(name)`,
     * the id ElizaOS derives, so an agent named like the old one takes over its rows.
     */
    id: z.string().regex(HEX_ID, "expected an 8-4-4-4-12 hex id").optional(),
  }).prefault({}).transform((a) => ({
    name: a.name,
    id: (a.id ?? stringToUuid(a.name)).toLowerCase(),
  })),
  standalone: bool.default(false),
  http: z.strictObject({
    port: z.coerce.number().int().min(0).max(65535).default(8000),
    /** Loopback by default; the container sets 0.0.0.0 (and then a token is required). */
    hostname: z.string().min(1).default("127.0.0.1"),
    /** Bearer token for everything but /health; generated into DATA_DIR when unset off loopback. */
    token: z.string().min(16, "expected at least 16 characters").optional(),
    /** Comma-separated host names the API answers to besides loopback names and IP literals. */
    allowedHosts: z.string().default(""),
    /** Open client connections at most; past it idle ones are closed, then newcomers get 503. */
    maxConnections: positiveInt.default(256),
    /** A request head must arrive within this (slow or partial requests are cut). */
    headerTimeoutMs: positiveInt.default(10_000),
    /** A kept-alive connection with no byte either way for this long is closed. */
    idleTimeoutMs: positiveInt.default(60_000),
  }).prefault({}),
  log: z.strictObject({
    level: z.enum(["debug", "info", "warn", "error"]).default("info"),
    format: z.enum(["json", "pretty"]).default("json"),
  }).prefault({}),
  /** OpenTelemetry through Deno's built-in exporter (core/telemetry/tracing.ts). */
  telemetry: z.strictObject({
    /** OTEL_DENO: Deno exports spans, metrics and console output over OTLP. */
    enabled: bool.default(false),
    /** OTEL_DENO_CONSOLE: `replace` exports console output without printing it (the launcher sets it). */
    console: z.enum(["capture", "replace", "ignore"]).default("capture"),
    /** Record prompts, completions and tool arguments on spans (they can hold chat and secrets). */
    captureContent: bool.default(false),
  }).prefault({}),
  model: z.strictObject({
    /**
     * `openai`: any OpenAI-compatible endpoint (`ollama` is the same); `livepeer`: the Livepeer
     * gateway the platform's slot configures (`livepeer.*`), no tool calling.
     */
    provider: z.preprocess(
      (v) => (typeof v === "string" ? v.trim().toLowerCase() : v),
      z.enum(["openai", "ollama", "livepeer"]),
    ).default("openai"),
    baseUrl: url.optional(),
    apiKey: z.string().optional(),
    name: z.string().default("gpt-4o-mini"),
    /** A second, cheaper model for sub-agents (code review, summaries); defaults to `name`. */
    subagentName: z.string().optional(),
    timeoutMs: positiveInt.default(120_000),
    maxRetries: z.coerce.number().int().min(0).default(3),
    /** `auto` detects endpoints without tool calling; `plain` takes code from fenced blocks. */
    toolCalls: z.enum(["auto", "native", "plain"]).default("auto"),
    /** Price per million tokens, for `:cost`; zero when unknown. */
    inputPricePerM: z.coerce.number().min(0).default(0),
    outputPricePerM: z.coerce.number().min(0).default(0),
  }).prefault({}),
  /** The Livepeer gateway (`model.provider` livepeer): `POST {gatewayUrl}/llm`, Bearer key. */
  livepeer: z.strictObject({
    gatewayUrl: url.optional(),
    /** Empty or unset: the old agent's default bearer token. */
    apiKey: z.string().optional(),
    model: z.string().min(1).default("meta-llama/Meta-Llama-3.1-8B-Instruct"),
    temperature: z.coerce.number().min(0).max(2).default(0.6),
    maxTokens: positiveInt.default(2048),
  }).prefault({}),
  database: z.strictObject({
    /** Real PostgreSQL when set; embedded PGlite under `dataDir` otherwise. */
    url: z.string().optional(),
    dataDir: z.string().default("./data"),
  }).prefault({}),
  embedding: z.strictObject({
    baseUrl: url.optional(),
    apiKey: z.string().optional(),
    model: z.string().optional(),
    dim: z.coerce.number().int().refine((d) => [384, 512, 768, 1024, 1536, 3072].includes(d), {
      message: "expected one of 384, 512, 768, 1024, 1536, 3072 (the platform's dim_<N> columns)",
    }).default(384),
  }).prefault({}),
  toolSearch: z.strictObject({
    /**
     * What `search_tools` fuses with keywords: `local` (a sentence encoder shipped in an npm
     * package, run in a worker), `words` (averaged word vectors: under a millisecond, less
     * recall), `endpoint` (the `embedding.*` endpoint) or `off`.
     */
    embedder: z.enum(["local", "words", "endpoint", "off"]).default("local"),
  }).prefault({}),
  vtuber: z.strictObject({
    /** Full URL including the path, e.g. http://neurosync:5001/process_text. */
    url: url.optional(),
    timeoutMs: positiveInt.default(120_000),
    /**
     * Manager-authority directives in a cycle that showed untrusted text: `untainted` (default)
     * sends them as suggestions; `always` lets viewer text reach manager authority.
     */
    managerDirectives: z.enum(["untainted", "always"]).default("untainted"),
  }).prefault({}),
  scb: z.strictObject({
    neurosyncUrl: url.default("http://neurosync:5000"),
    apiKey: z.string().optional(),
    useRedis: bool.default(false),
    redisUrl: z.string().optional(),
    logKey: z.string().min(1).default("scs:log"),
    summaryKey: z.string().min(1).default("scs:summary"),
    maxLines: positiveInt.default(1000),
  }).prefault({}),
  loop: z.strictObject({
    intervalMs: positiveInt.default(30_000),
    maxSteps: positiveInt.default(8),
    maxTokens: positiveInt.default(20_000),
    cycleTimeoutMs: positiveInt.default(60_000),
    /** How long a tool call that requires approval waits in the console before it is denied. */
    approvalTimeoutMs: positiveInt.default(50_000),
  }).prefault({}),
  kernel: z.strictObject({
    heapMb: positiveInt.default(512),
    rssMb: positiveInt.default(1024),
    cellTimeoutMs: positiveInt.default(60_000),
    /** Kernel inspector transport: `netns` (private network namespace), `pipe`, `auto`. */
    isolation: z.enum(["auto", "netns", "pipe", "loopback"]).default("auto"),
  }).prefault({}),
  paths: z.strictObject({
    sessions: z.string().default("./sessions"),
    learnedSkills: z.string().default("./learned_skills"),
    tools: z.string().default("./tools"),
    actors: z.string().default("./actors"),
    toolsConfig: z.string().optional(),
    /** A standalone `mcp.json`; default ./mcp.json, else ./.mcp.json, when present. */
    mcpConfig: z.string().optional(),
  }).prefault({}),
  evolution: z.strictObject({
    /** `manual` (default, safest): a person approves generated code in the REPL. */
    approval: z.enum(["auto", "review", "manual"]).default("manual"),
    maxRefinements: z.coerce.number().int().min(0).default(2),
  }).prefault({}),
  /** MCP servers whose tools join the registry (core/mcp/config.ts; also mcp.json). */
  mcpServers: McpServersSchema.default({}),
  /** External services of the VTuber tools (do_research, make_api_post). */
  integrations: z.strictObject({
    /** A SearXNG-compatible JSON search endpoint for do_research. */
    researchUrl: url.optional(),
    /** Comma-separated hosts make_api_post may post to (it still needs approval). */
    apiPostAllowedHosts: z.string().default(""),
  }).prefault({}),
});

/** The effective configuration. */
export type Config = z.infer<typeof ConfigSchema>;

/** Environment variables and the config key each one sets; later entries win. */
export const ENV_KEYS: ReadonlyArray<readonly [string, string]> = [
  ["AGENT_NAME", "agent.name"],
  ["AGENT_ID", "agent.id"],
  ["STANDALONE_MODE", "standalone"],
  ["PORT", "http.port"],
  ["HOST", "http.hostname"],
  ["API_TOKEN", "http.token"],
  ["API_ALLOWED_HOSTS", "http.allowedHosts"],
  ["HTTP_MAX_CONNECTIONS", "http.maxConnections"],
  ["HTTP_HEADER_TIMEOUT_MS", "http.headerTimeoutMs"],
  ["HTTP_IDLE_TIMEOUT_MS", "http.idleTimeoutMs"],
  ["LOG_LEVEL", "log.level"],
  ["LOG_FORMAT", "log.format"],
  ["OTEL_DENO", "telemetry.enabled"],
  ["OTEL_DENO_CONSOLE", "telemetry.console"],
  ["OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT", "telemetry.captureContent"],
  ["OLLAMA_HOST", "model.baseUrl"],
  ["OLLAMA_MODEL", "model.name"],
  ["OPENAI_BASE_URL", "model.baseUrl"],
  ["OPENAI_API_KEY", "model.apiKey"],
  ["OPENAI_MODEL", "model.name"],
  ["MODEL_NAME", "model.name"],
  ["SUBAGENT_MODEL", "model.subagentName"],
  ["MODEL_TIMEOUT_MS", "model.timeoutMs"],
  ["MODEL_TOOL_CALLS", "model.toolCalls"],
  ["MODEL_PROVIDER", "model.provider"],
  ["LIVEPEER_GATEWAY_URL", "livepeer.gatewayUrl"],
  ["LIVEPEER_API_KEY", "livepeer.apiKey"],
  ["LIVEPEER_MODEL", "livepeer.model"],
  ["LIVEPEER_LARGE_MODEL", "livepeer.model"],
  ["LIVEPEER_TEMPERATURE", "livepeer.temperature"],
  ["LIVEPEER_MAX_TOKENS", "livepeer.maxTokens"],
  ["POSTGRES_URL", "database.url"],
  ["DATABASE_URL", "database.url"],
  ["DATA_DIR", "database.dataDir"],
  ["EMBEDDING_BASE_URL", "embedding.baseUrl"],
  ["EMBEDDING_API_KEY", "embedding.apiKey"],
  ["EMBEDDING_MODEL", "embedding.model"],
  ["EMBEDDING_DIM", "embedding.dim"],
  ["TOOL_SEARCH_EMBEDDER", "toolSearch.embedder"],
  ["VTUBER_ENDPOINT", "vtuber.url"],
  ["VTUBER_ENDPOINT_URL", "vtuber.url"],
  ["MANAGER_DIRECTIVES", "vtuber.managerDirectives"],
  ["NEUROSYNC_URL", "scb.neurosyncUrl"],
  ["NEUROSYNC_API_KEY", "scb.apiKey"],
  ["USE_REDIS_SCB", "scb.useRedis"],
  ["REDIS_URL", "scb.redisUrl"],
  ["SCB_LOG_KEY", "scb.logKey"],
  ["SCB_SUMMARY_KEY", "scb.summaryKey"],
  ["SCB_MAX_LINES", "scb.maxLines"],
  ["LOOP_INTERVAL", "loop.intervalMs"],
  ["AUTONOMOUS_LOOP_INTERVAL", "loop.intervalMs"],
  ["TOOL_APPROVAL_TIMEOUT_MS", "loop.approvalTimeoutMs"],
  ["KERNEL_HEAP_MB", "kernel.heapMb"],
  ["KERNEL_RSS_MB", "kernel.rssMb"],
  ["KERNEL_CELL_TIMEOUT_MS", "kernel.cellTimeoutMs"],
  ["KERNEL_ISOLATION", "kernel.isolation"],
  ["APPROVAL_MODE", "evolution.approval"],
  ["RESEARCH_URL", "integrations.researchUrl"],
  ["API_POST_ALLOWED_HOSTS", "integrations.apiPostAllowedHosts"],
];

/** Every environment variable the config reads (the launcher grants `--allow-env` to these). */
export const CONFIG_ENV_NAMES: readonly string[] = [...new Set(ENV_KEYS.map(([name]) => name))];

/**
 * The config's variables from the process environment, one `Deno.env.get` each: under a
 * narrowed `--allow-env` (the launcher's) `Deno.env.toObject()` would be denied.
 */
export function configEnv(): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = {};
  for (const name of CONFIG_ENV_NAMES) {
    try {
      env[name] = Deno.env.get(name);
    } catch (e) {
      if (!(e instanceof Deno.errors.NotCapable)) throw e;
    }
  }
  return env;
}

/** Keys whose values are masked when the config is printed. */
const SECRET_KEYS = new Set([
  "model.apiKey",
  "embedding.apiKey",
  "scb.apiKey",
  "livepeer.apiKey",
  "http.token",
]);

/** Where to read configuration from. */
export interface ConfigSources {
  env?: Record<string, string | undefined>;
  /** Path to agent.yaml / agent.json; when absent, ./agent.yaml then ./agent.json if present. */
  file?: string | undefined;
}

/** Builds and validates the configuration; throws {@link ConfigError} naming the bad key. */
export function loadConfig(sources: ConfigSources = {}): Config {
  const env = sources.env ?? configEnv();
  const origin = new Map<string, string>();
  const raw: Record<string, unknown> = {};
  const file = sources.file ?? findDefaultFile();
  if (file) {
    const parsed = readConfigFile(file);
    Object.assign(raw, parsed);
    for (const path of leafPaths(parsed)) origin.set(path, `${file}`);
  }
  for (const [name, key] of ENV_KEYS) {
    let value = env[name];
    if (value === undefined || value === "") continue;
    if (name === "LOOP_INTERVAL") value = secondsToMs(name, value);
    if (name === "OLLAMA_HOST") value = ollamaBaseUrl(value);
    setPath(raw, key, value);
    origin.set(key, `env ${name}`);
  }
  // Ollama's preset needs no key, but the OpenAI client insists on one.
  if (env.OLLAMA_HOST && !env.OPENAI_API_KEY) setPath(raw, "model.apiKey", "ollama");
  const result = ConfigSchema.safeParse(raw);
  if (!result.success) throw new ConfigError(describeIssues(result.error, raw, origin));
  for (const key of SECRET_KEYS) {
    registerSecret(getPath(result.data as Record<string, unknown>, key) as string | undefined);
  }
  return result.data;
}

/** The config as printable JSON: secret keys masked, every other value through redact.ts. */
export function maskedConfig(config: Config): Record<string, unknown> {
  const copy = structuredClone(config) as Record<string, unknown>;
  for (const path of leafPaths(copy)) {
    const value = getPath(copy, path);
    if (typeof value !== "string") continue;
    const secret = SECRET_KEYS.has(path) || isMcpSecretPath(path);
    setPath(copy, path, secret ? (value ? MASK : value) : redactText(value));
  }
  return copy;
}

/** `mcpServers.<name>.env.<VAR>` and `.headers.<name>`: server secrets, masked when printed. */
function isMcpSecretPath(path: string): boolean {
  return /^mcpServers\..+\.(env|headers)\.[^.]+$/.test(path);
}

function findDefaultFile(): string | undefined {
  for (const name of ["agent.yaml", "agent.yml", "agent.json"]) {
    try {
      if (Deno.statSync(name).isFile) return name;
    } catch {
      // absent: fine
    }
  }
  return undefined;
}

function readConfigFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = Deno.readTextFileSync(path);
  } catch (e) {
    throw new ConfigError(`Cannot read config file "${path}": ${(e as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = path.endsWith(".json") ? JSON.parse(text) : parseYaml(text);
  } catch (e) {
    throw new ConfigError(`Cannot parse config file "${path}": ${(e as Error).message}`);
  }
  if (parsed === null || parsed === undefined) return {};
  if (typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new ConfigError(
      `Config file "${path}" must hold a mapping of keys, got ${typeof parsed}`,
    );
  }
  return parsed as Record<string, unknown>;
}

function secondsToMs(name: string, value: string): string {
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new ConfigError(
      `Invalid config: loop.intervalMs (from env ${name}=${JSON.stringify(value)}): ` +
        `expected a positive number of seconds`,
    );
  }
  return String(Math.round(seconds * 1000));
}

/**
 * `OLLAMA_HOST` as an OpenAI-compatible base URL. Plain http without a port keeps Ollama's port
 * 11434 (`gpu-box`, `http://gpu-box`); https without one is a TLS proxy on 443.
 */
export function ollamaBaseUrl(host: string): string {
  let base = (/^https?:\/\//.test(host) ? host : `http://${host}`).replace(/\/+$/, "");
  base = base.replace(/\/v1$/, "");
  const m = base.match(/^(http:\/\/)(\[[^\]]+\]|[^/:]+)(:\d+)?(.*)$/);
  if (m && !m[3]) base = `${m[1]}${m[2]}:11434${m[4]}`;
  return base + "/v1";
}

function describeIssues(
  error: z.ZodError,
  raw: Record<string, unknown>,
  origin: Map<string, string>,
): string {
  const lines = error.issues.map((issue) => {
    const path = issue.path.map(String).join(".");
    if (issue.code === "unrecognized_keys") {
      const where = path ? `${path}.` : "";
      const keys = issue.keys.map((k) => `"${where}${k}"`).join(", ");
      return `unknown key ${keys}${path ? "" : " at the top level"} (check the spelling)`;
    }
    const value = getPath(raw, path);
    const from = origin.get(path);
    // An MCP server entry holds its env and headers (tokens): name the key, never the value.
    if (path.startsWith("mcpServers")) {
      return `${path}${from ? ` (from ${from})` : ""}: ${issue.message}`;
    }
    const shown = SECRET_KEYS.has(path) ? "***" : JSON.stringify(value);
    return `${path}${from ? ` (from ${from})` : ""} = ${shown}: ${issue.message}`;
  });
  return `Invalid config:\n  ${lines.join("\n  ")}`;
}

function leafPaths(obj: Record<string, unknown>, prefix = ""): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(obj)) {
    const path = prefix ? `${prefix}.${k}` : k;
    if (v && typeof v === "object" && !Array.isArray(v)) {
      out.push(...leafPaths(v as Record<string, unknown>, path));
    } else out.push(path);
  }
  return out;
}

function getPath(obj: Record<string, unknown>, path: string): unknown {
  let cur: unknown = obj;
  for (const part of path.split(".")) {
    if (!cur || typeof cur !== "object") return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

function setPath(obj: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split(".");
  let cur = obj;
  for (const part of parts.slice(0, -1)) {
    const next = cur[part];
    if (!next || typeof next !== "object" || Array.isArray(next)) cur[part] = {};
    cur = cur[part] as Record<string, unknown>;
  }
  cur[parts[parts.length - 1]!] = value;
}
