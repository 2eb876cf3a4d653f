/**
 * The Shared Cognitive Blackboard's vocabulary: one log entry (`t`, `type`, `actor`, `text`
 * always present), the slice the avatar and the agent read, and the SCB capability that both
 * the REST client and the Redis client implement (../shared/contracts/neurosync.md).
 */
import { z } from "zod";

/** One SCB log entry; extra fields are kept as they are. */
export const ScbEntrySchema = z.looseObject({
  t: z.number().int(),
  type: z.string().min(1),
  actor: z.string().min(1),
  text: z.string(),
  salience: z.number().optional(),
  ttl: z.number().int().optional(),
  source: z.string().optional(),
});

/** One SCB log entry. */
export type ScbEntry = z.infer<typeof ScbEntrySchema>;

/** What `/scb/slice` returns: the rolling summary and a window of entries, oldest first. */
export interface ScbSlice {
  summary: string;
  window: ScbEntry[];
}

/** An event to append; `t` defaults to now (epoch seconds). */
export type ScbEventInput = Omit<ScbEntry, "t"> & { t?: number | undefined };

/** A directive to post (`/scb/directive`): actor default "planner", ttl default 15. */
export interface ScbDirectiveInput {
  text: string;
  actor?: string | undefined;
  ttl?: number | undefined;
}

/** The SCB capability tools and the loop use (`services.scb`). */
export interface ScbService {
  /** True when the SCB answers. */
  ping(): Promise<boolean>;
  /** The summary plus the newest entries up to `tokens` words, oldest first. */
  slice(tokens?: number): Promise<ScbSlice>;
  /** Appends an entry; `type`, `actor` and `text` are required. */
  event(entry: ScbEventInput): Promise<ScbEntry>;
  /** Posts a directive the avatar reads. */
  directive(d: ScbDirectiveInput): Promise<ScbEntry>;
}

/** Epoch seconds, as the platform writes `t`. */
export function nowSeconds(now = Date.now()): number {
  return Math.floor(now / 1000);
}

/** Validates an event, fills `t`; the error names the missing field. */
export function toEntry(input: ScbEventInput, now = Date.now()): ScbEntry {
  const parsed = ScbEntrySchema.safeParse({ ...input, t: input.t ?? nowSeconds(now) });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new TypeError(
      `Invalid SCB entry: field "${issue.path.join(".")}": ${issue.message}`,
    );
  }
  return parsed.data;
}

/**
 * The stored directive entry, exactly as the platform's route stores it: text stripped, `ttl`
 * kept only when it is a whole non-negative number (`str(ttl).isdigit()`), else 15, actor
 * default "planner". In Redis mode this is what the agent writes itself.
 */
export function directiveEntry(d: ScbDirectiveInput, now = Date.now()): ScbEntry {
  const text = typeof d.text === "string" ? d.text.trim() : "";
  if (!text) throw new TypeError("Invalid SCB directive: 'text' is required");
  const ttl = d.ttl === undefined || !/^\d+$/.test(String(d.ttl)) ? 15 : Number(d.ttl);
  return { type: "directive", actor: d.actor ?? "planner", text, ttl, t: nowSeconds(now) };
}

/**
 * The platform's slice rule: newest first while the words of `text` fit `tokens`, returned
 * oldest first. As the Local API does it: the first entry that does not fit ends the slice, so
 * a newest entry longer than `tokens` gives none, and `tokens <= 0` gives only empty texts.
 * `newestFirst` is the Redis list order.
 */
export function sliceWindow(newestFirst: readonly ScbEntry[], tokens: number): ScbEntry[] {
  const out: ScbEntry[] = [];
  let remaining = Math.max(tokens, 0);
  for (const e of newestFirst) {
    const n = e.text.split(/\s+/).filter(Boolean).length;
    if (remaining - n < 0) break;
    out.push(e);
    remaining -= n;
  }
  return out.reverse();
}

/** Parses a stored JSON line; malformed lines (another writer's garbage) are skipped. */
export function parseStoredEntry(line: string): ScbEntry | undefined {
  try {
    const parsed = ScbEntrySchema.safeParse(JSON.parse(line));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
