/**
 * What the loop has already read from the blackboard, and what on it is its own doing. Entries a
 * finished cycle showed the model are processed and not shown again (so injected chat does not
 * run twice, also after a restart: the watermark is kept with each cycle's memory). The Player
 * logs every suggestion the agent speaks as `{type:"event", actor:"user"}`, the shape of a
 * viewer's line, and the agent's directives come back as entries too: those are recognised by
 * their exact text and never shown as viewer chat.
 */
import type { ScbEntry } from "./scb_entry.ts";

/** The persisted part: entries up to `seenUntil` (epoch s) are processed; `edge` those at it. */
export interface LedgerState {
  seenUntil: number;
  edge: string[];
}

/** How long a sent text may take to come back as an entry. */
const ECHO_WINDOW_S = 600;

/** See the file doc. One per decision loop. */
export class ScbLedger {
  #seenUntil = 0;
  #edge = new Set<string>();
  readonly #own: Array<{ kind: "speech" | "directive"; text: string; at: number }> = [];
  #summaryLines = new Set<string>();

  /** Continues from a state kept by an earlier run. */
  restore(state: LedgerState | undefined): void {
    if (!state || !Number.isFinite(state.seenUntil)) return;
    this.#seenUntil = state.seenUntil;
    this.#edge = new Set(state.edge);
  }

  /** The state to keep. */
  state(): LedgerState {
    return { seenUntil: this.#seenUntil, edge: [...this.#edge] };
  }

  /** The agent spoke `text` as a suggestion (the Player logs it as viewer chat) or posted it. */
  own(kind: "speech" | "directive", text: string, atSeconds = Date.now() / 1000): void {
    this.#own.push({ kind, text: text.trim(), at: atSeconds });
    while (this.#own.length > 200) this.#own.shift();
  }

  /** True for an entry that is the agent's own speech or directive coming back. */
  isOwn(e: ScbEntry): boolean {
    const kind = e.type === "directive"
      ? "directive"
      : e.type === "event" && e.actor === "user"
      ? "speech"
      : undefined;
    if (!kind) return false;
    const text = e.text.trim();
    return this.#own.some((o) =>
      o.kind === kind && o.text === text && e.t >= Math.floor(o.at) - 5 &&
      e.t <= o.at + ECHO_WINDOW_S
    );
  }

  /** The entries of `window` no finished cycle has shown yet. */
  fresh(window: readonly ScbEntry[]): ScbEntry[] {
    return window.filter((e) =>
      e.t > this.#seenUntil || (e.t === this.#seenUntil && !this.#edge.has(key(e)))
    );
  }

  /** Marks `window` as shown (after the cycle that showed it ended). */
  markShown(window: readonly ScbEntry[]): void {
    for (const e of window) {
      if (e.t > this.#seenUntil) {
        this.#seenUntil = e.t;
        this.#edge = new Set();
      }
      if (e.t === this.#seenUntil) this.#edge.add(key(e));
    }
  }

  /** The summary's lines, own speech dropped, each marked new if no earlier cycle saw it. */
  summaryLines(summary: string): Array<{ line: string; fresh: boolean }> {
    const out: Array<{ line: string; fresh: boolean }> = [];
    for (const line of summary.split("\n").filter((l) => l.trim())) {
      const m = /^User: (.*)$/.exec(line);
      if (m && this.#own.some((o) => o.kind === "speech" && o.text === m[1]!.trim())) continue;
      out.push({ line, fresh: !this.#summaryLines.has(line) });
    }
    return out;
  }

  /** Remembers the summary lines a finished cycle showed. */
  markSummary(lines: ReadonlyArray<{ line: string }>): void {
    this.#summaryLines = new Set(lines.map((l) => l.line));
  }
}

/** An entry's identity (no NUL: PostgreSQL's jsonb refuses \\u0000). */
function key(e: ScbEntry): string {
  return `${e.type}\u001f${e.actor}\u001f${e.text}`;
}
