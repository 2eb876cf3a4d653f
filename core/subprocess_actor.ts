/**
 * The "subprocess" isolation kind: an actor file run in its own `deno run` process through
 * SubprocessHost (explicit permission flags, --no-prompt, --cached-only, heap cap, RSS
 * watchdog). Used for code that must be stoppable: a Worker spinning in synchronous code or
 * running out of heap cannot be stopped and takes the whole process down; a process can.
 */
import type { ActorPermissions } from "./actor.ts";
import type { IsolateFactory } from "./actor_system.ts";
import type { Isolate, IsolateEvents } from "./isolate.ts";
import type { Logger } from "./log.ts";
import type { ToActor } from "./protocol.ts";
import { type ExitInfo, SubprocessHost } from "./subprocess_host.ts";

const ENTRY = new URL("./subprocess_actor_entry.ts", import.meta.url).href;
const PROJECT_CONFIG = new URL("../deno.json", import.meta.url).pathname;

/** Limits for subprocess actors. */
export interface SubprocessLimits {
  heapMb?: number;
  rssMb?: number;
  log: Logger;
}

let entryDir: string | undefined;
const entries = new Map<string, string>();

/**
 * A tiny main module that statically imports the actor file, so the child loads it without
 * needing read permission on the project (dynamic imports of computed paths would).
 */
function entryFor(actorUrl: string): string {
  let path = entries.get(actorUrl);
  if (path) return path;
  entryDir ??= Deno.makeTempDirSync({ prefix: "actor-entries-" });
  path = `${entryDir}/entry-${entries.size}.ts`;
  Deno.writeTextFileSync(
    path,
    `import def from ${JSON.stringify(actorUrl)};\n` +
      `import { serveStdio } from ${JSON.stringify(ENTRY)};\nserveStdio(def);\n`,
  );
  entries.set(actorUrl, path);
  return path;
}

/** An {@link IsolateFactory} for `registerIsolation("subprocess", ...)`. */
export function subprocessIsolation(limits: SubprocessLimits): IsolateFactory {
  return (actorUrl, name, permissions, events) =>
    spawnSubprocess(actorUrl, name, permissions, events, limits);
}

function spawnSubprocess(
  actorUrl: string,
  name: string,
  permissions: ActorPermissions,
  events: IsolateEvents,
  limits: SubprocessLimits,
): Isolate {
  let terminated = false;
  const queue: ToActor[] = [];
  let started = false;
  const host = new SubprocessHost({
    name,
    entry: entryFor(actorUrl),
    permissions,
    config: PROJECT_CONFIG,
    ...(limits.heapMb ? { heapMb: limits.heapMb } : {}),
    ...(limits.rssMb ? { rssMb: limits.rssMb } : {}),
    log: limits.log,
    onFrame: (frame) => events.onMessage(frame),
    onOutput: (stream, text) => limits.log.child(name).info("actor_output", { stream, text }),
    onExit: (info: ExitInfo) => {
      if (!terminated) events.onCrash(describeExit(info));
    },
  });
  host.start().then(() => {
    started = true;
    for (const msg of queue.splice(0)) host.send(msg);
  }).catch((e) => {
    if (!terminated) events.onCrash(`cannot start process: ${(e as Error).message}`);
  });
  return {
    post(msg) {
      JSON.stringify(msg); // throws here, like postMessage, for values that cannot travel
      if (started) host.send(msg);
      else queue.push(msg);
    },
    async terminate() {
      terminated = true;
      if (host.running) await host.kill("terminated");
    },
  };
}

function describeExit(info: ExitInfo): string {
  switch (info.reason) {
    case "rss_limit":
      return "killed by the RSS watchdog (memory limit exceeded)";
    case "heap_oom":
      return "out of heap (V8 heap limit reached)";
    default:
      return `process ${info.reason} (code ${info.code}, signal ${info.signal})`;
  }
}
