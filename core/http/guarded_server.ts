/**
 * The daemon's HTTP server, with the limits Deno.serve lacks. Measured on Deno 2.9.6: Deno.serve
 * has no request-head or idle timeout (a partial request is held forever), and when accept fails
 * with EMFILE its loop rejects and the process dies (issue 14.4: ~19,900 held-open partial requests).
 * So a TCP front (Deno.listen) accepts the connections and enforces:
 * - a connection cap: at the cap, the connection silent the longest that is not waiting for an
 *   answer (a partial request head, or an idle keep-alive) is closed to make room; when every
 *   connection is waiting for an answer, the newcomer gets a 503 and is closed;
 * - a request-head timeout (from the connection's start, or from the first byte of a later request
 *   on a kept-alive connection) and an idle timeout (no byte either way after an answer began);
 *   a request the server is still answering is never cut (a cycle may take its whole budget);
 * - accept errors are logged and retried with a backoff, never thrown.
 * Each accepted connection is piped to Deno.serve listening on a Unix socket in a 0700 directory
 * that only this process can reach; if that server's accept loop ever fails, it is started again.
 * What the handler cannot see: the client's address (it sees the Unix socket).
 */
import type { Logger } from "../log.ts";
import { RuntimeError } from "../errors.ts";
import { MAX_SOCKET_PATH } from "./api_socket.ts";

/** Limits and addresses of {@link serveGuarded}. */
export interface GuardedServerOptions {
  hostname: string;
  port: number;
  /** The private Unix socket's path (its directory is created with mode 0700). */
  socketPath: string;
  maxConnections: number;
  headerTimeoutMs: number;
  idleTimeoutMs: number;
  log: Logger;
  onListen?: (addr: Deno.NetAddr) => void;
}

/** A running server. */
export interface GuardedServer {
  addr: Deno.NetAddr;
  /** Client connections open now. */
  readonly connections: number;
  /** Stops accepting, gives requests in flight up to `graceMs`, then closes everything. */
  shutdown(graceMs?: number): Promise<void>;
}

type Phase = "head" | "waiting" | "idle";

interface Link {
  client: Deno.Conn;
  upstream?: Deno.Conn;
  phase: Phase;
  /** When the current request head began. */
  headSince: number;
  headBytes: number;
  /** How many bytes of CRLFCRLF the head ends with so far (0-3), across reads. */
  match: number;
  lastActivity: number;
  closed: boolean;
}

/** Longest request head accepted; hyper's own limit is larger, this one is checked first. */
const MAX_HEAD_BYTES = 64 * 1024;
const BUSY = new TextEncoder().encode(
  "HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\nretry-after: 1\r\n" +
    'connection: close\r\ncontent-length: 52\r\n\r\n{"error":"too many connections; try again shortly"}\n',
);

/** Starts the server; see the file doc. */
export function serveGuarded(o: GuardedServerOptions, handler: Deno.ServeHandler): GuardedServer {
  const socketPath = o.socketPath;
  if (socketPath.length > MAX_SOCKET_PATH) {
    throw new RuntimeError(
      "http_socket",
      `The HTTP socket path "${socketPath}" is longer than ${MAX_SOCKET_PATH} bytes: use a shorter DATA_DIR`,
    );
  }
  const socketDir = socketPath.slice(0, socketPath.lastIndexOf("/"));
  Deno.mkdirSync(socketDir, { recursive: true, mode: 0o700 });
  Deno.chmodSync(socketDir, 0o700);
  const links = new Set<Link>();
  let stopping = false;
  const listener = Deno.listen({ hostname: o.hostname, port: o.port });
  const addr = listener.addr as Deno.NetAddr;
  let upstream: Deno.HttpServer<Deno.UnixAddr> | undefined;
  // Connections accepted meanwhile wait for it (a few ms).
  const upstreamReady = clearStaleSocket(socketPath).then(() => {
    upstream = startUpstream();
  });
  upstreamReady.catch((e) => o.log.error("http_server_failed", { error: (e as Error).message }));
  o.onListen?.(addr);

  function startUpstream(): Deno.HttpServer<Deno.UnixAddr> {
    try {
      Deno.removeSync(socketPath);
    } catch {
      // absent (a restart after a failure removes its own file)
    }
    const server = Deno.serve({ path: socketPath, onListen: () => {} }, handler);
    Deno.chmodSync(socketPath, 0o600);
    server.finished.catch((e) => {
      if (stopping) return;
      o.log.error("http_server_restarting", { error: (e as Error).message });
      setTimeout(() => {
        if (!stopping) upstream = startUpstream();
      }, 500);
    });
    return server;
  }

  const accepting = (async () => {
    let backoff = 10;
    let failures = 0;
    for (;;) {
      let conn: Deno.Conn;
      try {
        conn = await listener.accept();
      } catch (e) {
        if (stopping || e instanceof Deno.errors.BadResource) return;
        if (failures++ % 100 === 0) {
          o.log.warn("http_accept_failed", { error: (e as Error).message, failures, backoff });
        }
        await sleep(backoff);
        backoff = Math.min(backoff * 2, 1000);
        continue;
      }
      backoff = 10;
      admit(conn);
    }
  })();

  function admit(client: Deno.Conn): void {
    if (links.size >= o.maxConnections && !evictOne()) {
      void writeAll(client, BUSY).catch(() => {}).finally(() => safeClose(client));
      return;
    }
    const now = Date.now();
    const link: Link = {
      client,
      phase: "head",
      headSince: now,
      headBytes: 0,
      match: 0,
      lastActivity: now,
      closed: false,
    };
    links.add(link);
    void pipe(link);
  }

  /** Closes the connection silent the longest among those not waiting for an answer. */
  function evictOne(): boolean {
    let victim: Link | undefined;
    for (const l of links) {
      if (l.phase === "waiting") continue;
      if (!victim || l.lastActivity < victim.lastActivity) victim = l;
    }
    if (victim) close(victim);
    return victim !== undefined;
  }

  async function pipe(link: Link): Promise<void> {
    try {
      await upstreamReady;
      link.upstream = await Deno.connect({ transport: "unix", path: socketPath });
    } catch {
      await writeAll(link.client, BUSY).catch(() => {});
      close(link);
      return;
    }
    if (link.closed) return close(link);
    const up = link.upstream;
    await Promise.all([
      copy(link.client, up, (chunk) => fromClient(link, chunk), () => up.closeWrite()),
      copy(up, link.client, () => fromServer(link), () => close(link)),
    ]).catch(() => {});
    close(link);
  }

  function fromClient(link: Link, chunk: Uint8Array): boolean {
    const now = Date.now();
    link.lastActivity = now;
    if (link.phase === "idle") {
      link.phase = "head";
      link.headSince = now;
      link.headBytes = 0;
      link.match = 0;
    }
    if (link.phase !== "head") return true;
    link.headBytes += chunk.length;
    if (endsHead(link, chunk)) link.phase = "waiting";
    else if (link.headBytes > MAX_HEAD_BYTES) return false;
    return true;
  }

  function fromServer(link: Link): boolean {
    link.lastActivity = Date.now();
    link.phase = "idle";
    return true;
  }

  function close(link: Link): void {
    if (link.closed && !links.has(link)) return;
    link.closed = true;
    links.delete(link);
    safeClose(link.client);
    if (link.upstream) safeClose(link.upstream);
  }

  const sweep = setInterval(() => {
    const now = Date.now();
    for (const l of links) {
      if (l.phase === "head" && now - l.headSince > o.headerTimeoutMs) close(l);
      else if (l.phase === "idle" && now - l.lastActivity > o.idleTimeoutMs) close(l);
    }
  }, Math.max(50, Math.min(1000, o.headerTimeoutMs / 4, o.idleTimeoutMs / 4)));
  Deno.unrefTimer(sweep);

  return {
    addr,
    get connections() {
      return links.size;
    },
    async shutdown(graceMs = 5_000) {
      stopping = true;
      safeClose(listener);
      await accepting;
      const deadline = Date.now() + graceMs;
      while ([...links].some((l) => l.phase === "waiting") && Date.now() < deadline) {
        await sleep(20);
      }
      clearInterval(sweep);
      for (const l of [...links]) close(l);
      await upstreamReady.catch(() => {});
      await upstream?.shutdown();
      try {
        Deno.removeSync(socketPath);
      } catch {
        // already gone
      }
    },
  };
}

const END_OF_HEAD = [13, 10, 13, 10];

/**
 * Removes a socket file no process serves on (left by a crash); throws when one does: two
 * daemons with the same DATA_DIR and PORT (only possible with PORT=0).
 */
async function clearStaleSocket(path: string): Promise<void> {
  try {
    Deno.statSync(path);
  } catch {
    return;
  }
  let live: Deno.Conn | undefined;
  try {
    live = await Deno.connect({ transport: "unix", path });
  } catch {
    Deno.removeSync(path);
    return;
  }
  live.close();
  throw new RuntimeError(
    "http_socket",
    `Another daemon serves on "${path}": give each daemon its own DATA_DIR or PORT`,
  );
}

/** True once CRLFCRLF has been seen in the head (the match state carries across reads). */
function endsHead(link: Link, chunk: Uint8Array): boolean {
  let m = link.match;
  for (const byte of chunk) {
    m = byte === END_OF_HEAD[m] ? m + 1 : byte === 13 ? 1 : 0;
    if (m === 4) return true;
  }
  link.match = m;
  return false;
}

async function copy(
  from: Deno.Conn,
  to: Deno.Conn,
  onChunk: (chunk: Uint8Array) => boolean,
  onEnd: () => void | Promise<void>,
): Promise<void> {
  const buf = new Uint8Array(16 * 1024);
  for (;;) {
    const n = await from.read(buf);
    if (n === null) {
      await onEnd();
      return;
    }
    const chunk = buf.subarray(0, n);
    if (!onChunk(chunk)) throw new Error("request head too large");
    await writeAll(to, chunk);
  }
}

async function writeAll(conn: Deno.Conn, bytes: Uint8Array): Promise<void> {
  let off = 0;
  while (off < bytes.length) off += await conn.write(bytes.subarray(off));
}

function safeClose(c: { close(): void }): void {
  try {
    c.close();
  } catch {
    // already closed
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
