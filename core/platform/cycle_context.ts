/**
 * What the model sees at the start of a decision cycle: the SCB summary and the blackboard
 * entries no earlier cycle showed (the agent's own speech and directives coming back are left
 * out), the new viewer chat, the agent's verified goals and strategy facts, relevant
 * memories, its recent actions and the variety notes. Each source is read with a time bound; a
 * source that fails is left out and named in `errors`, so a broken SCB or database never stops
 * the cycle. Everything others wrote is quoted and labelled by origin (core/untrusted.ts), and
 * `taint` names what untrusted text is new in this cycle (issue 14.6).
 */
import { inSpan } from "../telemetry/tracing.ts";
import type { ChatMessage } from "../model/types.ts";
import type { Memory, SearchHit } from "../memory/types.ts";
import { quoteUntrusted, UNTRUSTED_NOTE } from "../untrusted.ts";
import type { PlatformMemory } from "./platform_services.ts";
import type { ScbEntry, ScbService, ScbSlice } from "./scb_entry.ts";
import { ScbLedger } from "./scb_ledger.ts";

/** The avatar's own actors: its speech is shown (quoted) but is not viewer text. */
export const AVATAR_ACTORS = new Set(["vtuber", "vtuber_autonomous"]);

/** The inputs of one cycle. */
export interface CycleContext {
  cycle: number;
  agentName: string;
  now: Date;
  scb?: ScbSlice | undefined;
  /** Blackboard entries no earlier cycle showed, without the agent's own echoes. */
  entries: ScbEntry[];
  /** The summary's lines (own speech dropped), `fresh` when no earlier cycle saw them. */
  summary: Array<{ line: string; fresh: boolean }>;
  /** New viewer chat lines (among `entries`). */
  chat: ScbEntry[];
  /** Verified facts (goals, strategy, ...), newest first. */
  facts: Memory[];
  /**
   * Facts written in cycles that showed untrusted text, awaiting an operator's confirmation: not
   * shown to the model (they would taint every cycle), listed by `cli memory unverified`.
   */
  unverified: Memory[];
  memories: SearchHit[];
  recentActions: string[];
  varietyNotes: string[];
  /** Sources that could not be read, with the reason. */
  errors: string[];
  /** Origins of untrusted text new in this cycle; empty when nothing from others reached it. */
  taint: string[];
}

/** Where the context comes from. */
export interface ContextSources {
  agentName: string;
  scb?: ScbService | undefined;
  memory?: PlatformMemory | undefined;
  /** What earlier cycles showed and what the agent itself wrote; default: a fresh one. */
  ledger?: ScbLedger | undefined;
  /** Per-source time bound; default 5 s. */
  timeoutMs?: number;
  scbTokens?: number;
}

/** Reads every source in parallel, each bounded. */
export async function gatherContext(
  src: ContextSources,
  cycle: number,
  history: { recent: string[]; notes: string[] },
): Promise<CycleContext> {
  const errors: string[] = [];
  // One `context <source>` span per source (core/telemetry/tracing.ts).
  const bound = <T>(what: string, p: Promise<T> | undefined): Promise<T | undefined> =>
    p === undefined ? Promise.resolve(undefined) : inSpan(
      `context ${what}`,
      { "autoliza.context.source": what },
      () => withTimeout(p, src.timeoutMs ?? 5_000),
    ).catch((e) => void errors.push(`${what}: ${(e as Error).message}`));
  const scb = await bound("scb", src.scb?.slice(src.scbTokens ?? 600));
  const query = [scb?.summary, ...(scb?.window.slice(-5).map((e) => e.text) ?? [])]
    .filter(Boolean).join(" ").slice(0, 500) || "stream audience engagement";
  const [facts, memories] = await Promise.all([
    bound("facts", src.memory?.latestFacts({ limit: 20 })),
    // No `type` filter: with one, the store's search leaves the HNSW index (130 ms vs 10 ms at
    // 10k rows, measured); facts and messages are relevant memories too.
    bound("memories", src.memory?.search({ text: query, limit: 5 })),
  ]);
  const ledger = src.ledger ?? new ScbLedger();
  const entries = ledger.fresh(scb?.window ?? []).filter((e) => !ledger.isOwn(e));
  const chat = entries.filter((e) => e.type === "event" && e.actor === "user");
  const summary = ledger.summaryLines(scb?.summary ?? "");
  const unverified = (facts ?? []).filter(isUnverified);
  const taint = new Set<string>();
  if (chat.length) taint.add("viewer chat");
  for (const e of entries) {
    if (!chat.includes(e) && !AVATAR_ACTORS.has(e.actor)) taint.add(`scb:${e.actor}`);
  }
  if (summary.some((l) => l.fresh && !/^AI: /.test(l.line))) taint.add("scb summary");
  // Unverified notes stay out of the prompt until confirmed, relevant or not.
  const relevant = (memories ?? []).filter((h) => !isUnverified(h.memory));
  if (relevant.some((h) => h.memory.metadata.untrusted)) taint.add("memory");
  return {
    cycle,
    agentName: src.agentName,
    now: new Date(),
    scb,
    entries,
    summary,
    chat: chat.slice(-10),
    facts: (facts ?? []).filter((f) => !isUnverified(f)),
    unverified,
    memories: relevant,
    recentActions: history.recent,
    varietyNotes: history.notes,
    errors,
    taint: [...taint],
  };
}

/** A fact written in a cycle that showed untrusted text, not yet confirmed. */
export function isUnverified(f: Memory): boolean {
  return f.content.type === "unverified" || f.metadata.unverified === true;
}

/** The system prompt and the context message for a tool-calling model. */
export function contextMessages(c: CycleContext): ChatMessage[] {
  const system = [
    `You are ${c.agentName}, the autonomous manager of a VTuber live stream.`,
    "Each cycle you read the stream's state and choose zero or more actions with the tools:",
    "speak through the avatar, post SCB updates, record goals and insights, research topics.",
    "Prefer one or two well-chosen actions; keep speech short and natural. Vary your actions.",
    "When there is nothing useful to do, reply briefly without calling a tool.",
    UNTRUSTED_NOTE,
  ].join("\n");
  const goals = c.facts.filter((f) => ["goal", "strategy"].includes(String(f.content.type)));
  const others = c.facts.filter((f) => !goals.includes(f));
  const lines = [
    `Cycle ${c.cycle} at ${c.now.toISOString()}.`,
    section(
      "SCB summary (the avatar's digest)",
      c.summary.map((l) => quoteUntrusted(l.line, "scb summary")),
    ),
    section(
      "Blackboard, new since the last cycle (oldest first)",
      c.entries.filter((e) => !c.chat.includes(e)).slice(-15).map(entryLine),
    ),
    section("Recent viewer chat", c.chat.map((e) => quoteUntrusted(e.text, "viewer"))),
    section("Goals and strategy", goals.map(factLine)),
    section("Other context", others.slice(0, 8).map(factLine)),
    section(
      "Relevant memories",
      c.memories.map((h) => quoteUntrusted(h.memory.content.text, "memory", 200)),
    ),
    section("Your recent actions", c.recentActions.length ? [c.recentActions.join(", ")] : []),
    section("Variety notes", c.varietyNotes),
    section("Unavailable this cycle", c.errors.map((e) => quoteUntrusted(e, "error", 200))),
  ].filter(Boolean);
  return [{ role: "system", content: system }, { role: "user", content: lines.join("\n\n") }];
}

function section(title: string, items: string[]): string {
  return items.length ? `## ${title}\n${items.map((i) => `- ${i}`).join("\n")}` : "";
}

function entryLine(e: ScbEntry): string {
  return quoteUntrusted(e.text, `scb:${e.type}/${e.actor}`, 200);
}

/** A verified fact: written by this agent or the old one; quoted so it keeps to one line. */
function factLine(f: Memory): string {
  const c = f.content as Record<string, unknown>;
  const text = String(c.text).slice(0, 200);
  return `(${String(c.type ?? "fact").slice(0, 20)}, ${
    String(c.importance ?? "medium").slice(0, 10)
  }) ${JSON.stringify(text)}`;
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const t = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}
