/**
 * The shape of an actor: one file in `actors/` (file name = actor kind) whose default export is
 * `defineActor({...})`. The file declares the actor's permissions (deny by default), the schema
 * of the messages it accepts, and a `receive` function. The runtime spawns it in a
 * permission-restricted Web Worker (or a subprocess) and validates every message against the
 * schema before `receive` sees it.
 */
import type { z } from "zod";

/** Deno permissions for an actor. Omitted keys are denied. Relative paths are from the cwd. */
export interface ActorPermissions {
  read?: boolean | string[];
  write?: boolean | string[];
  /** Hosts (`host` or `host:port`). Never give actors loopback unless they must reach it. */
  net?: boolean | string[];
  env?: boolean | string[];
  sys?: boolean | string[];
  run?: boolean | string[];
  ffi?: boolean | string[];
  import?: boolean | string[];
}

/** Logging from inside an actor; records are forwarded to the supervisor's logger. */
export interface ActorLog {
  debug(event: string, fields?: Record<string, unknown>): void;
  info(event: string, fields?: Record<string, unknown>): void;
  warn(event: string, fields?: Record<string, unknown>): void;
  error(event: string, fields?: Record<string, unknown>): void;
}

/** What `init`, `receive` and `stop` get besides the message. */
export interface ActorContext<C = unknown> {
  /** Instance name, e.g. "memory" or "subagent-3". */
  readonly name: string;
  /** Actor kind: the file name without `.ts`. */
  readonly kind: string;
  /** Spawn-time configuration, validated against `config` when the definition has one. */
  readonly config: C;
  readonly log: ActorLog;
  /** Calls a capability the supervisor provides (e.g. "model.complete", "actor.ask"). */
  call(capability: string, args?: unknown, options?: { timeoutMs?: number }): Promise<unknown>;
  /** Asks another actor by instance name, through the supervisor. */
  ask(actor: string, msg: unknown, options?: { timeoutMs?: number }): Promise<unknown>;
  /** Sends to another actor by instance name without waiting. */
  tell(actor: string, msg: unknown): void;
}

/** An actor definition as written by a skill author. */
export interface ActorDefinition<M = unknown, C = unknown> {
  /** One line: what the actor does. */
  description?: string;
  /** Static permissions, or computed from the spawn config (e.g. the host of a URL). */
  permissions?: ActorPermissions | ((config: C) => ActorPermissions);
  /** Schema of the spawn config. */
  config?: z.ZodType<C>;
  /** Schema of accepted messages: a union tagged by a literal `type`. */
  messages: z.ZodType<M>;
  /** Runs once before the first message; a throw fails the spawn. */
  init?(ctx: ActorContext<C>): void | Promise<void>;
  /** Handles one message; the return value is the reply to an ask. A throw is a failure reply. */
  receive(msg: M, ctx: ActorContext<C>): unknown;
  /** Runs on graceful stop (flush, close connections). */
  stop?(ctx: ActorContext<C>): void | Promise<void>;
}

/**
 * Declares an actor. Identity at run time; it exists for type inference.
 *
 * @example
 * ```ts
 * export default defineActor({
 *   permissions: { read: ["./data"] },
 *   messages: z.discriminatedUnion("type", [z.object({ type: z.literal("echo"), text: z.string() })]),
 *   receive(msg) {
 *     switch (msg.type) {
 *       case "echo": return msg.text;
 *     }
 *   },
 * });
 * ```
 */
export function defineActor<M, C = unknown>(def: ActorDefinition<M, C>): ActorDefinition<M, C> {
  return def;
}
