/**
 * The HTTP front's limits (issue 14.4): partial and idle connections past a low cap do not starve
 * the daemon, slow heads and idle keep-alives are closed, answers in progress are never cut, and
 * accept errors (EMFILE under a low fd limit) do not end the process.
 */
import assert from "node:assert/strict";
import { memoryLogger } from "../log.ts";
import { type GuardedServer, serveGuarded } from "./guarded_server.ts";
import { loadConfig } from "../config.ts";
import { startDaemon } from "../daemon.ts";
import { apiSocketPath } from "./api_socket.ts";

const PARTIAL = new TextEncoder().encode("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n");

async function withServer(
  limits: { maxConnections?: number; headerTimeoutMs?: number; idleTimeoutMs?: number },
  handler: Deno.ServeHandler,
  body: (server: GuardedServer, port: number) => Promise<void>,
): Promise<void> {
  const socketDir = await Deno.makeTempDir({ prefix: "guarded_" });
  const server = serveGuarded({
    hostname: "127.0.0.1",
    port: 0,
    socketPath: `${socketDir}/http.sock`,
    maxConnections: limits.maxConnections ?? 64,
    headerTimeoutMs: limits.headerTimeoutMs ?? 60_000,
    idleTimeoutMs: limits.idleTimeoutMs ?? 60_000,
    log: memoryLogger().logger,
  }, handler);
  try {
    await body(server, server.addr.port);
  } finally {
    await server.shutdown(100);
    await Deno.remove(socketDir, { recursive: true });
  }
}

async function partials(port: number, n: number): Promise<Deno.Conn[]> {
  const conns: Deno.Conn[] = [];
  for (let i = 0; i < n; i++) {
    const c = await Deno.connect({ hostname: "127.0.0.1", port });
    await c.write(PARTIAL);
    conns.push(c);
  }
  return conns;
}

/** Resolves when the server has closed `conn` (a read returns EOF); fails after 30 s. */
async function closedByServer(conn: Deno.Conn): Promise<void> {
  const buf = new Uint8Array(1024);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error("the server kept the connection for 30 s")), 30_000);
  });
  try {
    while ((await Promise.race([conn.read(buf).catch(() => null), late])) !== null) {
      // drain whatever the server answered first
    }
  } finally {
    clearTimeout(timer);
  }
}

function closeAll(conns: Deno.Conn[]): void {
  for (const c of conns) {
    try {
      c.close();
    } catch {
      // already closed
    }
  }
}

Deno.test("200 partial requests past a cap of 16 leave the server answering", async () => {
  await withServer({ maxConnections: 16 }, () => new Response("ok"), async (server, port) => {
    const conns = await partials(port, 200);
    try {
      assert.ok(server.connections <= 16, `${server.connections} open`);
      const res = await fetch(`http://127.0.0.1:${port}/health`);
      assert.equal(await res.text(), "ok");
      // The oldest partial requests were closed to make room.
      await closedByServer(conns[0]!);
    } finally {
      closeAll(conns);
    }
  });
});

Deno.test("a request head that never completes is cut after the header timeout", async () => {
  await withServer({ headerTimeoutMs: 300 }, () => new Response("ok"), async (_server, port) => {
    const [conn] = await partials(port, 1);
    await closedByServer(conn!);
    closeAll([conn!]);
  });
});

Deno.test("an idle keep-alive is closed; a slow answer and a stream are never cut", async () => {
  const handler = async (req: Request) => {
    const path = new URL(req.url).pathname;
    if (path === "/slow") {
      await new Promise((r) => setTimeout(r, 900));
      return new Response("slow done");
    }
    if (path === "/stream") {
      let n = 0;
      const body = new ReadableStream<Uint8Array>({
        async pull(c) {
          await new Promise((r) => setTimeout(r, 100));
          c.enqueue(new TextEncoder().encode(`tick ${n}\n`));
          if (++n === 10) c.close();
        },
      });
      return new Response(body);
    }
    return new Response("ok");
  };
  await withServer({ idleTimeoutMs: 300, headerTimeoutMs: 300 }, handler, async (_s, port) => {
    const base = `http://127.0.0.1:${port}`;
    assert.equal(await (await fetch(`${base}/slow`)).text(), "slow done");
    assert.equal((await (await fetch(`${base}/stream`)).text()).split("\n").length, 11);
    const conn = await Deno.connect({ hostname: "127.0.0.1", port });
    await conn.write(new TextEncoder().encode("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
    // Reads the answer, then waits: the idle keep-alive is closed by the server.
    await closedByServer(conn);
    closeAll([conn]);
  });
});

Deno.test("accept failing with EMFILE does not end the process, and it serves again", async () => {
  const script = new URL("./testdata/low_fd_server.ts", import.meta.url).pathname;
  const child = new Deno.Command("sh", {
    args: ["-c", `ulimit -n 64 && exec "$0" run -A "$1"`, Deno.execPath(), script],
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const out = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  const port = Number((await out.read()).value?.trim());
  let exited = false;
  const status = child.status.then((s) => (exited = true, s));
  const conns: Deno.Conn[] = [];
  try {
    // More than the fd limit: the server's accept fails with EMFILE for the later ones.
    for (let i = 0; i < 120; i++) {
      const c = await Deno.connect({ hostname: "127.0.0.1", port });
      await c.write(PARTIAL).catch(() => 0);
      conns.push(c);
    }
    closeAll(conns);
    // After the partial connections are gone, the same process answers again.
    let answer = "";
    for (let i = 0; i < 100 && answer !== "ok"; i++) {
      answer = await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(5_000) })
        .then((r) => r.text()).catch(() => "");
      if (answer !== "ok") await new Promise((r) => setTimeout(r, 200));
    }
    assert.equal(answer, "ok");
    assert.equal(exited, false, "the server process must not have exited");
  } finally {
    closeAll(conns);
    child.kill("SIGKILL");
    await status;
    await out.cancel();
  }
  const stderr = await new Response(child.stderr).text();
  assert.match(stderr, /"event":"http_accept_failed".*Too many open files/);
});

Deno.test("the daemon with HTTP_MAX_CONNECTIONS=16 answers after 100 partial requests", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "guarded_daemon_" });
  const config = loadConfig({
    env: { PORT: "0", DATA_DIR: dataDir, HTTP_MAX_CONNECTIONS: "16" },
    file: "/dev/null",
  });
  config.paths.sessions = `${dataDir}/sessions`;
  const daemon = startDaemon(config, memoryLogger().logger);
  const conns = await partials(daemon.port, 100);
  try {
    await daemon.ready;
    const base = `http://127.0.0.1:${daemon.port}`;
    assert.deepEqual(await (await fetch(`${base}/health`)).json(), { status: "ok" });
    assert.equal((await (await fetch(`${base}/api/status`)).json()).status, "ok");
  } finally {
    closeAll(conns);
    await daemon.shutdown("test");
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("the inner socket is named after the port, under DATA_DIR/run", () => {
  assert.equal(apiSocketPath("/srv/data/", 8000), "/srv/data/run/http-8000.sock");
  assert.equal(apiSocketPath("./data", 3000, "/app"), "/app/data/run/http-3000.sock");
  assert.equal(apiSocketPath("../d", 0, "/app/x"), "/app/d/run/http-0.sock");
});
