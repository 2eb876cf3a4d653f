/**
 * Starts a permission-restricted Web Worker for an actor. The worker's entry is a generated
 * module that statically imports the actor file (trusted code, loaded with the supervisor's
 * read access) and core/worker_entry.ts; everything the actor does at run time is held to the
 * permissions its file declares, deny by default (`--unstable-worker-options`).
 */
import { resolve } from "node:path";
import type { ActorPermissions } from "./actor.ts";
import type { Isolate, IsolateEvents } from "./isolate.ts";
import type { ToActor } from "./protocol.ts";

const ENTRY = new URL("./worker_entry.ts", import.meta.url).href;
const KEYS = ["read", "write", "net", "env", "sys", "run", "ffi", "import"] as const;

/** Deno's worker permission object with every key explicit: omitted means denied. */
export function workerPermissions(p: ActorPermissions = {}): Record<string, boolean | string[]> {
  const out: Record<string, boolean | string[]> = {};
  for (const key of KEYS) {
    const value = p[key];
    if (value === undefined || value === false) out[key] = false;
    else if (value === true) out[key] = true;
    else if (key === "read" || key === "write" || key === "ffi") {
      out[key] = value.map((path) => resolve(path));
    } else out[key] = [...value];
  }
  return out;
}

/** Spawns the actor at `actorUrl` in a Worker named `name`. */
export function spawnWorker(
  actorUrl: string,
  name: string,
  permissions: ActorPermissions,
  events: IsolateEvents,
): Isolate {
  const source = `import def from ${JSON.stringify(actorUrl)};\n` +
    `import { serveWorker } from ${JSON.stringify(ENTRY)};\nserveWorker(def);\n`;
  const url = URL.createObjectURL(new Blob([source], { type: "application/typescript" }));
  const worker = new Worker(url, {
    type: "module",
    name: `actor:${name}`,
    // deno-lint-ignore no-explicit-any -- `deno.permissions` is unstable and not in the types
    deno: { permissions: workerPermissions(permissions) } as any,
  });
  let dead = false;
  worker.onmessage = (e) => events.onMessage(e.data);
  worker.onmessageerror = () => events.onMessage({ type: "undeserialisable" });
  worker.onerror = (e) => {
    // Without preventDefault an uncaught worker error propagates and kills the supervisor.
    e.preventDefault();
    if (dead) return;
    dead = true;
    URL.revokeObjectURL(url);
    events.onCrash(e.message || "uncaught error in worker");
  };
  return {
    post(msg: ToActor) {
      worker.postMessage(msg);
    },
    terminate() {
      dead = true;
      worker.terminate();
      URL.revokeObjectURL(url);
      return Promise.resolve();
    },
  };
}
