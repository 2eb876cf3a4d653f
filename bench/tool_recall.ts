/**
 * Recall of ranked tool names against labelled queries, shared by the keyword and the semantic
 * tool-search benchmarks: recall@k = |gold ∩ top k| / min(|gold|, k), averaged, on all queries
 * and on the odd-numbered half (held out when settings are chosen on the even-numbered one).
 */
import type { LabelledQuery } from "../core/tools/bench_data.ts";
import type { ToolSpec } from "../core/tools/tool_spec.ts";
import { round } from "./stats.ts";

/** recall@1 and @5 over a query set, and on its held-out half. */
export interface RecallFigures {
  queries: number;
  recall_at_1: number;
  recall_at_5: number;
  held_out: { queries: number; recall_at_1: number; recall_at_5: number };
}

/** Figures for `ranked[i]`, the names returned (best first) for `queries[i]`. */
export function recallFigures(queries: LabelledQuery[], ranked: string[][]): RecallFigures {
  const r1 = queries.map((q, i) => (q.gold.includes(ranked[i]![0] ?? "\0") ? 1 : 0));
  const r5 = queries.map((q, i) => {
    const top = ranked[i]!.slice(0, 5);
    return q.gold.filter((g) => top.includes(g)).length / Math.min(q.gold.length, 5);
  });
  const mean = (xs: number[]) => round(xs.reduce((a, b) => a + b, 0) / Math.max(xs.length, 1));
  const odd = <T>(xs: T[]) => xs.filter((_, i) => i % 2 === 1);
  return {
    queries: queries.length,
    recall_at_1: mean(r1),
    recall_at_5: mean(r5),
    held_out: {
      queries: odd(queries).length,
      recall_at_1: mean(odd(r1)),
      recall_at_5: mean(odd(r5)),
    },
  };
}

/** The first spec of each name. */
export function dedupeSpecs(specs: ToolSpec[]): ToolSpec[] {
  const seen = new Map<string, ToolSpec>();
  for (const s of specs) if (!seen.has(s.name)) seen.set(s.name, s);
  return [...seen.values()];
}
