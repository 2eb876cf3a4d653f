/** Child side of a subprocess actor: serves the actor definition over stdin/stdout frames. */
import type { ActorDefinition } from "./actor.ts";
import { serveActor } from "./actor_loop.ts";
import { readFrames, writeFrame } from "./subprocess_stdio.ts";

/** Serves `def` until stdin closes or the supervisor says stop. */
export function serveStdio<M, C>(def: ActorDefinition<M, C>): void {
  serveActor(def, {
    post: (msg) => writeFrame(msg),
    onMessage: (handler) => void readFrames(handler).then(() => Deno.exit(0)),
    close: () => Deno.exit(0),
  });
}
