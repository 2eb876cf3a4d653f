/**
 * Started by guarded_server_test.ts under a low `ulimit -n` with a connection cap above it, so
 * accept fails with EMFILE: serves "ok" through serveGuarded and prints its port on stdout.
 */
import { Logger } from "../../log.ts";
import { serveGuarded } from "../guarded_server.ts";

const socketDir = Deno.makeTempDirSync({ prefix: "low_fd_" });
serveGuarded({
  hostname: "127.0.0.1",
  port: 0,
  socketPath: `${socketDir}/http.sock`,
  maxConnections: 100_000,
  headerTimeoutMs: 600_000,
  idleTimeoutMs: 600_000,
  log: new Logger(),
  onListen: ({ port }) => console.log(port),
}, () => new Response("ok"));
