/**
 * Where the daemon's inner HTTP server listens: a Unix socket in `<DATA_DIR>/run` (mode 0700),
 * reached only through the TCP front (guarded_server.ts). Named after the TCP port, which only one
 * process can hold, so a stale file can be removed safely. Dependency-free so the permission
 * launcher can grant exactly this path (`--allow-net=unix:<path>`: Deno needs the exact path).
 */

/** Longest socket path accepted (a Unix socket address holds 108 bytes with the terminator). */
export const MAX_SOCKET_PATH = 100;

/**
 * The absolute socket path for `dataDir` and the configured `port`; with port 0 (a free port,
 * tests) the process id makes it unique.
 */
export function apiSocketPath(dataDir: string, port: number, pid = Deno.pid): string {
  const abs = dataDir.startsWith("/") ? dataDir : `${Deno.cwd()}/${dataDir}`;
  const dir = abs.replace(/\/(\.\/)+/g, "/").replace(/\/\.$/, "").replace(/\/+$/, "");
  return `${dir}/run/http-${port === 0 ? `0-${pid}` : port}.sock`;
}
