/**
 * `deno task cli mcp serve`: the registry (tools/, tools.yaml, the configured MCP servers and the
 * learned functions) and a sandboxed kernel per MCP session, served over stdio (one session,
 * ended when the host closes stdin) or Streamable HTTP on 127.0.0.1 with a bearer token
 * (`--http`). Kernels live under `<sessions>/mcp-<time>/<session>/` and load the learned
 * functions as every real kernel does (core/evolution/learned_loader.ts).
 */
import { realKernelFactory } from "../../agent/real_kernel.ts";
import type { Config } from "../../config.ts";
import { learnedFunctionSpecs } from "../../evolution/learned_index.ts";
import type { Logger } from "../../log.ts";
import { toolSemanticOptions } from "../../tools/tool_embedder.ts";
import { defaultToolsConfigPath, loadToolsConfig } from "../../tools/tools_config.ts";
import { openRegistryWithMcp } from "../open_registry.ts";
import { CodeModeSession } from "./code_mode_session.ts";
import { serveMcpHttp } from "./http_server.ts";
import { StdioServerTransport } from "./stdio_server_transport.ts";

/** How to serve. */
export interface ServeOptions {
  http?: { port: number; token: string; tokenGenerated: boolean };
  log: Logger;
  /** Where the HTTP server's address goes (stderr); stdout belongs to the stdio transport. */
  announce: (line: string) => void;
  /** Resolves when the server should stop (a signal); stdio also stops at the end of stdin. */
  stop: Promise<void>;
}

/** Serves until `stop` (or the end of stdin); returns when everything is closed. */
export async function serveCodeMode(config: Config, o: ServeOptions): Promise<void> {
  const sessions = new Map<string, CodeModeSession>();
  const toolsFile = config.paths.toolsConfig ?? defaultToolsConfigPath();
  const toolsConfig = toolsFile ? await loadToolsConfig(toolsFile, true) : undefined;
  const { registry, mcp } = await openRegistryWithMcp(config, {
    dir: config.paths.tools,
    log: o.log,
    semantic: toolSemanticOptions(config),
    ...(toolsConfig ? { config: toolsConfig } : {}),
    ...(toolsFile ? { configPath: toolsFile } : {}),
    approver: (req) => sessions.get(req.sessionId ?? "")?.approve(req) ?? false,
  });
  const learned = config.paths.learnedSkills;
  try {
    registry.addCatalog(await learnedFunctionSpecs(learned));
  } catch (e) {
    o.log.warn("learned_functions_not_indexed", { error: (e as Error).message });
  }
  const root = `${config.paths.sessions}/mcp-${new Date().toISOString().replace(/[:.]/g, "-")}`;
  const newSession = (id: string) => {
    const session = new CodeModeSession({
      registry,
      sessionId: id,
      cellTimeoutMs: config.kernel.cellTimeoutMs,
      log: o.log,
      kernelFactory: realKernelFactory({
        sessionId: id,
        rootDir: `${root}/${id.slice(0, 8)}`,
        log: o.log,
        learnedSkillsDir: learned,
        heapMb: config.kernel.heapMb,
        rssMb: config.kernel.rssMb,
        cellTimeoutMs: config.kernel.cellTimeoutMs,
      }, "workspace-"),
    });
    sessions.set(id, session);
    return session;
  };
  try {
    if (o.http) {
      const server = await serveMcpHttp({ ...o.http, log: o.log, newSession });
      o.announce(
        `MCP code mode on ${server.url} (Authorization: Bearer ${
          o.http.tokenGenerated ? o.http.token : "<AUTOLIZA_MCP_TOKEN>"
        })`,
      );
      await o.stop;
      await server.close();
    } else {
      const session = newSession("stdio");
      const transport = new StdioServerTransport();
      const ended = new Promise<void>((r) => transport.onclose = r);
      await session.server.connect(transport);
      await Promise.race([ended, o.stop]);
      await session.server.close().catch(() => {});
      await session.close();
    }
  } finally {
    await Promise.all([...sessions.values()].map((s) => s.close().catch(() => {})));
    await mcp.close();
    registry.close();
  }
}
