/**
 * How much of BFCL's lost tool-search recall is near-duplicate tools. The pooled catalogue holds
 * several tools that do the same thing under different names (`get_current_weather`,
 * `current_weather_condition`, `weather.get`, ...), and each query names only one as gold. This
 * ranks BFCL's answered queries as `search_tools` does by default (keywords fused with the local
 * sentence encoder) and reports recall@5 twice: as labelled, and counting a returned tool as the
 * gold when the encoder puts their descriptions at cosine ≥ 0.8 (read by hand, pairs above 0.8
 * were the same function: weather, "U.S. president in a given year", binomial probability,
 * restaurant search; below it they start to differ). The misses are split into near-duplicate,
 * "nothing fits" (no result) and other. Run:
 *
 *   deno run -A --unstable-worker-options bench/tools_ceiling.ts [--json]
 */
import { type BfclData, DEFAULT_TOOLS_DATA, loadBfcl } from "../core/tools/bench_data.ts";
import { docText, HybridToolSearch, type TextEmbedder } from "../core/tools/hybrid_search.ts";
import { ToolSearch } from "../core/tools/tool_search.ts";
import { SentenceEncoder } from "../core/embedding/sentence_encoder.ts";
import { round } from "./stats.ts";
import { Precomputed } from "./tools_semantic_bench.ts";

/** Cosine of two tool descriptions above which the tools are taken to do the same thing. */
export const SAME_TOOL_COSINE = 0.8;

/** What the script reports. */
export interface CeilingResult {
  queries: number;
  recall_at_5: number;
  /** Counting a returned near-duplicate of a gold tool as that gold tool. */
  recall_at_5_near_duplicates: number;
  /** Shares of all queries' lost recall@5, by cause. */
  lost: { near_duplicate: number; nothing_fits: number; other: number };
}

/** Ranks BFCL's answered queries with `embedder` fused to keywords and scores both ways. */
export async function toolsCeiling(
  embedder: TextEmbedder,
  bfcl: Pick<BfclData, "catalog" | "queries">,
  log: (line: string) => void = () => {},
): Promise<CeilingResult> {
  const cached = new Precomputed(embedder);
  await cached.prepare([...bfcl.catalog.map(docText), ...bfcl.queries.map((q) => q.query)], log);
  const keyword = new ToolSearch();
  keyword.add(bfcl.catalog);
  const search = new HybridToolSearch(keyword, cached);
  await search.sync();
  const vectors = await cached.embed(bfcl.catalog.map(docText));
  const doc = new Map(bfcl.catalog.map((s, i) => [s.name, vectors[i]!]));
  const cosine = (a: string, b: string) => {
    const u = doc.get(a)!, v = doc.get(b)!;
    let s = 0;
    for (let i = 0; i < u.length; i++) s += u[i]! * v[i]!;
    return s;
  };
  let asLabelled = 0, withDuplicates = 0;
  const lost = { near_duplicate: 0, nothing_fits: 0, other: 0 };
  for (const q of bfcl.queries) {
    const top = (await search.search(q.query, 5)).map((h) => h.name);
    const denominator = Math.min(q.gold.length, 5);
    const found = q.gold.filter((g) => top.includes(g)).length;
    // Each returned tool stands in for at most one missing gold tool.
    const spare = top.filter((t) => !q.gold.includes(t));
    let near = 0;
    for (const g of q.gold.filter((g) => !top.includes(g))) {
      const i = spare.findIndex((t) => cosine(g, t) >= SAME_TOOL_COSINE);
      if (i >= 0) {
        spare.splice(i, 1);
        near++;
      }
    }
    asLabelled += found / denominator;
    withDuplicates += Math.min(found + near, denominator) / denominator;
    const missing = 1 - found / denominator;
    if (missing === 0) continue;
    const nearShare = Math.min(near, denominator - found) / denominator;
    lost.near_duplicate += nearShare;
    if (top.length === 0) lost.nothing_fits += missing;
    else lost.other += missing - nearShare;
  }
  const n = bfcl.queries.length;
  return {
    queries: n,
    recall_at_5: round(asLabelled / n),
    recall_at_5_near_duplicates: round(withDuplicates / n),
    lost: {
      near_duplicate: round(lost.near_duplicate / n),
      nothing_fits: round(lost.nothing_fits / n),
      other: round(lost.other / n),
    },
  };
}

if (import.meta.main) {
  const bfcl = await loadBfcl(DEFAULT_TOOLS_DATA);
  if (!bfcl) {
    console.error(`no BFCL data under ${DEFAULT_TOOLS_DATA}`);
    Deno.exit(1);
  }
  const encoder = new SentenceEncoder();
  try {
    const result = await toolsCeiling(encoder, bfcl, (l) => console.error(l));
    console.log(
      Deno.args.includes("--json") ? JSON.stringify(result) : JSON.stringify(result, null, 2),
    );
  } finally {
    encoder.close();
  }
}
