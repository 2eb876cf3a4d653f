/**
 * The child's end of the supervisor's CDP channel. A child started with `inspect` has its V8
 * inspector on 127.0.0.1 (inside a network namespace of its own when the host allows it), and
 * the supervisor never dials that port: importing this module first starts a relay Worker that
 * connects to the inspector and to the supervisor's one-shot Unix socket and copies bytes both
 * ways. Then the child's net permission is revoked before any other code runs, so neither the
 * child's code nor its own inspector port can reach anything. The relay runs on its own
 * thread, so `Runtime.terminateExecution` still reaches a main thread spinning in a loop.
 *
 * Without a `--cdp-relay=` argument (a child not started with `inspect`) this does nothing.
 */

const FLAG = "--cdp-relay=";

/** What the supervisor passes in `--cdp-relay=`: the inspector's port and the socket path. */
export interface RelayArgs {
  port: number;
  /** The supervisor's Unix socket (relative to the child's working directory, or absolute). */
  socket: string;
  /** Revoke read and write of `socket` once connected (they were granted for it alone). */
  revoke?: boolean;
}

/** The `--cdp-relay=` argument for a child. */
export function relayArg(args: RelayArgs): string {
  return FLAG + JSON.stringify(args);
}

/**
 * The relay's Worker body. It must be self-contained: it is sent as source text
 * (`toString()`), since the child may not read the project's files.
 */
function relayWorker(): void {
  const scope = self as unknown as {
    postMessage(m: { type: string; message?: string }): void;
    onmessage: ((e: MessageEvent<RelayArgs>) => void) | null;
  };
  const copy = async (from: Deno.Conn, to: Deno.Conn) => {
    const buf = new Uint8Array(65_536);
    for (;;) {
      const n = await from.read(buf);
      if (n === null) return;
      for (let off = 0; off < n;) off += await to.write(buf.subarray(off, n));
    }
  };
  scope.onmessage = async (e) => {
    let inspector: Deno.TcpConn, supervisor: Deno.Conn;
    try {
      inspector = await Deno.connect({ hostname: "127.0.0.1", port: e.data.port });
      inspector.setNoDelay(true);
      supervisor = await Deno.connect({ transport: "unix", path: e.data.socket });
    } catch (err) {
      scope.postMessage({ type: "failed", message: String(err) });
      return;
    }
    scope.postMessage({ type: "connected" });
    await Promise.race([copy(supervisor, inspector), copy(inspector, supervisor)]).catch(() => {});
    scope.postMessage({ type: "closed" });
  };
}

function parse(): RelayArgs | undefined {
  const arg = Deno.args.find((a) => a.startsWith(FLAG));
  if (!arg) return undefined;
  const v = JSON.parse(arg.slice(FLAG.length));
  if (!Number.isInteger(v?.port) || typeof v?.socket !== "string") {
    throw new TypeError(`bad ${FLAG} argument: ${arg}`);
  }
  return v;
}

async function start(args: RelayArgs): Promise<void> {
  const source = `(${relayWorker.toString()})();`;
  const worker = new Worker(`data:text/javascript,${encodeURIComponent(source)}`, {
    type: "module",
    name: "cdp-relay",
  });
  const connected = Promise.withResolvers<void>();
  worker.onmessage = (e: MessageEvent<{ type: string; message?: string }>) => {
    if (e.data.type === "connected") connected.resolve();
    else if (e.data.type === "failed") {
      connected.reject(new Error(`CDP relay: ${e.data.message}`));
    } // The supervisor is gone: nobody can drive or stop this process any more.
    else if (e.data.type === "closed") Deno.exit(0);
  };
  worker.postMessage(args);
  await connected.promise;
  // Open connections survive the revocation; new ones (from any code here) are refused.
  Deno.permissions.revokeSync({ name: "net" });
  if (args.revoke) {
    Deno.permissions.revokeSync({ name: "read", path: args.socket });
    Deno.permissions.revokeSync({ name: "write", path: args.socket });
  }
}

const args = parse();
/** Resolves once the relay is connected and net access is gone (at once without a relay). */
export const relayReady: Promise<void> = args ? start(args) : Promise.resolve();
