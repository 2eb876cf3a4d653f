/**
 * Code mode over MCP's Streamable HTTP transport, for hosts that connect by URL: `POST/GET/
 * DELETE /mcp` on 127.0.0.1 only, each request carrying `Authorization: Bearer <token>`
 * (compared in constant time). `Host` must be the loopback address and a browser `Origin`
 * must be too (DNS rebinding). Each `initialize` opens a session with its own kernel (at most
 * `maxSessions`); a session ends on `DELETE`, or after `idleMs` without a request.
 */
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import { isInitializeRequest } from "@modelcontextprotocol/sdk/types.js";
import type { Logger } from "../../log.ts";
import type { CodeModeSession } from "./code_mode_session.ts";

/** Wiring of {@link serveMcpHttp}. */
export interface HttpServeOptions {
  /** 0 picks a free port. */
  port: number;
  token: string;
  newSession(id: string): CodeModeSession;
  log: Logger;
  maxSessions?: number;
  idleMs?: number;
}

/** A running server. */
export interface McpHttpServer {
  url: string;
  sessions(): number;
  close(): Promise<void>;
}

interface Open {
  transport: WebStandardStreamableHTTPServerTransport;
  session: CodeModeSession;
  timer?: ReturnType<typeof setTimeout>;
}

/** Starts the server; see the file doc. */
export function serveMcpHttp(o: HttpServeOptions): Promise<McpHttpServer> {
  const open = new Map<string, Open>();
  const idleMs = o.idleMs ?? 30 * 60_000;
  const end = async (id: string) => {
    const s = open.get(id);
    if (!s) return;
    open.delete(id);
    clearTimeout(s.timer);
    await s.transport.close().catch(() => {});
    await s.session.close().catch(() => {});
    o.log.info("mcp_serve_session_closed", { session: id });
  };
  const touch = (id: string) => {
    const s = open.get(id);
    if (!s) return;
    clearTimeout(s.timer);
    s.timer = setTimeout(() => void end(id), idleMs);
    Deno.unrefTimer(s.timer as unknown as number);
  };
  let hosts: string[] = [];
  const handler = async (req: Request): Promise<Response> => {
    const url = new URL(req.url);
    if (url.pathname !== "/mcp") return jsonError(404, "not found: the MCP endpoint is /mcp");
    const host = req.headers.get("host") ?? "";
    const origin = req.headers.get("origin");
    if (!hosts.includes(host) || (origin && !hosts.some((h) => origin === `http://${h}`))) {
      return jsonError(403, "this server answers loopback requests only");
    }
    if (!authorized(req.headers.get("authorization"), o.token)) {
      return jsonError(401, "missing or wrong bearer token", { "WWW-Authenticate": "Bearer" });
    }
    const id = req.headers.get("mcp-session-id");
    if (id) {
      const s = open.get(id);
      if (!s) return jsonError(404, "unknown or expired MCP session: initialize again");
      touch(id);
      return await s.transport.handleRequest(req);
    }
    if (req.method !== "POST") return jsonError(400, "no MCP session: send initialize first");
    let body: unknown;
    try {
      body = await req.json();
    } catch {
      return jsonError(400, "the body is not JSON");
    }
    if (!isInitializeRequest(body)) return jsonError(400, "no MCP session: send initialize first");
    if (open.size >= (o.maxSessions ?? 8)) {
      return jsonError(503, `too many open sessions (${open.size}); close one first`);
    }
    const sessionId = crypto.randomUUID();
    const session = o.newSession(sessionId);
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: () => sessionId,
      onsessioninitialized: (sid: string) => {
        open.set(sid, { transport, session });
        touch(sid);
        o.log.info("mcp_serve_session_opened", { session: sid });
      },
      onsessionclosed: (sid: string) => void end(sid),
    });
    await session.server.connect(transport);
    return await transport.handleRequest(req, { parsedBody: body });
  };
  return new Promise((resolve) => {
    const server = Deno.serve({
      hostname: "127.0.0.1",
      port: o.port,
      onListen: ({ port }) => {
        hosts = [`127.0.0.1:${port}`, `localhost:${port}`];
        resolve({
          url: `http://127.0.0.1:${port}/mcp`,
          sessions: () => open.size,
          async close() {
            await Promise.all([...open.keys()].map(end));
            await server.shutdown();
          },
        });
      },
    }, handler);
  });
}

function authorized(header: string | null, token: string): boolean {
  const given = new TextEncoder().encode(header ?? "");
  const want = new TextEncoder().encode(`Bearer ${token}`);
  let diff = given.length ^ want.length;
  for (let i = 0; i < want.length; i++) diff |= (given[i] ?? 0) ^ want[i]!;
  return diff === 0;
}

function jsonError(status: number, message: string, headers: Record<string, string> = {}) {
  return Response.json({ jsonrpc: "2.0", error: { code: -32000, message }, id: null }, {
    status,
    headers,
  });
}
