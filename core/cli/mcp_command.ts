/**
 * `cli mcp`: `list` starts the configured MCP servers (agent.yaml `mcpServers`, mcp.json) and
 * shows each one's state and tools as the model will see them; `serve` offers code mode to
 * another MCP host, over stdio or (`--http`) Streamable HTTP on 127.0.0.1 with a bearer token.
 */
import { loadConfig } from "../config.ts";
import { Logger } from "../log.ts";
import { openRegistryWithMcp } from "../mcp/open_registry.ts";
import { serveCodeMode } from "../mcp/serve/serve_code_mode.ts";
import { intFlag, parseArgs } from "./args.ts";
import { type Command, UsageError } from "./command.ts";

const USAGE = [
  "deno task cli mcp list [--json] [--file agent.yaml]",
  "       deno task cli mcp serve [--http [--port 8765]] [--file agent.yaml]",
  "  serve --http reads its token from AUTOLIZA_MCP_TOKEN, or makes one and prints it",
].join("\n");

/** The `mcp` subcommand. */
export const mcpCommand: Command = {
  name: "mcp",
  summary: "list the configured MCP servers and their tools; serve code mode as an MCP server",
  usage: USAGE,
  async run(args) {
    const { values, positionals } = parseArgs(args, {
      json: { type: "boolean" },
      file: { type: "string" },
      http: { type: "boolean" },
      port: { type: "string" },
    });
    const [action, ...rest] = positionals;
    if (rest.length) throw new UsageError(`mcp: unexpected argument "${rest[0]}"`);
    const config = loadConfig({ file: values.file as string | undefined });
    // stdout carries the stdio transport's messages: every log line goes to stderr.
    const log = new Logger({
      level: config.log.level === "debug" ? "debug" : "warn",
      format: "pretty",
    });
    if (action === "list") return await list(config, values.json === true, log);
    if (action !== "serve") {
      throw new UsageError(action ? `unknown mcp action "${action}"` : "missing mcp action");
    }
    const stop = new Promise<void>((resolve) => {
      for (const s of ["SIGINT", "SIGTERM"] as const) Deno.addSignalListener(s, () => resolve());
    });
    const given = Deno.env.get("AUTOLIZA_MCP_TOKEN");
    const token = given || [...crypto.getRandomValues(new Uint8Array(24))]
      .map((b) => b.toString(16).padStart(2, "0")).join("");
    await serveCodeMode(config, {
      ...(values.http
        ? { http: { port: intFlag(values, "port", 8765), token, tokenGenerated: !given } }
        : {}),
      log,
      announce: (line) => console.error(line),
      stop,
    });
    return 0;
  },
};

async function list(config: ReturnType<typeof loadConfig>, json: boolean, log: Logger) {
  const { registry, mcp } = await openRegistryWithMcp(config, { log });
  try {
    await mcp.startAll();
    const rows = mcp.status().map((s) => ({
      ...s,
      names: registry.list().filter((t) => t.source === `mcp:${s.name}`).map((t) => ({
        name: t.name,
        requiresApproval: t.requiresApproval,
      })),
    }));
    if (json) {
      console.log(JSON.stringify({ servers: rows }));
    } else if (rows.length === 0) {
      console.log("No MCP servers configured (mcpServers in agent.yaml, or mcp.json).");
    }
    for (const r of json ? [] : rows) {
      console.log(
        `${r.name} (${r.transport}, ${r.startup}): ${r.state}, ${r.tools} tools` +
          (r.error ? `\n  ${r.error}` : ""),
      );
      for (const t of r.names) {
        console.log(`  ${t.name}${t.requiresApproval ? "  (asks first)" : ""}`);
      }
    }
    return rows.every((r) => r.state === "ready") ? 0 : 1;
  } finally {
    await mcp.close();
    registry.close();
  }
}
