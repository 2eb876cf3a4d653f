/**
 * What a cycle showed the model, kept with its record for the console and `/api/cycles`: each
 * section of the context (SCB summary, SCB window, viewer chat, goals and facts, memories, recent
 * actions, variety notes) with the origin of every piece of text (who wrote it, and whether it is
 * the agent's own, an operator's, the platform's or a viewer's), bounded in size.
 */
import type { CycleContext } from "./cycle_context.ts";

/** One piece of text and where it came from. */
export interface ContextItem {
  origin: string;
  text: string;
  /** A memory's search score, a fact's trust, ... */
  note?: string;
}

/** One titled section of the context. */
export interface ContextSection {
  title: string;
  items: ContextItem[];
}

/** Longest text kept per item. */
const MAX_TEXT = 500;

/** The sections of `context`, in the order the prompt shows them. */
export function contextSections(context: CycleContext): ContextSection[] {
  const clip = (t: string) => (t.length > MAX_TEXT ? `${t.slice(0, MAX_TEXT)}…` : t);
  const sections: ContextSection[] = [];
  const add = (title: string, items: ContextItem[]) => {
    if (items.length) {
      sections.push({ title, items: items.map((i) => ({ ...i, text: clip(i.text) })) });
    }
  };
  if (context.scb?.summary) {
    add("SCB summary", [{ origin: "platform summarizer", text: context.scb.summary }]);
  }
  add(
    "SCB window",
    (context.scb?.window ?? []).map((e) => ({ origin: `${e.type} by ${e.actor}`, text: e.text })),
  );
  add("Viewer chat", context.chat.map((e) => ({ origin: `viewer ${e.actor}`, text: e.text })));
  add(
    "Goals and facts",
    context.facts.map((m) => ({
      origin: factOrigin(m.metadata, m.content.speaker),
      text: m.content.text,
      ...(typeof m.metadata.trust === "string" ? { note: `trust: ${m.metadata.trust}` } : {}),
    })),
  );
  add(
    "Relevant memories",
    context.memories.map((h) => ({
      origin: `memory (${h.memory.type}${
        h.memory.content.speaker ? `, ${h.memory.content.speaker}` : ""
      })`,
      text: h.memory.content.text,
      note: `score ${h.score.toFixed(3)}${h.archived ? ", archived" : ""}`,
    })),
  );
  add("Recent actions", context.recentActions.map((t) => ({ origin: "the agent", text: t })));
  add("Variety notes", context.varietyNotes.map((t) => ({ origin: "the loop's rules", text: t })));
  return sections;
}

function factOrigin(metadata: Record<string, unknown>, speaker: string | undefined): string {
  const source = metadata.source ?? metadata.origin;
  return [typeof source === "string" ? source : "fact", speaker].filter(Boolean).join(", ");
}
