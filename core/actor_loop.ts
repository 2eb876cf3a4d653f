/**
 * The actor's side of the protocol, run inside its isolate (a Worker or a subprocess): it
 * validates every incoming envelope and message, runs `init`, `receive` and `stop`, turns
 * throws into failure replies (nothing throws across the boundary), and forwards capability
 * calls and logs to the supervisor.
 */
import type { ActorContext, ActorDefinition, ActorLog } from "./actor.ts";
import { errorInfo } from "./errors.ts";
import {
  type ErrorInfo,
  type FromActor,
  parseMessage,
  type ToActor,
  ToActorSchema,
} from "./protocol.ts";

/** A bidirectional message channel to the supervisor. */
export interface ActorPort {
  post(msg: FromActor): void;
  onMessage(handler: (data: unknown) => void): void;
  close(): void;
}

/** Runs `def` behind `port` until the supervisor says stop. */
export function serveActor<M, C>(def: ActorDefinition<M, C>, port: ActorPort): void {
  let ctx: ActorContext<C> | undefined;
  let nextId = 0;
  const pending = new Map<string, { resolve(v: unknown): void; reject(e: Error): void }>();
  const queue: Array<{ id?: string | undefined; msg: unknown }> = [];
  let busy = false;
  let stopping = false;

  const log =
    (level: "debug" | "info" | "warn" | "error") =>
    (event: string, fields: Record<string, unknown> = {}) =>
      port.post({ type: "log", level, event, fields: JSON.parse(safeJson(fields)) });
  const actorLog: ActorLog = {
    debug: log("debug"),
    info: log("info"),
    warn: log("warn"),
    error: log("error"),
  };

  function call(name: string, args?: unknown, options?: { timeoutMs?: number }): Promise<unknown> {
    const id = `c${++nextId}`;
    return new Promise((resolve, reject) => {
      const timer = options?.timeoutMs
        ? setTimeout(() => {
          pending.delete(id);
          reject(new Error(`Capability "${name}" timed out after ${options.timeoutMs} ms`));
        }, options.timeoutMs)
        : undefined;
      pending.set(id, {
        resolve: (v) => (clearTimeout(timer), resolve(v)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      });
      port.post({ type: "capability", id, name, args: args ?? null });
    });
  }

  async function init(msg: Extract<ToActor, { type: "init" }>): Promise<void> {
    try {
      let config = msg.config as C;
      if (def.config) {
        const parsed = parseMessage(def.config, msg.config, `config for actor "${msg.kind}"`);
        if (!parsed.ok) throw new Error(parsed.error);
        config = parsed.value;
      }
      ctx = {
        name: msg.name,
        kind: msg.kind,
        config,
        log: actorLog,
        call,
        ask: (actor, m, o) => call("actor.ask", { to: actor, msg: m, timeoutMs: o?.timeoutMs }),
        tell: (actor, m) => void call("actor.tell", { to: actor, msg: m }).catch(() => {}),
      };
      await def.init?.(ctx);
      port.post({ type: "ready" });
    } catch (e) {
      port.post({ type: "init_failed", error: errorInfo(e) });
    }
  }

  async function drain(): Promise<void> {
    if (busy) return;
    busy = true;
    while (queue.length && ctx) {
      const { id, msg } = queue.shift()!;
      const parsed = parseMessage(def.messages, msg, `for actor "${ctx.kind}"`);
      if (!parsed.ok) {
        if (id) reply(id, false, { name: "MalformedMessageError", message: parsed.error });
        else actorLog.warn("malformed_message", { error: parsed.error });
        continue;
      }
      try {
        const value = await def.receive(parsed.value, ctx);
        if (id) reply(id, true, value);
      } catch (e) {
        if (id) reply(id, false, errorInfo(e));
        else actorLog.error("receive_failed", { error: errorInfo(e) });
      }
    }
    busy = false;
  }

  function reply(id: string, ok: true, value: unknown): void;
  function reply(id: string, ok: false, error: ErrorInfo): void;
  function reply(id: string, ok: boolean, value: unknown): void {
    try {
      port.post(
        ok ? { type: "reply", id, value } : { type: "failure", id, error: value as ErrorInfo },
      );
    } catch (e) {
      // The value could not be cloned (a function, a socket, ...): say so instead of crashing.
      const message = `reply is not cloneable: ${errorInfo(e).message}`;
      port.post({ type: "failure", id, error: { name: "DataCloneError", message } });
    }
  }

  port.onMessage((data) => {
    const parsed = parseMessage(ToActorSchema, data, "from supervisor");
    if (!parsed.ok) return actorLog.error("malformed_envelope", { error: parsed.error });
    const msg = parsed.value;
    switch (msg.type) {
      case "init":
        void init(msg);
        break;
      case "deliver":
        if (stopping) break;
        queue.push({ id: msg.id, msg: msg.msg });
        void drain();
        break;
      case "capability_result":
      case "capability_error": {
        const p = pending.get(msg.id);
        pending.delete(msg.id);
        if (!p) break;
        if (msg.type === "capability_result") p.resolve(msg.value);
        else p.reject(Object.assign(new Error(msg.error.message), { name: msg.error.name }));
        break;
      }
      case "stop":
        stopping = true;
        void (async () => {
          try {
            if (ctx) await def.stop?.(ctx);
          } catch (e) {
            actorLog.error("stop_failed", { error: errorInfo(e) });
          }
          port.post({ type: "stopped" });
          port.close();
        })();
        break;
    }
  });
}

function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v, (_k, x) => (x instanceof Error ? errorInfo(x) : x)) ?? "{}";
  } catch {
    return '{"unserialisable":true}';
  }
}
