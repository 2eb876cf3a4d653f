/**
 * What the model sees at the start of a decision cycle: the SCB summary and window, the recent
 * viewer chat, the agent's latest goals and strategy facts, relevant memories, its recent
 * actions and the variety notes. Each source is read with a time bound; a source that fails is
 * left out and named in `errors`, so a broken SCB or database never stops the cycle.
 */
import { inSpan } from "../telemetry/tracing.ts";
import type { ChatMessage } from "../model/types.ts";
import type { Memory, SearchHit } from "../memory/types.ts";
import type { PlatformMemory } from "./platform_services.ts";
import type { ScbEntry, ScbService, ScbSlice } from "./scb_entry.ts";

/** The inputs of one cycle. */
export interface CycleContext {
  cycle: number;
  agentName: string;
  now: Date;
  scb?: ScbSlice | undefined;
  chat: ScbEntry[];
  facts: Memory[];
  memories: SearchHit[];
  recentActions: string[];
  varietyNotes: string[];
  /** Sources that could not be read, with the reason. */
  errors: string[];
}

/** Where the context comes from. */
export interface ContextSources {
  agentName: string;
  scb?: ScbService | undefined;
  memory?: PlatformMemory | undefined;
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
  return {
    cycle,
    agentName: src.agentName,
    now: new Date(),
    scb,
    chat: scb?.window.filter((e) => e.actor === "user").slice(-10) ?? [],
    facts: facts ?? [],
    memories: memories ?? [],
    recentActions: history.recent,
    varietyNotes: history.notes,
    errors,
  };
}

/** The system prompt and the context message for a tool-calling model. */
export function contextMessages(c: CycleContext): ChatMessage[] {
  const system = [
    `You are ${c.agentName}, the autonomous manager of a VTuber live stream.`,
    "Each cycle you read the stream's state and choose zero or more actions with the tools:",
    "speak through the avatar, post SCB updates, record goals and insights, research topics.",
    "Prefer one or two well-chosen actions; keep speech short and natural. Vary your actions.",
    "When there is nothing useful to do, reply briefly without calling a tool.",
  ].join("\n");
  const goals = c.facts.filter((f) => ["goal", "strategy"].includes(String(f.content.type)));
  const others = c.facts.filter((f) => !goals.includes(f));
  const lines = [
    `Cycle ${c.cycle} at ${c.now.toISOString()}.`,
    section("SCB summary", c.scb?.summary ? [c.scb.summary] : []),
    section("Blackboard (oldest first)", (c.scb?.window ?? []).slice(-15).map(entryLine)),
    section("Recent viewer chat", c.chat.map((e) => e.text)),
    section("Goals and strategy", goals.map(factLine)),
    section("Other context", others.slice(0, 8).map(factLine)),
    section(
      "Relevant memories",
      c.memories.map((h) => String(h.memory.content.text).slice(0, 200)),
    ),
    section("Your recent actions", c.recentActions.length ? [c.recentActions.join(", ")] : []),
    section("Variety notes", c.varietyNotes),
    section("Unavailable this cycle", c.errors),
  ].filter(Boolean);
  return [{ role: "system", content: system }, { role: "user", content: lines.join("\n\n") }];
}

function section(title: string, items: string[]): string {
  return items.length ? `## ${title}\n${items.map((i) => `- ${i}`).join("\n")}` : "";
}

function entryLine(e: ScbEntry): string {
  return `[${e.type}/${e.actor}] ${e.text.slice(0, 200)}`;
}

function factLine(f: Memory): string {
  const c = f.content as Record<string, unknown>;
  return `(${c.type ?? "fact"}, ${c.importance ?? "medium"}) ${String(c.text).slice(0, 200)}`;
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const t = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}
