/**
 * The SCB store of one NeuroSync process, as the platform's `SCBStore` behaves (emulator part):
 * Redis (`LPUSH` + `LTRIM` in one MULTI) or a private in-memory list, and after ONE Redis
 * connection error a private in-memory list for good (it never reconnects). Entries need the
 * keys `type`, `actor`, `text` (any values) and get `t` when they have none. Also the avatar's
 * summarizer: every interval, from the newest 50 entries (salience ≥ 0.4 plus the newest 15),
 * the OLDEST lines that fit 200 words, so a busy log freezes the summary.
 */
import { Redis } from "ioredis";
import { nowSeconds } from "./scb_entry.ts";

/** A stored entry as the platform keeps it: any JSON object with the three keys. */
export type RawEntry = Record<string, unknown>;

/** Settings of {@link EmulatorStore}. */
export interface EmulatorStoreOptions {
  redisUrl?: string | undefined;
  logKey?: string;
  summaryKey?: string;
  maxLines?: number;
}

/** One process's SCB: Redis until the first connection error, private memory after. */
export class EmulatorStore {
  #redis: Redis | undefined;
  /** The first connection, awaited by every command (they must not race it). */
  #connected: Promise<void> | undefined;
  #log: RawEntry[] = [];
  #summary = "";
  readonly #logKey: string;
  readonly #summaryKey: string;
  readonly #max: number;

  constructor(o: EmulatorStoreOptions) {
    this.#logKey = o.logKey ?? "scs:log";
    this.#summaryKey = o.summaryKey ?? "scs:summary";
    this.#max = o.maxLines ?? 1000;
    if (o.redisUrl) {
      // No offline queue and no retries: a command during an outage fails at once, as the
      // Python client's ConnectionError does.
      this.#redis = new Redis(o.redisUrl, {
        enableOfflineQueue: false,
        maxRetriesPerRequest: 0,
        lazyConnect: true,
        retryStrategy: () => null,
      });
      this.#redis.on("error", () => {});
    }
  }

  /** `redis` until the first connection error, then `memory` for good. */
  get mode(): "redis" | "memory" {
    return this.#redis ? "redis" : "memory";
  }

  /** Appends an entry; silently ignores one without `type`, `actor` and `text`. */
  async append(entry: RawEntry): Promise<void> {
    if (!["type", "actor", "text"].every((k) => k in entry)) return;
    const e = "t" in entry ? entry : { ...entry, t: nowSeconds() };
    if (
      await this.#run((r) =>
        r.multi().lpush(this.#logKey, JSON.stringify(e)).ltrim(this.#logKey, 0, this.#max - 1)
          .exec()
      )
    ) return;
    this.#log.unshift(e);
    this.#log.length = Math.min(this.#log.length, this.#max);
  }

  /** The newest `count` entries, newest first. */
  async entries(count = this.#max): Promise<RawEntry[]> {
    if (count <= 0) return [];
    const lines = await this.#run((r) => r.lrange(this.#logKey, 0, count - 1));
    if (lines) return lines.map((l) => JSON.parse(l) as RawEntry);
    return this.#log.slice(0, count);
  }

  async summary(): Promise<string> {
    const s = await this.#run((r) => r.get(this.#summaryKey));
    return s === undefined ? this.#summary : s ?? "";
  }

  async setSummary(text: string): Promise<void> {
    if ((await this.#run((r) => r.set(this.#summaryKey, text))) === undefined) this.#summary = text;
  }

  async close(): Promise<void> {
    const r = this.#redis;
    this.#redis = undefined;
    if (r) await r.quit().catch(() => r.disconnect());
  }

  /** Runs a Redis command; undefined when in memory mode or after switching to it. */
  async #run<T>(fn: (r: Redis) => Promise<T>): Promise<T | undefined> {
    const r = this.#redis;
    if (!r) return undefined;
    try {
      this.#connected ??= r.connect();
      await this.#connected;
      return await fn(r);
    } catch {
      // The platform switches to its private memory on a connection error and never goes back.
      this.#redis = undefined;
      r.disconnect();
      return undefined;
    }
  }
}

/** The summarizer's settings (the platform's defaults). */
export const SUMMARY = { sourceLines: 50, minSalience: 0.4, keepLastN: 15, budget: 200 } as const;

/** The summary the platform's summarizer writes for `newestFirst` entries. */
export function summarize(newestFirst: readonly RawEntry[]): string {
  const entries = newestFirst.slice(0, SUMMARY.sourceLines);
  const salient = entries.filter((e, i) =>
    Number(e.salience ?? 0) >= SUMMARY.minSalience || i < SUMMARY.keepLastN
  );
  const lines: string[] = [];
  let used = 0;
  for (const e of [...salient].reverse()) {
    const prefix = e.type === "directive"
      ? `[Directive from ${e.actor ?? "planner"}] `
      : e.actor === "user"
      ? "User: "
      : e.actor === "vtuber"
      ? "AI: "
      : `[${e.actor ?? "None"}] `;
    const line = prefix + String(e.text ?? "");
    const words = line.split(/\s+/).filter(Boolean).length;
    if (used + words > SUMMARY.budget) break;
    lines.push(line);
    used += words;
  }
  return lines.join("\n");
}
