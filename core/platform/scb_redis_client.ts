/**
 * The SCB directly in Redis, as the NeuroSync server keeps it: LIST `scs:log` newest first
 * (LPUSH of a JSON string, then LTRIM to `maxLines`), STRING `scs:summary`. ioredis reconnects
 * by itself; a command during an outage fails after a bounded number of retries with
 * {@link ScbError}, so the loop logs it and keeps cycling.
 */
import { Redis } from "ioredis";
import { ScbError } from "./platform_errors.ts";
import {
  directiveEntry,
  parseStoredEntry,
  type ScbDirectiveInput,
  type ScbEntry,
  type ScbEventInput,
  type ScbService,
  type ScbSlice,
  sliceWindow,
  toEntry,
} from "./scb_entry.ts";

/** Settings of {@link RedisScbClient}. */
export interface RedisScbOptions {
  url: string;
  logKey?: string;
  summaryKey?: string;
  maxLines?: number;
}

/** The SCB through Redis. Call {@link close} when done. */
export class RedisScbClient implements ScbService {
  readonly #redis: Redis;
  readonly #logKey: string;
  readonly #summaryKey: string;
  readonly #maxLines: number;

  constructor(options: RedisScbOptions) {
    this.#logKey = options.logKey ?? "scs:log";
    this.#summaryKey = options.summaryKey ?? "scs:summary";
    this.#maxLines = options.maxLines ?? 1000;
    this.#redis = new Redis(options.url, {
      lazyConnect: true,
      maxRetriesPerRequest: 2,
      connectTimeout: 3_000,
      retryStrategy: (times) => Math.min(100 * 2 ** times, 2_000),
    });
    // Without a listener ioredis prints every reconnect failure as an unhandled error.
    this.#redis.on("error", () => {});
  }

  async ping(): Promise<boolean> {
    try {
      return (await this.#redis.ping()) === "PONG";
    } catch {
      return false;
    }
  }

  async slice(tokens = 600): Promise<ScbSlice> {
    const [lines, summary] = await this.#run("slice", () =>
      Promise.all([
        this.#redis.lrange(this.#logKey, 0, this.#maxLines - 1),
        this.#redis.get(this.#summaryKey),
      ]));
    const entries = lines.map(parseStoredEntry).filter((e) => e !== undefined);
    return { summary: summary ?? "", window: sliceWindow(entries, tokens) };
  }

  async event(input: ScbEventInput): Promise<ScbEntry> {
    const entry = toEntry(input);
    await this.#push(entry);
    return entry;
  }

  async directive(d: ScbDirectiveInput): Promise<ScbEntry> {
    const entry = directiveEntry(d);
    await this.#push(entry);
    return entry;
  }

  /** Closes the connection. */
  async close(): Promise<void> {
    try {
      await this.#redis.quit();
    } catch {
      this.#redis.disconnect();
    }
  }

  async #push(entry: ScbEntry): Promise<void> {
    await this.#run("append", () =>
      this.#redis.multi()
        .lpush(this.#logKey, JSON.stringify(entry))
        .ltrim(this.#logKey, 0, this.#maxLines - 1)
        .exec());
  }

  async #run<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      if (this.#redis.status === "wait") await this.#redis.connect();
      return await fn();
    } catch (e) {
      throw new ScbError(`SCB ${what} in Redis failed: ${(e as Error).message}`, undefined, {
        cause: e,
      });
    }
  }
}
