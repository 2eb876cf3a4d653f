/**
 * The actor system: spawns actors in isolates, delivers `ask` (request/reply with correlation
 * id, timeout and AbortSignal) and `tell`, serves capabilities to actors, and supervises them.
 * A crashed actor is restarted with exponential backoff within a restart budget (default at
 * most 5 restarts in 60 s); past the budget it is marked failed and the failure escalates to
 * its parent actor (which is crashed in turn, as OTP supervisors do) or to the system's
 * `onEscalate`. Asks in flight to a crashed actor reject with ActorCrashedError; messages sent
 * while it restarts wait in its mailbox. No actor crash can take the host process down.
 */
import type { ActorDefinition, ActorPermissions } from "./actor.ts";
import {
  ActorCrashedError,
  ActorReplyError,
  ActorUnavailableError,
  AskAbortedError,
  AskTimeoutError,
  errorInfo,
  LoadError,
  MalformedMessageError,
} from "./errors.ts";
import type { Isolate } from "./isolate.ts";
import type { Logger } from "./log.ts";
import { type ErrorInfo, FromActorSchema, parseMessage, type ToActor } from "./protocol.ts";
import { spawnWorker } from "./worker_host.ts";
import { loadActor } from "./actor_loader.ts";
import {
  type ActorStatus,
  type ActorSystemOptions,
  type AskOptions,
  type Capability,
  DEFAULT_RESTART,
  type Escalation,
  type IsolateFactory,
  type RestartPolicy,
  type SpawnOptions,
} from "./actor_types.ts";

export * from "./actor_types.ts";

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
  type: string;
}

interface Cell {
  name: string;
  kind: string;
  url: string;
  def: ActorDefinition<unknown, unknown>;
  options: SpawnOptions;
  policy: RestartPolicy;
  permissions: ActorPermissions;
  status: ActorStatus;
  isolate?: Isolate | undefined;
  pending: Map<string, Pending>;
  mailbox: ToActor[];
  crashes: number[];
  restarts: number;
  ready?: { resolve(): void; reject(e: Error): void } | undefined;
  stopped?: (() => void) | undefined;
  timer?: ReturnType<typeof setTimeout> | undefined;
}

/** A handle to a running actor. */
export class ActorRef {
  readonly #system: ActorSystem;
  readonly #cell: Cell;
  constructor(system: ActorSystem, cell: Cell) {
    this.#system = system;
    this.#cell = cell;
  }
  /** Instance name. */
  get name(): string {
    return this.#cell.name;
  }
  /** Actor kind (file name). */
  get kind(): string {
    return this.#cell.kind;
  }
  /** Current lifecycle state. */
  get status(): ActorStatus {
    return this.#cell.status;
  }
  /** How many times it was restarted. */
  get restarts(): number {
    return this.#cell.restarts;
  }
  /** Sends `msg` and waits for the reply. */
  ask<T = unknown>(msg: unknown, options?: AskOptions): Promise<T> {
    return this.#system.ask<T>(this.#cell.name, msg, options);
  }
  /** Sends `msg` without waiting; false when the actor is unavailable. */
  tell(msg: unknown): boolean {
    return this.#system.tell(this.#cell.name, msg);
  }
}

/** Spawns, routes to and supervises actors. */
export class ActorSystem {
  readonly log: Logger;
  readonly #actorsDir: string;
  readonly #policy: RestartPolicy;
  readonly #onEscalate: ((e: Escalation) => void) | undefined;
  readonly #cells = new Map<string, Cell>();
  readonly #capabilities = new Map<string, Capability>();
  readonly #isolations = new Map<string, IsolateFactory>([["worker", spawnWorker]]);
  #nextId = 0;

  constructor(options: ActorSystemOptions) {
    this.log = options.log;
    this.#actorsDir = options.actorsDir ?? "./actors";
    this.#policy = { ...DEFAULT_RESTART, ...options.restart };
    this.#onEscalate = options.onEscalate;
    this.provide("actor.ask", (args) => {
      const { to, msg, timeoutMs } = args as { to: string; msg: unknown; timeoutMs?: number };
      return this.ask(to, msg, timeoutMs ? { timeoutMs } : {});
    });
    this.provide("actor.tell", (args) => {
      const { to, msg } = args as { to: string; msg: unknown };
      return this.tell(to, msg);
    });
    this.provide("actor.spawn", async (args, caller) => {
      const { kind, name, config } = args as { kind: string; name?: string; config?: unknown };
      const ref = await this.spawn(kind, { name, config, parent: caller.name } as SpawnOptions);
      return ref.name;
    });
  }

  /** Offers a capability to every actor (`ctx.call(name, args)`). */
  provide(name: string, capability: Capability): void {
    this.#capabilities.set(name, capability);
  }

  /** Adds an isolation kind (e.g. "subprocess") usable in {@link SpawnOptions.isolation}. */
  registerIsolation(key: string, factory: IsolateFactory): void {
    this.#isolations.set(key, factory);
  }

  /** The ref of a spawned actor, if any. */
  get(name: string): ActorRef | undefined {
    const cell = this.#cells.get(name);
    return cell ? new ActorRef(this, cell) : undefined;
  }

  /** Names and states of every actor, for status pages. */
  list(): Array<{ name: string; kind: string; status: ActorStatus; restarts: number }> {
    return [...this.#cells.values()].map((c) => ({
      name: c.name,
      kind: c.kind,
      status: c.status,
      restarts: c.restarts,
    }));
  }

  /**
   * Spawns an actor. `kind` is a file name in the actors folder (`"echo"` → actors/echo.ts) or a
   * URL/path to an actor file. Resolves once its `init` has run.
   */
  async spawn(kind: string, options: SpawnOptions = {}): Promise<ActorRef> {
    const url = this.#resolve(kind);
    const shortKind = url.split("/").pop()!.replace(/\.[tj]s$/, "");
    const name = options.name ?? shortKind;
    if (this.#cells.has(name)) throw new LoadError(`An actor named "${name}" already exists`);
    const def = await loadActor(url);
    let config: unknown = options.config ?? {};
    if (def.config) {
      const parsed = parseMessage(def.config, config, `config for actor "${name}"`);
      if (!parsed.ok) throw new LoadError(`Cannot spawn actor "${name}": ${parsed.error}`);
      config = parsed.value;
    }
    let permissions: ActorPermissions;
    try {
      permissions = typeof def.permissions === "function"
        ? def.permissions(config)
        : def.permissions ?? {};
    } catch (e) {
      throw new LoadError(`Cannot compute permissions of actor "${url}": ${errorInfo(e).message}`);
    }
    const cell: Cell = {
      name,
      kind: shortKind,
      url,
      def,
      options,
      policy: { ...this.#policy, ...options.restart },
      permissions,
      status: "starting",
      pending: new Map(),
      mailbox: [],
      crashes: [],
      restarts: 0,
    };
    this.#cells.set(name, cell);
    try {
      await this.#start(cell);
    } catch (e) {
      this.#cells.delete(name);
      await cell.isolate?.terminate();
      throw new LoadError(`Cannot start actor "${name}" (${url}): ${errorInfo(e).message}`, {
        cause: e,
      });
    }
    return new ActorRef(this, cell);
  }

  /** Sends `msg` to the actor named `name` and waits for its reply. */
  ask<T = unknown>(name: string, msg: unknown, options: AskOptions = {}): Promise<T> {
    const cell = this.#cells.get(name);
    const type = messageType(msg);
    if (!cell || cell.status === "stopped" || cell.status === "failed") {
      const why = !cell ? "no such actor" : cell.status;
      return Promise.reject(new ActorUnavailableError(name, why));
    }
    if (options.signal?.aborted) return Promise.reject(new AskAbortedError(name, type));
    const id = `a${++this.#nextId}`;
    const timeoutMs = options.timeoutMs ?? 30_000;
    return new Promise<T>((resolve, reject) => {
      const cleanup = () => {
        clearTimeout(timer);
        options.signal?.removeEventListener("abort", onAbort);
        cell.pending.delete(id);
        cell.mailbox = cell.mailbox.filter((m) => !(m.type === "deliver" && m.id === id));
      };
      const onAbort = () => (cleanup(), reject(new AskAbortedError(name, type)));
      const timer = setTimeout(
        () => (cleanup(), reject(new AskTimeoutError(name, type, timeoutMs))),
        timeoutMs,
      );
      options.signal?.addEventListener("abort", onAbort, { once: true });
      cell.pending.set(id, {
        type,
        resolve: (v) => (cleanup(), resolve(v as T)),
        reject: (e) => (cleanup(), reject(e)),
      });
      this.#deliver(cell, { type: "deliver", id, msg });
    });
  }

  /** Sends `msg` without waiting for a reply. False when the actor is unavailable. */
  tell(name: string, msg: unknown): boolean {
    const cell = this.#cells.get(name);
    if (!cell || cell.status === "stopped" || cell.status === "failed") {
      this.log.warn("tell_dropped", { to: name, type: messageType(msg) });
      return false;
    }
    this.#deliver(cell, { type: "deliver", msg });
    return true;
  }

  /** Stops an actor gracefully (its `stop` hook runs), killing it after `timeoutMs`. */
  async stop(name: string, timeoutMs = 5_000): Promise<void> {
    const cell = this.#cells.get(name);
    if (!cell) return;
    const wasRunning = cell.status === "running";
    cell.status = "stopped";
    clearTimeout(cell.timer);
    if (wasRunning && cell.isolate) {
      const stopped = new Promise<void>((resolve) => (cell.stopped = resolve));
      try {
        cell.isolate.post({ type: "stop" });
        await withTimeout(stopped, timeoutMs);
      } catch {
        this.log.warn("actor_stop_timeout", { name, timeoutMs });
      }
    }
    await cell.isolate?.terminate();
    this.#failAll(cell, new ActorUnavailableError(name, "stopped"));
    this.#cells.delete(name);
  }

  /** Stops every actor, newest first, so children stop before their parents. */
  async shutdown(timeoutMs = 5_000): Promise<void> {
    for (const name of [...this.#cells.keys()].reverse()) await this.stop(name, timeoutMs);
  }

  #resolve(kind: string): string {
    if (/^(file|https?|data|blob):/.test(kind)) return kind;
    const path = kind.endsWith(".ts") || kind.includes("/")
      ? kind
      : `${this.#actorsDir}/${kind}.ts`;
    const absolute = path.startsWith("/") ? path : `${Deno.cwd()}/${path}`;
    return new URL(`file://${absolute}`).href;
  }

  async #start(cell: Cell): Promise<void> {
    cell.status = "starting";
    const factory = this.#isolations.get(cell.options.isolation ?? "worker");
    if (!factory) throw new LoadError(`Unknown isolation "${cell.options.isolation}"`);
    const ready = new Promise<void>((resolve, reject) => (cell.ready = { resolve, reject }));
    const isolate = factory(cell.url, cell.name, cell.permissions, {
      onMessage: (data) => this.#onMessage(cell, isolate, data),
      onCrash: (reason) => this.#onCrash(cell, isolate, reason),
    });
    cell.isolate = isolate;
    isolate.post({
      type: "init",
      name: cell.name,
      kind: cell.kind,
      config: cell.options.config ?? {},
    });
    await withTimeout(ready, cell.options.readyTimeoutMs ?? 30_000);
    cell.ready = undefined;
    cell.status = "running";
    const queued = cell.mailbox;
    cell.mailbox = [];
    for (const msg of queued) this.#deliver(cell, msg);
  }

  #deliver(cell: Cell, msg: ToActor): void {
    if (cell.status !== "running" || !cell.isolate) {
      cell.mailbox.push(msg);
      return;
    }
    try {
      cell.isolate.post(msg);
    } catch (e) {
      const error = new MalformedMessageError(
        `message "${
          messageType(msg.type === "deliver" ? msg.msg : msg)
        }" to actor "${cell.name}" ` +
          `cannot be sent: ${errorInfo(e).message}`,
      );
      if (msg.type === "deliver" && msg.id) cell.pending.get(msg.id)?.reject(error);
      else this.log.warn("tell_dropped", { to: cell.name, error: error.message });
    }
  }

  #onMessage(cell: Cell, isolate: Isolate, data: unknown): void {
    if (cell.isolate !== isolate) return; // a message from a previous incarnation
    const parsed = parseMessage(FromActorSchema, data, `from actor "${cell.name}"`);
    if (!parsed.ok) {
      this.log.warn("malformed_message", { actor: cell.name, error: parsed.error });
      const id = (data as { id?: unknown } | null)?.id;
      if (typeof id === "string") {
        cell.pending.get(id)?.reject(new MalformedMessageError(parsed.error));
      }
      return;
    }
    const msg = parsed.value;
    switch (msg.type) {
      case "ready":
        cell.ready?.resolve();
        break;
      case "init_failed":
        if (cell.ready) cell.ready.reject(new Error(`init failed: ${msg.error.message}`));
        break;
      case "reply":
        cell.pending.get(msg.id)?.resolve(msg.value); // absent: timed out or aborted already
        break;
      case "failure":
        cell.pending.get(msg.id)?.reject(remoteError(cell.name, msg.error));
        break;
      case "capability":
        void this.#serveCapability(cell, isolate, msg.id, msg.name, msg.args);
        break;
      case "log":
        this.log.child(cell.name).log(msg.level, msg.event, msg.fields);
        break;
      case "stopped":
        cell.stopped?.();
        break;
    }
  }

  async #serveCapability(
    cell: Cell,
    isolate: Isolate,
    id: string,
    name: string,
    args: unknown,
  ): Promise<void> {
    const capability = this.#capabilities.get(name);
    let result: ToActor;
    try {
      if (!capability) {
        const known = [...this.#capabilities.keys()].join(", ");
        throw new Error(`Unknown capability "${name}" (known: ${known})`);
      }
      const value = await capability(args, { name: cell.name, kind: cell.kind });
      result = { type: "capability_result", id, value };
    } catch (e) {
      result = { type: "capability_error", id, error: errorInfo(e) };
    }
    if (cell.isolate !== isolate) return;
    try {
      isolate.post(result);
    } catch (e) {
      isolate.post({ type: "capability_error", id, error: errorInfo(e) });
    }
  }

  #onCrash(cell: Cell, isolate: Isolate, reason: string): void {
    if (cell.isolate !== isolate || cell.status === "stopped" || cell.status === "failed") return;
    this.log.error("actor_crashed", { name: cell.name, kind: cell.kind, reason });
    void isolate.terminate();
    cell.isolate = undefined;
    if (cell.ready) {
      cell.ready.reject(new Error(`crashed during init: ${reason}`));
      cell.ready = undefined;
    }
    this.#failPending(cell, new ActorCrashedError(cell.name, reason));
    const now = Date.now();
    cell.crashes = cell.crashes.filter((t) => now - t < cell.policy.windowMs);
    if (cell.crashes.length >= cell.policy.maxRestarts) {
      cell.status = "failed";
      this.#failAll(cell, new ActorUnavailableError(cell.name, `failed: ${reason}`));
      this.#escalate(cell, reason);
      return;
    }
    const attempt = cell.crashes.length;
    cell.crashes.push(now);
    cell.status = "restarting";
    const ceiling = Math.min(cell.policy.maxBackoffMs, cell.policy.baseBackoffMs * 2 ** attempt);
    const delay = Math.round(ceiling * (0.5 + Math.random() / 2));
    this.log.warn("actor_restarting", { name: cell.name, attempt: attempt + 1, delayMs: delay });
    cell.timer = setTimeout(() => {
      if (cell.status !== "restarting") return;
      cell.restarts++;
      this.#start(cell).catch((e) => {
        // A restart whose init fails counts as another crash.
        if (cell.status === "starting") this.#onCrash(cell, cell.isolate!, errorInfo(e).message);
      });
    }, delay);
  }

  #escalate(cell: Cell, reason: string): void {
    const escalation = { name: cell.name, kind: cell.kind, reason };
    this.log.error("actor_escalated", { ...escalation, budget: cell.policy.maxRestarts });
    const parent = cell.options.parent ? this.#cells.get(cell.options.parent) : undefined;
    if (parent?.isolate && parent.status === "running") {
      this.#onCrash(parent, parent.isolate, `child "${cell.name}" failed: ${reason}`);
    } else this.#onEscalate?.(escalation);
  }

  #failPending(cell: Cell, error: Error): void {
    // Asks still waiting in the mailbox survive a restart; those sent to the dead isolate fail.
    const queued = new Set(cell.mailbox.map((m) => (m.type === "deliver" ? m.id : undefined)));
    for (const [id, pending] of [...cell.pending]) if (!queued.has(id)) pending.reject(error);
  }

  #failAll(cell: Cell, error: Error): void {
    for (const pending of [...cell.pending.values()]) pending.reject(error);
    cell.mailbox = [];
  }
}

/** A failure reply as a typed error; schema failures inside the actor stay recognisable. */
function remoteError(actor: string, error: ErrorInfo): Error {
  if (error.name === "MalformedMessageError") return new MalformedMessageError(error.message);
  return new ActorReplyError(actor, error.name, error.message);
}

function messageType(msg: unknown): string {
  return msg && typeof msg === "object" && "type" in msg ? String(msg.type) : typeof msg;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
