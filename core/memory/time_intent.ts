/**
 * Temporal intent: a query that asks when something happened ("When did Ana move?", "what
 * year…", "how long ago…") is best answered by a memory that says when ("…last Friday", "…in
 * 2021", "…two weeks ago"), not by one that only names the event. Such memories get a bonus
 * among the candidates that already have lexical evidence. English only, as the stemmer.
 * LoCoMo dev recall@10 0.862 → 0.870 (temporal questions 0.885 → 0.917; weight tuned on
 * conversations 1–3, 4–5 held out). A regular expression per candidate, only for "when" queries
 * (~0.05 ms for 100 candidates).
 */
import { withoutTrailingNotes } from "./trailing_notes.ts";

const ASKS_WHEN =
  /^\W*(when|what (date|time|day|year|month)|which (date|day|year|month))\b|\bhow long ago\b/i;

const STATES_TIME = new RegExp(
  "\\b(yesterday|today|tonight|tomorrow|last|next|ago|since|recently|soon|weekend|" +
    "this (morning|afternoon|evening|week|month|year|summer|spring|fall|autumn|winter)|" +
    "(mon|tues|wednes|thurs|fri|satur|sun)day|january|february|march|april|june|july|august|" +
    "september|october|november|december|(19|20)\\d\\d)\\b",
  "i",
);

/** True when the query asks for a time ("when…", "what year…", "how long ago…"). */
export function asksWhen(query: string): boolean {
  return ASKS_WHEN.test(query);
}

/**
 * True when the text says when something happened (a relative time, a weekday, a month, a
 * year), ignoring trailing bracketed notes such as a timestamp the writer appended.
 */
export function statesTime(text: string): boolean {
  return STATES_TIME.test(withoutTrailingNotes(text));
}

/** What {@link timeIntentBonus} reads and changes of a candidate. */
export interface TimedCandidate {
  score: number;
  lexical?: number;
  memory: { content: { text?: unknown } };
}

/** Adds `weight` to the score of candidates with lexical evidence that state a time. */
export function timeIntentBonus(query: string, candidates: TimedCandidate[], weight = 0.5): void {
  if (!weight || !asksWhen(query)) return;
  for (const c of candidates) {
    if ((c.lexical ?? 0) > 0 && c.score > 0 && statesTime(String(c.memory.content.text ?? ""))) {
      c.score += weight;
    }
  }
}
