/**
 * A fixed pool of Unix socket paths for the kernels' CDP relays. Deno grants Unix sockets by
 * exact path only (`--allow-net=unix:/p`; no directories, no wildcards: measured on 2.9.6), so
 * a supervisor with a narrowed `--allow-net` can open only sockets named in advance. The
 * launcher makes a private directory (0700), grants these names in it and passes the directory
 * in `AUTOLIZA_SOCKET_DIR`; core/inspector_channel.ts takes a free name from the pool.
 */

/** The environment variable naming the pool's directory. */
export const SOCKET_POOL_ENV = "AUTOLIZA_SOCKET_DIR";
/** Sockets live only until their relay connects, so a few names serve many kernels. */
export const SOCKET_POOL_SIZE = 32;

/** The pool's socket paths in `dir`. */
export function socketPoolPaths(dir: string): string[] {
  return Array.from({ length: SOCKET_POOL_SIZE }, (_, i) => `${dir}/cdp-${i}.sock`);
}

/** The pool's directory when the launcher made one, else undefined (tests, `deno run -A`). */
export function socketPoolDir(): string | undefined {
  try {
    return Deno.env.get(SOCKET_POOL_ENV) || undefined;
  } catch {
    return undefined; // no env permission: no pool
  }
}

/** Makes the pool's private directory, under `$XDG_RUNTIME_DIR` when set (per user), else the temp dir. */
export function makeSocketPool(env: Record<string, string | undefined>): string {
  const base = env.XDG_RUNTIME_DIR && isDir(env.XDG_RUNTIME_DIR) ? env.XDG_RUNTIME_DIR : undefined;
  const dir = Deno.makeTempDirSync({ prefix: "autoliza-", ...(base ? { dir: base } : {}) });
  Deno.chmodSync(dir, 0o700);
  return Deno.realPathSync(dir);
}

function isDir(p: string): boolean {
  try {
    return Deno.statSync(p).isDirectory;
  } catch {
    return false;
  }
}
