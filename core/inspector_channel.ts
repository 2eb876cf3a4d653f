/**
 * The supervisor's end of a child's CDP channel (see core/inspector_relay.ts for the child's).
 * Before the child starts: choose where its inspector listens (core/inspector_isolation.ts) and
 * open a Unix socket in the child's working directory (or the nearest ancestor, else a
 * temporary directory, where both ends' paths fit in a socket address). The child's relay
 * connects once; the socket is then closed and its file removed, so nothing else can ever
 * connect through it.
 */
import {
  type InspectorIsolation,
  type IsolationPlan,
  isolationPlan,
  NETNS_INSPECTOR_PORT,
} from "./inspector_isolation.ts";
import { relayArg } from "./inspector_relay.ts";

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
  readonly plan: IsolationPlan;
  /** The inspector's port (inside the child's namespace with `netns`). */
  readonly port: number;
  readonly #place: SocketPlace;
  readonly #listener: Deno.Listener;

  private constructor(
    plan: IsolationPlan,
    port: number,
    place: SocketPlace,
    listener: Deno.Listener,
  ) {
    this.plan = plan;
    this.port = port;
    this.#place = place;
    this.#listener = listener;
  }

  /** Prepares the channel for a child that will run in `cwd` (an absolute path). */
  static async open(cwd: string, choice: InspectorIsolation = "auto"): Promise<InspectorChannel> {
    const plan = await isolationPlan(choice);
    const port = plan.mode === "netns" ? NETNS_INSPECTOR_PORT : freeLoopbackPort();
    const name = `.cdp-${crypto.randomUUID().slice(0, 8)}.sock`;
    const errors: string[] = [];
    for (const place of socketPlaces(normalize(cwd), name)) {
      try {
        const listener = Deno.listen({ transport: "unix", path: place.self });
        return new InspectorChannel(plan, port, place, listener);
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

  /** The socket's absolute path (the child's permission flags name it). */
  get socketPath(): string {
    return this.#place.abs;
  }

  /** The `--inspect` flag for the child. */
  inspectFlag(): string {
    return `--inspect=127.0.0.1:${this.port}`;
  }

  /** The argument that tells the child's relay where to connect. */
  childArg(): string {
    const child = this.#place.child;
    // Outside the child's cwd the grant was made for the socket alone: it is taken back after.
    return relayArg({ port: this.port, socket: child, revoke: child.includes("/") });
  }

  /** Net entries the child needs until its relay has connected (then it revokes net). */
  netPermissions(): string[] {
    return [`127.0.0.1:${this.port}`, `unix:${this.#place.abs}`];
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
    const p = this.plan;
    return {
      socket: this.#place.abs,
      isolation: p.mode,
      port: this.port,
      ...(p.mode === "loopback" ? { reason: p.reason } : {}),
    };
  }
}

/** A port free on 127.0.0.1 right now (the child binds it a moment later). */
function freeLoopbackPort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

/** The child's cwd, then its ancestors, then a temporary directory: where both paths fit. */
function* socketPlaces(cwd: string, name: string): Generator<SocketPlace> {
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
