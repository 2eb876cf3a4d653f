/**
 * The old agent's action-variety rules, kept across cycles: warn after 3 identical actions in
 * a row; suggest SEND_TO_VTUBER when unused for more than 5 cycles, UPDATE_SCB for more than 4,
 * UPDATE_CONTEXT for more than 6. The notes go into the next cycle's context.
 */

/** Cycles of disuse after which a tool is suggested (the old agent's numbers). */
export const SUGGEST_AFTER: Readonly<Record<string, number>> = {
  send_to_vtuber: 5,
  update_scb: 4,
  update_context: 6,
};

/** How many identical actions in a row earn a warning. */
export const REPEAT_LIMIT = 3;

/** Remembers which actions ran in which cycle. */
export class ActionHistory {
  #cycles = 0;
  #lastUsed = new Map<string, number>();
  #recent: string[] = [];

  /** Records the actions (tool names, in order) of one finished cycle. */
  record(actions: readonly string[]): void {
    this.#cycles++;
    for (const a of actions) {
      this.#lastUsed.set(a, this.#cycles);
      this.#recent.push(a);
    }
    this.#recent = this.#recent.slice(-20);
  }

  /** The last `n` actions, oldest first. */
  recent(n = 10): string[] {
    return this.#recent.slice(-n);
  }

  /** Cycles since `action` last ran (cycles so far when it never ran). */
  cyclesSince(action: string): number {
    return this.#cycles - (this.#lastUsed.get(action) ?? 0);
  }

  /** The variety notes for the next cycle. */
  notes(): string[] {
    const out: string[] = [];
    const tail = this.#recent.slice(-REPEAT_LIMIT);
    if (tail.length === REPEAT_LIMIT && tail.every((a) => a === tail[0])) {
      out.push(
        `You used ${tail[0]} ${REPEAT_LIMIT} times in a row: choose a different action this time.`,
      );
    }
    for (const [action, limit] of Object.entries(SUGGEST_AFTER)) {
      const since = this.cyclesSince(action);
      if (since > limit) out.push(`${action} has not been used for ${since} cycles: consider it.`);
    }
    return out;
  }
}
