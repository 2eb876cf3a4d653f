/**
 * The tool-search benchmark on ../shared/bench-data/tools-dev (BFCL v4, MetaTool): recall@1 and
 * recall@5 per BFCL category and for MetaTool, the "nothing fits" trade-off on BFCL's
 * irrelevance files, and search latency at 1,000 and 10,000 tools; then the same recall, trade-off
 * and latency for keywords fused with word vectors (`words`) and, when an encoder is given, with
 * the sentence encoder (`semantic`). `searchToolsBenchmark` returns the figures; `deno task cli
 * tools bench` prints them. Skips when the data is absent.
 */
import {
  BFCL_ANSWERED,
  DEFAULT_TOOLS_DATA,
  type LabelledQuery,
  loadBfcl,
  loadMetaTool,
} from "../core/tools/bench_data.ts";
import { SentenceEncoder } from "../core/embedding/sentence_encoder.ts";
import { renderSignature } from "../core/tools/signature.ts";
import { DEFAULT_MIN_SCORE, ToolSearch } from "../core/tools/tool_search.ts";
import type { ToolSpec } from "../core/tools/tool_spec.ts";
import type { TextEmbedder } from "../core/tools/hybrid_search.ts";
import { WORD_VECTOR_FUSION } from "../core/tools/tool_embedder.ts";
import { WordVectorEmbedder } from "../core/tools/word_vector_embedder.ts";
import { semanticBenchmark, type SemanticBenchResult } from "./tools_semantic_bench.ts";
import { dedupeSpecs, recallFigures } from "./tool_recall.ts";

/** Options of {@link searchToolsBenchmark}. */
export interface ToolsBenchOptions {
  /** Folder holding bfcl/ and metatool/; default ../shared/bench-data/tools-dev. */
  dataDir?: string;
  /** Catalogue sizes for latency; default [1000, 10000]. */
  sizes?: number[];
  /** Timed queries per size; default 500. */
  queries?: number;
  /** Relevance threshold applied to recall; default the search default. */
  minScore?: number;
  log?: (line: string) => void;
  /** Also measure keyword + embedding fusion with this encoder (see tools_semantic_bench.ts). */
  semantic?: TextEmbedder;
  /** Measure keyword + word-vector fusion (TOOL_SEARCH_EMBEDDER=words); default true. */
  words?: boolean;
}

/** Recall over a query set. recall@k = |gold ∩ top k| / min(|gold|, k), averaged. */
export interface Recall {
  queries: number;
  recall_at_1: number;
  recall_at_5: number;
  /** recall@5 with the relevance threshold off (what ranking alone achieves). */
  recall_at_5_no_threshold: number;
  /**
   * The same on the odd-numbered queries only. Expansion settings were chosen on the
   * even-numbered ones, so this half is held out from that choice (field weights and the
   * threshold predate the split and were set on all of it).
   */
  held_out: { queries: number; recall_at_1: number; recall_at_5: number };
}

/**
 * One point of the threshold trade-off. BFCL figures take each query against its own candidate
 * tools (BFCL's setting, the only one where "nothing fits" is known to be right); the MetaTool
 * figure is the pooled recall@5 that survives the threshold.
 */
export interface ThresholdPoint {
  min_score: number;
  /** Share of answered BFCL queries whose gold tool is still returned. */
  gold_kept: number;
  /** gold_kept on the odd-numbered queries (held out when choosing a threshold on the even). */
  gold_kept_held_out: number;
  /** Share of `irrelevance` queries that still get a (wrong) tool. */
  false_positive_irrelevance: number;
  /** Same on `live_irrelevance`. */
  false_positive_live_irrelevance: number;
  /** MetaTool recall@5 (199 pooled tools) with this threshold. */
  metatool_recall_at_5: number;
}

/** Latency at one catalogue size. */
export interface LatencyPoint {
  tools: number;
  /** Entries added by duplicating pool entries under new names to reach `tools`. */
  padded: number;
  build_ms: number;
  search_p50_ms: number;
  search_p95_ms: number;
  /** search + rendering the top 5 as TypeScript declarations. */
  search_and_render_p95_ms: number;
}

/** Everything the benchmark reports (or why it was skipped). */
export interface ToolsBenchResult {
  skipped?: string;
  min_score: number;
  bfcl?: {
    catalog: number;
    overall: Recall;
    /** Ablation: keywords only, no related-word expansion. */
    keywords_only: Recall;
    by_category: Record<string, Recall>;
  };
  metatool?: {
    catalog: number;
    keywords_only: Recall;
    /** multi_tool_query_golden.json: queries needing 2+ tools (recall@5 needs all of them). */
    multi_tool: Recall;
  } & Recall;
  threshold?: ThresholdPoint[];
  latency?: LatencyPoint[];
  /** Keyword + sentence-encoder fusion (what search_tools uses by default). */
  semantic?: SemanticBenchResult;
  /** Keyword + averaged word vectors (TOOL_SEARCH_EMBEDDER=words): the fast semantic side. */
  words?: SemanticBenchResult;
}

/** Runs every part; returns `{skipped}` when the data folder is missing. */
export async function searchToolsBenchmark(
  options: ToolsBenchOptions = {},
): Promise<ToolsBenchResult> {
  const dir = options.dataDir ?? DEFAULT_TOOLS_DATA;
  const log = options.log ?? (() => {});
  const minScore = options.minScore ?? DEFAULT_MIN_SCORE;
  const bfcl = await loadBfcl(dir);
  const meta = await loadMetaTool(dir);
  if (!bfcl || !meta) {
    return {
      skipped: `tool benchmark data not found in "${dir}" (needs bfcl/ and metatool/)`,
      min_score: minScore,
    };
  }
  log(`BFCL: ${bfcl.catalog.length} tools, ${bfcl.queries.length} queries`);
  const bfclSearch = new ToolSearch({ minScore });
  bfclSearch.add(bfcl.catalog);
  const by_category: Record<string, Recall> = {};
  for (const cat of BFCL_ANSWERED) {
    by_category[cat] = recall(bfclSearch, bfcl.queries.filter((q) => q.group === cat));
  }
  const overall = recall(bfclSearch, bfcl.queries);
  const plain = (catalog: ToolSpec[]) => {
    const s = new ToolSearch({ minScore, relatedWords: null });
    s.add(catalog);
    return s;
  };
  const bfclKeywordsOnly = recall(plain(bfcl.catalog), bfcl.queries);
  log(`MetaTool: ${meta.catalog.length} tools, ${meta.queries.length} queries`);
  const metaSearch = new ToolSearch({ minScore });
  metaSearch.add(meta.catalog);
  const metaRecall = recall(metaSearch, meta.queries);
  const metaKeywordsOnly = recall(plain(meta.catalog), meta.queries);
  const metaMulti = recall(metaSearch, meta.multi);

  log("threshold sweep (each query against its own candidate tools)");
  const metaGold = meta.queries.map((q) => goldScores(metaSearch, q));
  const threshold = sweep(bfcl, metaGold, [0, 2, 4, 5, 6, 7, 8, 9, 10, 12, 14, 16, 20]);

  const pool = dedupeSpecs([...bfcl.catalog, ...bfcl.irrelevantTools, ...meta.catalog]);
  const latencyQueries = sample([...bfcl.queries, ...meta.queries], options.queries ?? 500);
  const latency: LatencyPoint[] = [];
  for (const size of options.sizes ?? [1000, 10000]) {
    log(`latency at ${size} tools`);
    latency.push(measureLatency(pool, size, latencyQueries, minScore));
  }
  const semantic = options.semantic
    ? await semanticBenchmark(options.semantic, bfcl, meta, log)
    : undefined;
  log("keyword + word vectors");
  const words = options.words === false ? undefined : await semanticBenchmark(
    new WordVectorEmbedder(),
    bfcl,
    meta,
    log,
    { fusion: WORD_VECTOR_FUSION },
  );
  return {
    min_score: minScore,
    ...(semantic ? { semantic } : {}),
    ...(words ? { words } : {}),
    bfcl: {
      catalog: bfcl.catalog.length,
      overall,
      keywords_only: bfclKeywordsOnly,
      by_category,
    },
    metatool: {
      catalog: meta.catalog.length,
      ...metaRecall,
      keywords_only: metaKeywordsOnly,
      multi_tool: metaMulti,
    },
    threshold,
    latency,
  };
}

function recall(search: ToolSearch, queries: LabelledQuery[]): Recall {
  const raw = queries.map((q) => search.search(q.query, 5, 0));
  const kept = raw.map((hits) => hits.filter((h) => h.score >= search.minScore).map((h) => h.name));
  const all = recallFigures(queries, raw.map((hits) => hits.map((h) => h.name)));
  const { held_out, ...figures } = recallFigures(queries, kept);
  return { ...figures, recall_at_5_no_threshold: all.recall_at_5, held_out };
}

/** BFCL's own setting: each question against only the functions it came with. */
function sweep(
  bfcl: NonNullable<Awaited<ReturnType<typeof loadBfcl>>>,
  metaGold: number[][],
  points: number[],
) {
  const byName = new Map(
    dedupeSpecs([...bfcl.catalog, ...bfcl.irrelevantTools]).map((s) => [s.name, s]),
  );
  const topScore = (names: string[], query: string, wanted?: string[]) => {
    const s = new ToolSearch();
    s.add(names.map((n) => byName.get(n)).filter((x): x is ToolSpec => !!x));
    const hits = s.search(query, 5, 0).filter((h) => !wanted || wanted.includes(h.name));
    return hits[0]?.score ?? -1;
  };
  const gold = bfcl.queries.map((q) => topScore(q.candidates ?? q.gold, q.query, q.gold));
  const irr = bfcl.irrelevance.map((q) => ({ group: q.group, score: topScore(q.tools, q.query) }));
  const share = (xs: number[], t: number) =>
    fix(xs.filter((x) => x >= 0 && x >= t).length / Math.max(xs.length, 1));
  const metaRecall = (t: number) =>
    fix(
      metaGold.reduce((sum, g) => sum + g.filter((x) => x >= t).length / g.length, 0) /
        Math.max(metaGold.length, 1),
    );
  return points.map((t): ThresholdPoint => ({
    min_score: t,
    gold_kept: share(gold, t),
    gold_kept_held_out: share(gold.filter((_, i) => i % 2 === 1), t),
    false_positive_irrelevance: share(
      irr.filter((x) => x.group === "irrelevance").map((x) => x.score),
      t,
    ),
    false_positive_live_irrelevance: share(
      irr.filter((x) => x.group === "live_irrelevance").map((x) => x.score),
      t,
    ),
    metatool_recall_at_5: metaRecall(t),
  }));
}

/** Per gold tool: its score when in the top 5 without a threshold, else -1. */
function goldScores(search: ToolSearch, q: LabelledQuery): number[] {
  const hits = search.search(q.query, 5, 0);
  const slots = Math.min(q.gold.length, 5);
  const scores = q.gold.map((g) => hits.find((h) => h.name === g)?.score ?? -1);
  return scores.sort((a, b) => b - a).slice(0, slots);
}

function measureLatency(
  pool: ToolSpec[],
  size: number,
  queries: LabelledQuery[],
  minScore: number,
): LatencyPoint {
  const specs = pool.slice(0, size);
  for (let copy = 2; specs.length < size; copy++) {
    for (const s of pool) {
      if (specs.length >= size) break;
      specs.push({ ...s, name: `${s.name}_v${copy}` });
    }
  }
  const padded = Math.max(0, size - pool.length);
  const search = new ToolSearch({ minScore });
  const t0 = performance.now();
  search.add(specs);
  const build_ms = performance.now() - t0;
  for (const q of queries.slice(0, 50)) search.search(q.query, 5); // warm-up
  const times: number[] = [];
  const withRender: number[] = [];
  for (const q of queries) {
    const a = performance.now();
    const hits = search.search(q.query, 5);
    const b = performance.now();
    hits.map((h) => renderSignature(h.spec)).join("\n\n");
    withRender.push(performance.now() - a);
    times.push(b - a);
  }
  return {
    tools: size,
    padded,
    build_ms: fix(build_ms, 1),
    search_p50_ms: fix(pct(times, 0.5)),
    search_p95_ms: fix(pct(times, 0.95)),
    search_and_render_p95_ms: fix(pct(withRender, 0.95)),
  };
}

/** Every (n/count)-th item: deterministic, spread over all groups. */
function sample<T>(items: T[], count: number): T[] {
  if (items.length <= count) return items;
  const step = items.length / count;
  return Array.from({ length: count }, (_, i) => items[Math.floor(i * step)]!);
}

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? 0;
}

function fix(x: number, digits = 3): number {
  return Number(x.toFixed(digits));
}

if (import.meta.main) {
  const json = Deno.args.includes("--json");
  const encoder = Deno.args.includes("--no-embed") ? undefined : new SentenceEncoder();
  try {
    const result = await searchToolsBenchmark({
      ...(json ? {} : { log: (l: string) => console.error(l) }),
      ...(encoder ? { semantic: encoder } : {}),
    });
    console.log(JSON.stringify(result, null, 2));
  } finally {
    encoder?.close();
  }
}
