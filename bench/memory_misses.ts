/**
 * Why LoCoMo questions miss: runs the memory bench's recall (offline embedder) and splits the
 * questions missed at 10 into those that share no content word with any of their evidence turns
 * (stop words and the speakers' names aside, after the stemmer search uses) and those that
 * share some. A lexical retriever can reach the first kind only through a neighbouring turn,
 * so their count bounds what lexical tuning can still win. Run:
 *
 *   deno run -A bench/memory_misses.ts [--backend pglite|postgres] [--json]
 *
 * (postgres needs DATABASE_URL). Prints the counts and, without --json, the missed questions.
 */
import { parseArgs } from "node:util";
import type { LocomoConversation, LocomoQuestion } from "../core/memory/locomo.ts";
import { isStopword, stem, words } from "../core/memory/text_features.ts";
import { runMemoryBench } from "./memory_bench.ts";

/** The content words (stems) a question shares with its best-matching evidence turn. */
export function sharedWords(conv: LocomoConversation, q: LocomoQuestion): string[] {
  const names = new Set(conv.turns.map((t) => stem(t.speaker.toLowerCase())));
  const content = (text: string) =>
    new Set(words(text).filter((w) => !isStopword(w)).map(stem).filter((s) => !names.has(s)));
  const asked = content(q.question);
  let best: string[] = [];
  for (const id of q.evidence) {
    const turn = conv.turns.find((t) => t.diaId === id);
    if (!turn) continue;
    const said = content(turn.plain.slice(turn.speaker.length + 1));
    const shared = [...asked].filter((s) => said.has(s));
    if (shared.length > best.length) best = shared;
  }
  return best;
}

/** A missed question and what it shares with its evidence. */
export interface Miss {
  question: string;
  category: number;
  shared: string[];
}

/** Counts of the split (see the file doc). */
export interface MissReport {
  questions: number;
  missed_at_10: number;
  no_shared_word: number;
  shared_word: number;
  misses: Miss[];
}

/** Runs the bench's recall (no latency part) and classifies each miss. */
export async function memoryMisses(
  locomo: string,
  backend: "pglite" | "postgres",
  databaseUrl?: string,
): Promise<MissReport> {
  const misses: Miss[] = [];
  const recall = await runMemoryBench({
    locomo,
    backend,
    ...(databaseUrl ? { databaseUrl } : {}),
    sizes: [],
    log: (l) => console.error(l),
    onQuestion: (conv, q, hit) => {
      if (!hit) {
        misses.push({ question: q.question, category: q.category, shared: sharedWords(conv, q) });
      }
    },
  });
  const none = misses.filter((m) => m.shared.length === 0).length;
  return {
    questions: recall.questions,
    missed_at_10: misses.length,
    no_shared_word: none,
    shared_word: misses.length - none,
    misses,
  };
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: { backend: { type: "string", default: "pglite" }, json: { type: "boolean" } },
  });
  if (values.backend !== "pglite" && values.backend !== "postgres") {
    console.error(`--backend must be pglite or postgres, got ${values.backend}`);
    Deno.exit(2);
  }
  const locomo = new URL("../../shared/bench-data/locomo-dev/locomo_dev.json", import.meta.url)
    .pathname;
  const report = await memoryMisses(locomo, values.backend, Deno.env.get("DATABASE_URL"));
  const { misses, ...counts } = report;
  if (values.json) console.log(JSON.stringify(counts));
  else {
    for (const m of misses) {
      console.log(`[${m.category}] ${m.question}  shared: ${m.shared.join(", ") || "-"}`);
    }
    console.log(JSON.stringify(counts, null, 2));
  }
}
