/**
 * What the actor system needs from an isolation mechanism: post a message in, hear messages
 * and crashes out, and stop it hard. Implemented by worker_host.ts (Web Workers) and
 * subprocess_actor.ts (a `deno run` child).
 */
import type { ToActor } from "./protocol.ts";

/** A running isolate holding one actor. */
export interface Isolate {
  /** Delivers an envelope; throws synchronously if it cannot be serialised. */
  post(msg: ToActor): void;
  /** Hard stop; safe to call twice. */
  terminate(): Promise<void>;
}

/** Callbacks an isolate reports through. */
export interface IsolateEvents {
  /** Anything the actor posted, not yet validated. */
  onMessage(data: unknown): void;
  /** The isolate died or raised an uncaught error; the actor must be restarted. */
  onCrash(reason: string): void;
}
