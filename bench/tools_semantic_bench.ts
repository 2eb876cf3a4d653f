/**
 * The semantic half of the tool-search benchmark: keyword search fused with an embedder (the
 * local sentence encoder, or word vectors; core/tools/hybrid_search.ts) on the tools-dev split.
 * Reports recall@1/@5 for BFCL and MetaTool (every 4th MetaTool query, to bound the encoding
 * time; held-out = odd-numbered queries, the keyword scale and the weights were chosen on the
 * even ones), the "nothing fits" trade-off of the
 * fit threshold on BFCL's irrelevance files, and latency at 10,000 tools with and without
 * the query's encoding. Texts are encoded once up front, with progress on `log`.
 */
import type { BfclData, LabelledQuery } from "../core/tools/bench_data.ts";
import {
  docText,
  type HybridOptions,
  HybridToolSearch,
  type TextEmbedder,
} from "../core/tools/hybrid_search.ts";
import { ToolSearch } from "../core/tools/tool_search.ts";
import type { ToolSpec } from "../core/tools/tool_spec.ts";
import { quantile, round } from "./stats.ts";
import { dedupeSpecs, type RecallFigures, recallFigures } from "./tool_recall.ts";

/** One point of the "nothing fits" trade-off (see HybridOptions.minFit). */
export interface FitPoint {
  min_fit: number;
  gold_kept: number;
  false_positive_irrelevance: number;
  false_positive_live_irrelevance: number;
}

/** What this part reports. */
export interface SemanticBenchResult {
  model: string;
  encode_ms_per_text: number;
  bfcl: RecallFigures;
  metatool: RecallFigures;
  fit_threshold: FitPoint[];
  latency_10000: {
    tools: number;
    /** Fusion over precomputed query vectors. */
    fuse_p50_ms: number;
    fuse_p95_ms: number;
    /** Encoding the query plus fusion: what one search_tools call costs. */
    search_p50_ms: number;
    search_p95_ms: number;
  };
}

/** Encodes each distinct text once (batched), then serves them from memory. */
export class Precomputed implements TextEmbedder {
  readonly model: string;
  readonly #inner: TextEmbedder;
  readonly #known = new Map<string, number[]>();
  encodedMs = 0;
  encoded = 0;
  constructor(inner: TextEmbedder) {
    this.#inner = inner;
    this.model = inner.model ?? "embedder";
  }
  async prepare(texts: string[], log: (l: string) => void): Promise<void> {
    const todo = [...new Set(texts)].filter((t) => !this.#known.has(t));
    const chunk = 512;
    for (let i = 0; i < todo.length; i += chunk) {
      const part = todo.slice(i, i + chunk);
      const t0 = performance.now();
      const vectors = await this.#inner.embed(part);
      this.encodedMs += performance.now() - t0;
      this.encoded += part.length;
      part.forEach((t, j) => this.#known.set(t, vectors[j]!));
      log(`encoded ${Math.min(i + chunk, todo.length)}/${todo.length} texts`);
    }
  }
  embed(texts: string[]): Promise<number[][]> {
    const missing = texts.filter((t) => !this.#known.has(t));
    if (missing.length) return this.#inner.embed(texts);
    return Promise.resolve(texts.map((t) => this.#known.get(t)!));
  }
  alias(text: string, as: string): void {
    const v = this.#known.get(as);
    if (v) this.#known.set(text, v);
  }
}

/** Fusion settings for one embedder and the fit thresholds to sweep. */
export interface SemanticBenchOptions {
  fusion?: Pick<HybridOptions, "weight" | "minFit" | "keywordScale">;
  /** minFit values for the "nothing fits" sweep; default 1.6 to 2.2. */
  fitPoints?: number[];
}

/** Runs the semantic part with `encoder` (e.g. the local SentenceEncoder). */
export async function semanticBenchmark(
  encoder: TextEmbedder,
  bfcl: BfclData,
  meta: { catalog: ToolSpec[]; queries: LabelledQuery[] },
  log: (line: string) => void,
  options: SemanticBenchOptions = {},
): Promise<SemanticBenchResult> {
  const fusion = options.fusion ?? {};
  const metaQueries = meta.queries.filter((_, i) => i % 4 === 0);
  const pool = dedupeSpecs([...bfcl.catalog, ...bfcl.irrelevantTools, ...meta.catalog]);
  const pre = new Precomputed(encoder);
  await pre.prepare([
    ...pool.map(docText),
    ...bfcl.queries.map((q) => q.query),
    ...metaQueries.map((q) => q.query),
    ...bfcl.irrelevance.map((q) => q.query),
  ], log);

  const searchOver = async (catalog: ToolSpec[], minFit?: number) => {
    const keyword = new ToolSearch();
    keyword.add(catalog);
    const hybrid = new HybridToolSearch(keyword, pre, minFit ? { ...fusion, minFit } : fusion);
    await hybrid.sync();
    return hybrid;
  };
  const bfclRecall = await recall(await searchOver(bfcl.catalog), bfcl.queries);
  const metaRecall = await recall(await searchOver(meta.catalog), metaQueries);

  log("fit threshold sweep (each BFCL query against its own candidate tools)");
  const byName = new Map(pool.map((s) => [s.name, s]));
  const own = (names: string[]) =>
    names.map((n) => byName.get(n)).filter((s): s is ToolSpec => !!s);
  const fit_threshold: FitPoint[] = [];
  for (const minFit of options.fitPoints ?? [1.6, 1.8, 2, 2.2]) {
    const found = async (names: string[], query: string, wanted?: string[]) => {
      const hits = await (await searchOver(own(names), minFit)).search(query, 5);
      return hits.some((h) => !wanted || wanted.includes(h.name));
    };
    const share = (xs: boolean[]) => round(xs.filter(Boolean).length / Math.max(1, xs.length));
    const gold: boolean[] = [], irr: boolean[] = [], live: boolean[] = [];
    for (const q of bfcl.queries) gold.push(await found(q.candidates ?? q.gold, q.query, q.gold));
    for (const q of bfcl.irrelevance) {
      (q.group === "irrelevance" ? irr : live).push(await found(q.tools, q.query));
    }
    fit_threshold.push({
      min_fit: minFit,
      gold_kept: share(gold),
      false_positive_irrelevance: share(irr),
      false_positive_live_irrelevance: share(live),
    });
  }

  log("latency at 10000 tools (padded copies reuse their original's vector)");
  const specs = [...pool];
  for (let copy = 2; specs.length < 10_000; copy++) {
    for (const s of pool) {
      if (specs.length >= 10_000) break;
      const c = { ...s, name: `${s.name}_v${copy}` };
      pre.alias(docText(c), docText(s));
      specs.push(c);
    }
  }
  const keyword = new ToolSearch();
  keyword.add(specs);
  const fused = new HybridToolSearch(keyword, pre, fusion);
  const live = new HybridToolSearch(keyword, {
    model: pre.model,
    embed: (texts, kind) => kind === "query" ? encoder.embed(texts, kind) : pre.embed(texts),
  }, fusion);
  await fused.sync();
  await live.sync();
  const sample = bfcl.queries.filter((_, i) => i % 12 === 0).slice(0, 200);
  const fuse: number[] = [], full: number[] = [];
  for (const q of sample) {
    let t = performance.now();
    await fused.search(q.query, 5);
    fuse.push(performance.now() - t);
    t = performance.now();
    await live.search(q.query, 5);
    full.push(performance.now() - t);
  }
  return {
    model: pre.model,
    encode_ms_per_text: round(pre.encodedMs / Math.max(1, pre.encoded), 2),
    bfcl: bfclRecall,
    metatool: metaRecall,
    fit_threshold,
    latency_10000: {
      tools: specs.length,
      fuse_p50_ms: round(quantile(fuse, 0.5)),
      fuse_p95_ms: round(quantile(fuse, 0.95)),
      search_p50_ms: round(quantile(full, 0.5)),
      search_p95_ms: round(quantile(full, 0.95)),
    },
  };
}

async function recall(search: HybridToolSearch, queries: LabelledQuery[]): Promise<RecallFigures> {
  const ranked: string[][] = [];
  for (const q of queries) ranked.push((await search.search(q.query, 5)).map((h) => h.name));
  return recallFigures(queries, ranked);
}
