/** Raw baseline: a bare worker that loads the same actor module (zod included), then echoes. */
import def from "./echo_actor.ts";
const scope = globalThis as unknown as {
  onmessage: (e: MessageEvent) => void;
  postMessage(m: unknown): void;
};
scope.onmessage = (e) => scope.postMessage(def.receive(e.data, undefined as never));
scope.postMessage("ready");
