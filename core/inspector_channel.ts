/**
 * The supervisor's end of the CDP channel to a child in a private network namespace (see
 * core/inspector_isolation.ts; the other end is core/inspector_relay.ts). Before the child
 * starts: open a Unix socket, owner-only, in the child's working directory (or the nearest
 * ancestor, else a temporary directory, where both ends' paths fit in a socket address). The
 * relay connects once; the socket is then closed and its file removed, so nothing else can
 * ever connect through it. Under the launcher the socket is a free name of its pool instead.
 */
import { type IsolationPlan, NETNS_INSPECTOR_PORT } from "./inspector_isolation.ts";
import { relayPrefix } from "./inspector_relay.ts";
import { socketPoolDir, socketPoolPaths } from "./launch/socket_pool.ts";

/** Longest Unix socket path Linux takes (sun_path is 108 bytes with the NUL). */
const MAX_SOCKET_PATH = 107;

/** One candidate location for the socket, with the path each end uses to reach it. */
interface SocketPlace {
  abs: string;
  /** For our own bind: `abs`, or relative to our cwd when that is shorter. */
  self: string;
  /** For the child: the bare name in its cwd, or a relative or absolute path elsewhere. */
  child: string;
  /** A temporary directory made for it, removed with the socket. */
  tempDir?: string;
}

/** One child's channel, from before its spawn until its relay has connected. */
export class InspectorChannel {
  readonly #plan: IsolationPlan & { mode: "netns" };
  readonly #place: SocketPlace;
  readonly #listener: Deno.Listener;

  private constructor(
    plan: IsolationPlan & { mode: "netns" },
    place: SocketPlace,
    listener: Deno.Listener,
  ) {
    this.#plan = plan;
    this.#place = place;
    this.#listener = listener;
  }

  /** Prepares the channel for a child that will run in `cwd` (an absolute path). */
  static open(cwd: string, plan: IsolationPlan & { mode: "netns" }): InspectorChannel {
    const name = `.cdp-${crypto.randomUUID().slice(0, 8)}.sock`;
    const errors: string[] = [];
    for (const place of socketPlaces(normalize(cwd), name)) {
      try {
        const listener = Deno.listen({ transport: "unix", path: place.self });
        try {
          Deno.chmodSync(place.abs, 0o600); // other users cannot connect to it at all
        } catch (e) {
          listener.close();
          throw e;
        }
        return new InspectorChannel(plan, place, listener);
      } catch (e) {
        errors.push(`${place.abs}: ${(e as Error).message}`);
        if (place.tempDir) Deno.remove(place.tempDir).catch(() => {});
      }
    }
    throw new Error(
      `no place for the inspector channel's Unix socket near ${cwd} (its path must be at most ` +
        `${MAX_SOCKET_PATH} characters, in a directory we may write): ` +
        (errors.join("; ") || "none fits"),
    );
  }

  /** The `--inspect` flag for the child: a fixed port, alone in its namespace. */
  inspectFlag(): string {
    return `--inspect=127.0.0.1:${NETNS_INSPECTOR_PORT}`;
  }

  /** What goes in front of `deno run ...`: the namespace, its loopback, the relay. */
  prefix(): string[] {
    return relayPrefix(this.#plan, NETNS_INSPECTOR_PORT, this.#place.child);
  }

  /** Waits for the relay's one connection (or `abort`), then closes the socket for good. */
  async accept(abort: Promise<never>, timeoutMs = 15_000): Promise<Deno.Conn> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`the child's CDP relay did not connect within ${timeoutMs} ms`)),
        timeoutMs,
      );
    });
    try {
      return await Promise.race([this.#listener.accept(), abort, timeout]);
    } finally {
      clearTimeout(timer);
      this.close();
    }
  }

  /** Closes the socket and removes its file (idempotent). */
  close(): void {
    try {
      this.#listener.close();
    } catch { /* already closed */ }
    try {
      Deno.removeSync(this.#place.abs);
    } catch { /* already gone */ }
    if (this.#place.tempDir) Deno.remove(this.#place.tempDir).catch(() => {});
  }

  /** For logs. */
  describe(): Record<string, unknown> {
    return { isolation: "netns", socket: this.#place.abs };
  }
}

/** The child's cwd, then its ancestors, then a temporary directory: where both paths fit. */
function* socketPlaces(cwd: string, name: string): Generator<SocketPlace> {
  const pool = socketPoolDir();
  if (pool) {
    // Under the launcher only the pool's names are granted (see core/launch/socket_pool.ts).
    for (const abs of socketPoolPaths(pool)) yield { abs, self: abs, child: abs };
    return;
  }
  let ours: string | undefined;
  try {
    ours = normalize(Deno.cwd());
  } catch { /* no read permission on our cwd: absolute paths only */ }
  const place = (dir: string, tempDir?: string): SocketPlace | undefined => {
    const abs = dir === "/" ? `/${name}` : `${dir}/${name}`;
    const self = shortest(abs, ours === undefined ? undefined : relative(ours, abs));
    const child = dir === cwd ? name : shortest(abs, relative(cwd, abs));
    if (self.length > MAX_SOCKET_PATH || child.length > MAX_SOCKET_PATH) return undefined;
    if (Deno.permissions.querySync({ name: "write", path: dir }).state !== "granted") {
      return undefined;
    }
    return tempDir ? { abs, self, child, tempDir } : { abs, self, child };
  };
  for (let dir = cwd;; dir = dir.slice(0, dir.lastIndexOf("/")) || "/") {
    const p = place(dir);
    if (p) yield p;
    if (dir === "/") break;
  }
  let temp: string;
  try {
    temp = normalize(Deno.makeTempDirSync({ prefix: "cdp-" }));
  } catch {
    return; // no write permission on the system's temporary directory
  }
  const p = place(temp, temp);
  if (p) yield p;
  else Deno.remove(temp).catch(() => {});
}

function shortest(a: string, b: string | undefined): string {
  return b !== undefined && b.length < a.length ? b : a;
}

/** `to` relative to the directory `from` (both absolute and normalised). */
function relative(from: string, to: string): string {
  const f = from.split("/").filter(Boolean);
  const t = to.split("/").filter(Boolean);
  let i = 0;
  while (i < f.length && i < t.length && f[i] === t[i]) i++;
  return [...Array(f.length - i).fill(".."), ...t.slice(i)].join("/");
}

function normalize(p: string): string {
  return p.replace(/\/+$/, "") || "/";
}
