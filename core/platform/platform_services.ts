/**
 * The capabilities the VTuber tools and the decision loop use, as `ctx.services.<name>`:
 * `vtuber` (speech), `scb` (blackboard), `memory` (search/save plus the platform rows). Each has
 * a direct implementation (tests, benchmarks) and an actor-backed one (the daemon), and the
 * `from*` readers give a clear error when a service is missing or switched off.
 */
import { inSpan } from "../telemetry/tracing.ts";
import type { Memory, NewMemory, SearchHit, SearchQuery } from "../memory/types.ts";
import type { MemoryService } from "../memory/memory_service.ts";
import { confirmFact, latestFacts, latestMemory, type ToolUsage } from "../memory/platform_rows.ts";
import type { MemoryStore } from "../memory/memory_store.ts";
import { ServiceDisabledError } from "./platform_errors.ts";
import type { ScbService } from "./scb_entry.ts";
import type { SpeechContextInput } from "./speech_context.ts";
import type { SpeakOutcome } from "./vtuber_client.ts";

/** Speech to the avatar (`services.vtuber`). */
export interface VtuberService {
  speak(text: string, context?: SpeechContextInput): Promise<SpeakOutcome>;
}

/** The memory capability plus the platform's facts and `tool_usage` rows (`services.memory`). */
export interface PlatformMemory extends MemoryService {
  latestFacts(o?: { limit?: number; kinds?: string[] }): Promise<Memory[]>;
  /** Confirms the agent's unverified fact with this id or text (see `confirmFact`). */
  confirmFact(match: { id?: string; text?: string }, by: string): Promise<Memory | undefined>;
  /** The agent's newest memory of this `content.type`. */
  latestMemory(kind: string): Promise<Memory | undefined>;
  /** Inserts a row; with `writeId`, at most once even when retried (where supported). */
  recordToolUsage(u: ToolUsage, writeId?: string): Promise<number>;
}

/** A memory service backed by the `memory` actor (messages of actors/memory.ts). */
export function memoryFromActor(
  ask: (msg: unknown) => Promise<unknown>,
  agentId: string,
): PlatformMemory {
  // Each call is a span (core/telemetry/tracing.ts): `memory search`, `memory write`, ...
  const traced = <T>(name: string, msg: Record<string, unknown>) =>
    inSpan(name, { "db.operation.name": String(msg.type) }, async () => (await ask(msg)) as T);
  return {
    search: (q: SearchQuery) => traced<SearchHit[]>("memory search", { type: "search", query: q }),
    save: (m: NewMemory) => traced<Memory>("memory write", { type: "store", memory: m }),
    latestFacts: (o = {}) =>
      traced<Memory[]>("memory facts", { type: "latest_facts", agentId, ...o }),
    confirmFact: async (match, by) =>
      ((await ask({ type: "confirm_fact", agentId, ...match, by })) ?? undefined) as
        | Memory
        | undefined,
    latestMemory: async (kind) =>
      ((await ask({ type: "latest_memory", agentId, kind })) ?? undefined) as Memory | undefined,
    // With a writeId the insert is at-most-once, so the write queue may retry after a cut.
    recordToolUsage: (u, writeId) =>
      traced<number>("memory write tool_usage", {
        type: "record_tool_usage",
        usage: u,
        ...(writeId ? { writeId } : {}),
      }),
  };
}

/** A memory service over a store in this process (tests, benchmarks). */
export function memoryFromStore(store: MemoryStore, agentId: string): PlatformMemory {
  return {
    search: (q) => store.search(q),
    save: (m) => store.store(m),
    latestFacts: (o = {}) => latestFacts(store.sql, { agentId, ...o }),
    confirmFact: (match, by) => confirmFact(store.sql, { agentId, ...match }, by),
    latestMemory: (kind) => latestMemory(store.sql, { agentId, kind }),
    recordToolUsage: (u, writeId) => store.recordToolUsage(u, writeId),
  };
}

/** A speech service backed by the `vtuber` actor. */
export function vtuberFromActor(ask: (msg: unknown) => Promise<unknown>): VtuberService {
  return {
    speak: async (text, context = {}) =>
      (await ask({
        type: "speak",
        text,
        ...(context.directive ? { directive: true } : {}),
        ...(context.priority ? { priority: context.priority } : {}),
      })) as SpeakOutcome,
  };
}

/** An SCB service backed by the `scb` actor. */
export function scbFromActor(ask: (msg: unknown) => Promise<unknown>): ScbService {
  return {
    ping: async () => (await ask({ type: "ping" })) as boolean,
    slice: async (tokens) =>
      (await ask({ type: "slice", ...(tokens ? { tokens } : {}) })) as Awaited<
        ReturnType<ScbService["slice"]>
      >,
    event: async (entry) =>
      (await ask({ type: "event", entry })) as Awaited<ReturnType<ScbService["event"]>>,
    directive: async (d) =>
      (await ask({ type: "directive", directive: d })) as Awaited<
        ReturnType<ScbService["directive"]>
      >,
  };
}

/** An operator switch in front of a service (`/vtuber/control`, `/scb/control`). */
export class ServiceSwitch {
  active: boolean;
  readonly name: string;
  /** Why the service cannot be activated at all (STANDALONE_MODE, no URL); undefined if it can. */
  readonly unavailable: string | undefined;

  constructor(name: string, unavailable?: string) {
    this.name = name;
    this.unavailable = unavailable;
    this.active = !unavailable;
  }

  /** Throws {@link ServiceDisabledError} unless the service is available and active. */
  check(): void {
    if (this.unavailable) throw new ServiceDisabledError(this.name, this.unavailable);
    if (!this.active) throw new ServiceDisabledError(this.name, "deactivated by an operator");
  }

  /** The operator's view. */
  status(): { service: string; active: boolean; available: boolean; reason?: string } {
    return {
      service: this.name,
      active: this.active && !this.unavailable,
      available: !this.unavailable,
      ...(this.unavailable ? { reason: this.unavailable } : {}),
    };
  }
}

/** Wraps `service` so every call first checks `sw`. */
export function switched<T extends object>(service: T, sw: ServiceSwitch): T {
  return new Proxy(service, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        sw.check();
        return value.apply(target, args);
      };
    },
  });
}

/** `services.<name>` checked for the methods a tool needs; the error names what is missing. */
export function serviceFrom<T>(
  services: Record<string, unknown>,
  name: string,
  methods: string[],
): T {
  const s = services[name] as Record<string, unknown> | undefined;
  const missing = methods.filter((m) => typeof s?.[m] !== "function");
  if (!s || missing.length) {
    throw new ServiceDisabledError(
      name,
      `ctx.services.${name} is not configured${s ? ` (missing ${missing.join(", ")})` : ""}`,
    );
  }
  return s as T;
}
