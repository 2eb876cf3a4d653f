/**
 * Where the daemon's inner HTTP server listens: a Unix socket in `<DATA_DIR>/run` (mode 0700),
 * reached only through the TCP front (guarded_server.ts), named after the configured port.
 * Dependency-free so the permission launcher can grant exactly this path
 * (`--allow-net=unix:<path>`: Deno needs the exact path).
 */

/** Longest socket path accepted (a Unix socket address holds 108 bytes with the terminator). */
export const MAX_SOCKET_PATH = 100;

/** The absolute socket path for `dataDir` (relative to `cwd`) and the configured `port`. */
export function apiSocketPath(dataDir: string, port: number, cwd = Deno.cwd()): string {
  const abs = dataDir.startsWith("/") ? dataDir : `${cwd.replace(/\/+$/, "")}/${dataDir}`;
  const parts: string[] = [];
  for (const part of abs.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") parts.pop();
    else parts.push(part);
  }
  return `/${parts.join("/")}/run/http-${port}.sock`;
}
