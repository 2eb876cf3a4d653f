/**
 * The limits of one task (steps, tokens, wall time, per-cell time, observation size), with
 * defaults and validation. Each limit ends the task with its own reported outcome.
 */

/** Limits of one task; each one ends the task with its own outcome when reached. */
export interface Budgets {
  /** Model requests. */
  maxSteps: number;
  /** Prompt + completion tokens over every request of the task. */
  maxTokens: number;
  /** Wall time of the task, in ms. */
  timeMs: number;
  /** Per-cell timeout, in ms. */
  cellTimeoutMs: number;
  /** Characters of a cell result or tool output shown to the model. */
  observationChars: number;
}

/** Defaults: 20 steps, 100k tokens, 5 minutes, cells 60 s, observations 2,000 characters. */
export const DEFAULT_BUDGETS: Budgets = {
  maxSteps: 20,
  maxTokens: 100_000,
  timeMs: 300_000,
  cellTimeoutMs: 60_000,
  observationChars: 2_000,
};

/** Checks budgets given by a user or a file; throws a RangeError naming the bad key. */
export function resolveBudgets(partial: Partial<Budgets> = {}): Budgets {
  const budgets = { ...DEFAULT_BUDGETS, ...partial };
  for (const [key, value] of Object.entries(budgets)) {
    if (!Number.isFinite(value) || value <= 0) {
      throw new RangeError(`Budget "${key}" must be a positive number, got ${value}`);
    }
  }
  return budgets;
}
