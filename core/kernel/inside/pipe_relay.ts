/**
 * The kernel's end of the `pipe` inspector transport (core/cdp_pipe.ts): a same-thread
 * `node:inspector` session, fed CDP requests from stdin frames, its replies and events written
 * to stdout as frames. No port is opened. Connecting needs `--allow-sys` (Deno has no narrower
 * grant for it), which is revoked before this function returns, so no cell ever holds it (and
 * no cell can open a session or an inspector server of its own).
 *
 * Limit of this transport: the session runs on the kernel's own thread, so a cell spinning in
 * synchronous code cannot be interrupted; the supervisor kills and restores the kernel instead.
 */
import inspector from "node:inspector";
import { readFrames } from "../../subprocess_stdio.ts";
import { FRAME_PREFIX } from "../../subprocess_stdio.ts";

type Request = { id?: unknown; method?: unknown; params?: unknown };

/** Starts the relay; resolves never (it serves until stdin ends, then the kernel exits). */
export function startPipeRelay(): void {
  const session = new inspector.Session();
  session.connect();
  Deno.permissions.revokeSync({ name: "sys" });
  if (Deno.permissions.querySync({ name: "sys" }).state === "granted") {
    throw new Error("pipe relay: --allow-sys could not be revoked");
  }
  // Taken now: a cell may replace globals later (it can only break its own kernel), and the
  // entry replaces Deno.exit for cells.
  const exit = Deno.exit;
  const stdout = Deno.stdout;
  const writeSync = stdout.writeSync.bind(stdout);
  const stringify = JSON.stringify;
  const encoder = new TextEncoder();
  const encode = encoder.encode.bind(encoder);
  const write = (message: unknown) => {
    const bytes = encode(FRAME_PREFIX + stringify(message) + "\n");
    for (let off = 0; off < bytes.length;) off += writeSync(bytes.subarray(off));
  };
  session.on("inspectorNotification", (m: { method: string; params?: unknown }) => {
    write({ method: m.method, params: m.params ?? {} });
  });
  const serve = (frame: unknown) => {
    const r = frame as Request;
    if (typeof r !== "object" || r === null || typeof r.id !== "number") return;
    const { id, method } = r;
    if (typeof method !== "string") return;
    // Terminating from this thread would stop the relay, not a cell (none runs while we do).
    if (method === "Runtime.terminateExecution") return write({ id, result: {} });
    try {
      session.post(method, (r.params ?? {}) as object, (err: Error | null, result?: unknown) => {
        if (err) write({ id, error: { code: -32000, message: err.message } });
        else write({ id, result: result ?? {} });
      });
    } catch (e) {
      write({ id, error: { code: -32000, message: (e as Error).message } });
    }
  };
  // The supervisor is gone when stdin ends: nothing can drive this kernel any more.
  const input = Deno.stdin.readable;
  void readFrames(serve, input, { maxLineBytes: 1 << 30 }).finally(() => exit(0));
  // Cells see a closed stdin, as under netns (there it is /dev/null).
  Object.defineProperty(Deno, "stdin", { value: closedStdin(), writable: false });
}

function closedStdin(): unknown {
  return {
    rid: -1,
    read: () => Promise.resolve(null),
    readSync: () => null,
    readable: new ReadableStream({ start: (c) => c.close() }),
    close() {},
    isTerminal: () => false,
    setRaw() {},
  };
}
