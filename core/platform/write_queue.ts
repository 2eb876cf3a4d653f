/**
 * Write-behind for the loop's memory and `tool_usage` rows: writes run in order in the
 * background, and a write that fails (database restarting) is retried with backoff until it
 * commits, so an outage delays rows but loses none. `flush` waits for the queue at shutdown,
 * within a bound; what is still pending then is reported, not silently dropped.
 */
import type { Logger } from "../log.ts";

interface Job {
  label: string;
  run: () => Promise<unknown>;
  attempts: number;
}

/** Settings of {@link WriteQueue}. */
export interface WriteQueueOptions {
  log: Logger;
  /** First retry delay, doubled up to `maxBackoffMs`. Default 200 ms. */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** Called after each failed attempt (metrics). */
  onError?: (label: string, error: unknown) => void;
}

/** An ordered, retrying queue of writes. */
export class WriteQueue {
  readonly #o: WriteQueueOptions;
  #jobs: Job[] = [];
  #running: Promise<void> | undefined;
  #stopped = false;
  /** Writes that committed. */
  committed = 0;
  /** Failed attempts that were retried. */
  retries = 0;

  constructor(options: WriteQueueOptions) {
    this.#o = options;
  }

  /** Writes waiting or running. */
  get pending(): number {
    return this.#jobs.length;
  }

  /** Queues a write. */
  push(label: string, run: () => Promise<unknown>): void {
    this.#jobs.push({ label, run, attempts: 0 });
    this.#running ??= this.#drain().finally(() => (this.#running = undefined));
  }

  /** Waits until the queue is empty or `timeoutMs` passed; returns how many writes remain. */
  async flush(timeoutMs: number): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    while (this.#jobs.length && this.#running && Date.now() < deadline) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const expired = new Promise((r) => (timer = setTimeout(r, deadline - Date.now())));
      await Promise.race([this.#running, expired]);
      clearTimeout(timer);
    }
    return this.#jobs.length;
  }

  /** Stops retrying (after flush, at shutdown). */
  stop(): void {
    this.#stopped = true;
  }

  async #drain(): Promise<void> {
    while (this.#jobs.length && !this.#stopped) {
      const job = this.#jobs[0]!;
      try {
        await job.run();
        this.#jobs.shift();
        this.committed++;
      } catch (e) {
        job.attempts++;
        this.retries++;
        this.#o.onError?.(job.label, e);
        const base = this.#o.backoffMs ?? 200;
        const wait = Math.min(
          base * 2 ** Math.min(job.attempts - 1, 10),
          this.#o.maxBackoffMs ?? 5_000,
        );
        this.#o.log.warn("write_retry", {
          write: job.label,
          attempt: job.attempts,
          waitMs: wait,
          error: (e as Error).message,
        });
        await new Promise((r) => setTimeout(r, wait));
      }
    }
  }
}
