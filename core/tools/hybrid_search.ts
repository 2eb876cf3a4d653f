/**
 * Optional semantic tool search: when an embedding model is configured, fuse BM25F with cosine
 * similarity of embeddings (reciprocal-rank fusion) so paraphrases ("find me a flat" → a
 * house-renting tool) are found. Keyword search stays the base: exact names still come first,
 * and a hit is kept only if BM25 or the embedding clears its threshold. Vectors are cached by
 * tool text, so `sync()` after a reload embeds only new or edited tools.
 */
import type { ToolHit } from "./tool_search.ts";
import { parameterText, type ToolSpec } from "./tool_spec.ts";

/** Structural match for core/memory's Embedder: texts in, vectors out. */
export interface TextEmbedder {
  embed(texts: string[], kind?: "document" | "query"): Promise<number[][]>;
}

/** The keyword side: a {@link ToolRegistry} or a {@link ToolSearch} both fit. */
export interface KeywordSource {
  search(query: string, k?: number, minScore?: number): ToolHit[];
  spec(name: string): ToolSpec | undefined;
  specs(): ToolSpec[];
  readonly minScore?: number;
}

/** Tuning for {@link HybridToolSearch}. */
export interface HybridOptions {
  /** Cosine similarity at which an embedding-only hit is kept (default 0.5; model dependent). */
  minCosine?: number;
  /** BM25 score at which a keyword hit is kept (default: the source's threshold, else 6). */
  minScore?: number;
  /** Candidates taken from each side before fusion (default 50). */
  depth?: number;
  /** RRF constant (default 60). */
  rrfK?: number;
}

/** BM25F + embeddings, fused by reciprocal rank. */
export class HybridToolSearch {
  readonly #source: KeywordSource;
  readonly #embedder: TextEmbedder;
  readonly #opts: Required<HybridOptions>;
  readonly #vectors = new Map<string, { text: string; vector: number[] }>();

  constructor(source: KeywordSource, embedder: TextEmbedder, options: HybridOptions = {}) {
    this.#source = source;
    this.#embedder = embedder;
    this.#opts = {
      minCosine: options.minCosine ?? 0.5,
      minScore: options.minScore ?? source.minScore ?? 6,
      depth: options.depth ?? 50,
      rrfK: options.rrfK ?? 60,
    };
  }

  /** Embeds tools that are new or changed since the last sync and forgets removed ones. */
  async sync(): Promise<void> {
    const specs = this.#source.specs();
    const live = new Set(specs.map((s) => s.name));
    for (const name of this.#vectors.keys()) if (!live.has(name)) this.#vectors.delete(name);
    const stale = specs.filter((s) => this.#vectors.get(s.name)?.text !== docText(s));
    if (stale.length === 0) return;
    const vectors = await this.#embedder.embed(stale.map(docText), "document");
    stale.forEach((s, i) => this.#vectors.set(s.name, { text: docText(s), vector: vectors[i]! }));
  }

  /** The best `k` tools for `query`; call {@link sync} after the tool set changes. */
  async search(query: string, k = 5): Promise<ToolHit[]> {
    const { depth, rrfK, minScore, minCosine } = this.#opts;
    const keyword = this.#source.search(query, depth, 0);
    const [qv] = await this.#embedder.embed([query], "query");
    const semantic = [...this.#vectors].map(([name, v]) => ({ name, cos: cosine(qv!, v.vector) }))
      .sort((a, b) => b.cos - a.cos).slice(0, depth);
    const fused = new Map<string, { rrf: number; score: number; cos: number }>();
    keyword.forEach((h, i) =>
      fused.set(h.name, { rrf: 1 / (rrfK + i + 1), score: h.score, cos: -1 })
    );
    semantic.forEach((h, i) => {
      const e = fused.get(h.name) ?? { rrf: 0, score: 0, cos: -1 };
      e.rrf += 1 / (rrfK + i + 1);
      e.cos = h.cos;
      fused.set(h.name, e);
    });
    const exact = keyword.find((h) => h.name.toLowerCase() === query.trim().toLowerCase());
    const ranked = [...fused]
      .filter(([name, e]) => name === exact?.name || e.score >= minScore || e.cos >= minCosine)
      .sort((a, b) =>
        (b[0] === exact?.name ? 1 : 0) - (a[0] === exact?.name ? 1 : 0) || b[1].rrf - a[1].rrf
      )
      .slice(0, k);
    return ranked.map(([name, e]) => ({
      name,
      score: Math.round(e.rrf * 1e5) / 1e5,
      spec: this.#source.spec(name)!,
    })).filter((h) => h.spec);
  }
}

/** The text embedded for a tool: name words, description, parameters. */
function docText(s: ToolSpec): string {
  return `${s.name.replace(/[_.]/g, " ")}: ${s.description} ${parameterText(s.parameters)}`.trim();
}

function cosine(a: number[], b: number[]): number {
  let dot = 0, na = 0, nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * (b[i] ?? 0);
    na += a[i]! * a[i]!;
    nb += (b[i] ?? 0) * (b[i] ?? 0);
  }
  return na && nb ? dot / Math.sqrt(na * nb) : 0;
}
