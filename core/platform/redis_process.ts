/**
 * A private redis-server for fault tests, on its own free port, so a test can stop and restart
 * Redis without disturbing anyone else using the shared one. Needs `redis-server` on PATH.
 */

/** A private Redis the test controls. */
export interface RedisProcess {
  url: string;
  port: number;
  /** Kills the server (nothing is persisted). */
  stop(): Promise<void>;
  /** Starts it again on the same port. */
  start(): Promise<void>;
}

/** Starts a redis-server on a free port and waits until it accepts connections. */
export async function startRedisProcess(): Promise<RedisProcess> {
  const probe = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (probe.addr as Deno.NetAddr).port;
  probe.close();
  let child: Deno.ChildProcess | undefined;
  const start = async () => {
    child = new Deno.Command("redis-server", {
      args: ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
      stdout: "null",
      stderr: "null",
    }).spawn();
    for (let i = 0; i < 100; i++) {
      try {
        (await Deno.connect({ hostname: "127.0.0.1", port })).close();
        return;
      } catch {
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    throw new Error(`redis-server did not listen on port ${port} within 5 s`);
  };
  const stop = async () => {
    if (!child) return;
    child.kill("SIGKILL");
    await child.status;
    child = undefined;
  };
  await start();
  return { url: `redis://127.0.0.1:${port}`, port, start, stop };
}
