/**
 * Worker side of a worker actor: adapts the Worker's global scope to an {@link ActorPort}.
 * The host generates a tiny entry module that statically imports the actor file and this one.
 */
import type { ActorDefinition } from "./actor.ts";
import { type ActorPort, serveActor } from "./actor_loop.ts";

/** Serves `def` over the worker's own postMessage channel. */
export function serveWorker<M, C>(def: ActorDefinition<M, C>): void {
  const scope = globalThis as unknown as {
    postMessage(msg: unknown): void;
    onmessage: ((e: MessageEvent) => void) | null;
    close(): void;
  };
  const port: ActorPort = {
    post: (msg) => scope.postMessage(msg),
    onMessage: (handler) => {
      scope.onmessage = (e) => handler(e.data);
    },
    close: () => scope.close(),
  };
  serveActor(def, port);
}
