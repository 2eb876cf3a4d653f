/**
 * The actor system's public types: restart policy, spawn and ask options, capabilities,
 * isolate factories and escalations. Kept apart from actor_system.ts so that file holds only
 * the mechanism.
 */
import type { ActorPermissions } from "./actor.ts";
import type { Isolate, IsolateEvents } from "./isolate.ts";
import type { Logger } from "./log.ts";

/** How often and how fast a crashed actor is restarted. */
export interface RestartPolicy {
  maxRestarts: number;
  windowMs: number;
  baseBackoffMs: number;
  maxBackoffMs: number;
}

/** At most 5 restarts in 60 s, backoff 100 ms doubling up to 10 s. */
export const DEFAULT_RESTART: RestartPolicy = {
  maxRestarts: 5,
  windowMs: 60_000,
  baseBackoffMs: 100,
  maxBackoffMs: 10_000,
};

/** A supervisor-side service an actor can call by name. */
export type Capability = (args: unknown, caller: { name: string; kind: string }) => unknown;

/** Creates an isolate for an actor file. */
export type IsolateFactory = (
  actorUrl: string,
  name: string,
  permissions: ActorPermissions,
  events: IsolateEvents,
) => Isolate;

/** Options for {@link ActorSystem.spawn}. */
export interface SpawnOptions {
  /** Instance name; defaults to the kind. Names are unique in a system. */
  name?: string;
  /** Spawn-time config (JSON-cloneable), validated by the actor's `config` schema. */
  config?: unknown;
  /** `worker` (default) or a key registered with {@link ActorSystem.registerIsolation}. */
  isolation?: string;
  restart?: Partial<RestartPolicy>;
  /** Parent actor: receives this actor's escalations. */
  parent?: string;
  /** How long `init` may take; default 30 s. */
  readyTimeoutMs?: number;
}

/** Options for an ask. */
export interface AskOptions {
  /** Default 30 s. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** Lifecycle of an actor. */
export type ActorStatus = "starting" | "running" | "restarting" | "stopped" | "failed";

/** What the system reports when an actor exhausts its restart budget. */
export interface Escalation {
  name: string;
  kind: string;
  reason: string;
}

/** Settings for {@link ActorSystem}. */
export interface ActorSystemOptions {
  log: Logger;
  /** Folder that holds actor files; default ./actors relative to the cwd. */
  actorsDir?: string;
  restart?: Partial<RestartPolicy>;
  onEscalate?: (e: Escalation) => void;
}
