/**
 * At most one manual cycle ("run one now", from `POST /api/cycle` or the console) queued or
 * running at a time: a paid model call per click or request would otherwise pile up (issue 14.3:
 * 50 parallel requests queued 50 cycles).
 */
import type { CycleRecord } from "./decision_loop.ts";

/** Gates manual cycles; `start` answers `"busy"` while one is queued or running. */
export class ManualCycle {
  #current: Promise<unknown> | undefined;

  /** Starts `run` unless a manual cycle is outstanding; undefined when `run` cannot start one. */
  start(run: () => Promise<CycleRecord> | undefined): Promise<CycleRecord> | undefined | "busy" {
    if (this.#current) return "busy";
    const started = run();
    if (!started) return undefined;
    this.#current = started.finally(() => (this.#current = undefined)).catch(() => {});
    return started;
  }
}
