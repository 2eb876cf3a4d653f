/**
 * Ranks tools for `search_tools`: BM25F over the tool's name (split into words), description,
 * parameter names and descriptions, and tags; each query word also brings its related words at
 * a small weight (query_terms.ts). An exact name always comes first; results below `minScore`
 * are dropped so an unrelated query gets "nothing fits" instead of noise.
 */
import { Bm25Index, type SearchIndex } from "./bm25_index.ts";
import { type ExpansionOptions, queryTerms } from "./query_terms.ts";
import { defaultRelatedWords, type RelatedWords } from "./related_words.ts";
import { parameterText, type ToolSpec } from "./tool_spec.ts";

/** One search result. */
export interface ToolHit {
  name: string;
  score: number;
  spec: ToolSpec;
}

/**
 * Field weights, tuned on all of the BFCL and MetaTool development splits before the bench held a
 * half out; a grid over k1, b and these moves recall@5 by about ±0.01 only.
 */
export const FIELD_WEIGHTS = { name: 2.5, description: 1, params: 0.4, tags: 1 };

/**
 * Default relevance threshold on the BM25F score of a result; calibrated on BFCL's
 * irrelevance files against recall on the answered categories (see the sweep in
 * tools_bench.ts: at 6 about 45% of irrelevance queries still get a tool and 3% of answerable
 * ones lose theirs; higher values reject more but cost paraphrased queries most).
 */
export const DEFAULT_MIN_SCORE = 6;

/** Options for {@link ToolSearch}. */
export interface ToolSearchOptions {
  minScore?: number;
  /** Another index implementation (e.g. embeddings); BM25F by default. */
  index?: SearchIndex;
  /**
   * Related words for query expansion: the shipped table by default, `null` for none. Used only
   * with an index that takes weighted terms (the default BM25F index does).
   */
  relatedWords?: RelatedWords | null;
  /** How far queries are expanded (see query_terms.ts). */
  expansion?: ExpansionOptions;
}

/** A searchable set of tool specs; add and remove are incremental. */
export class ToolSearch {
  readonly minScore: number;
  readonly #index: SearchIndex;
  readonly #related: RelatedWords | undefined;
  readonly #expansion: ExpansionOptions;
  readonly #specs = new Map<string, ToolSpec>();
  readonly #lower = new Map<string, string>();
  #version = 0;

  constructor(options: ToolSearchOptions = {}) {
    this.minScore = options.minScore ?? DEFAULT_MIN_SCORE;
    this.#index = options.index ?? new Bm25Index({ weights: FIELD_WEIGHTS });
    this.#related = options.relatedWords === undefined
      ? defaultRelatedWords()
      : options.relatedWords ?? undefined;
    this.#expansion = options.expansion ?? {};
  }

  /** Changes with every add or remove, so dependants know when to refresh. */
  get version(): number {
    return this.#version;
  }

  /** Number of tools indexed. */
  get size(): number {
    return this.#specs.size;
  }

  /** Adds or replaces tools by name. */
  add(specs: Iterable<ToolSpec>): void {
    const docs = [];
    for (const spec of specs) {
      this.#specs.set(spec.name, spec);
      this.#lower.set(spec.name.toLowerCase(), spec.name);
      docs.push({
        id: spec.name,
        fields: {
          name: spec.name,
          description: spec.description,
          params: parameterText(spec.parameters),
          tags: (spec.tags ?? []).join(" "),
        },
      });
    }
    this.#index.index(docs);
    this.#version++;
  }

  /** Removes tools by name. */
  remove(names: Iterable<string>): void {
    const list = [...names];
    for (const name of list) {
      this.#specs.delete(name);
      this.#lower.delete(name.toLowerCase());
    }
    this.#index.remove(list);
    this.#version++;
  }

  /** The spec of a tool, by exact name. */
  spec(name: string): ToolSpec | undefined {
    return this.#specs.get(name);
  }

  /** All specs, in insertion order. */
  specs(): ToolSpec[] {
    return [...this.#specs.values()];
  }

  /**
   * The best `k` tools for `query` at or above the threshold (pass `minScore: 0` to see all).
   * An exact (case-insensitive) name match is always first, whatever its score.
   */
  search(query: string, k = 5, minScore = this.minScore): ToolHit[] {
    if (k <= 0) return [];
    const index = this.#index;
    const raw = index.searchTerms
      ? index.searchTerms(queryTerms(query, this.#related, this.#expansion), k + 1)
      : index.search(query, k + 1);
    const hits = raw
      .filter((h) => h.score >= minScore)
      .map((h) => ({ name: h.id, score: round(h.score), spec: this.#specs.get(h.id)! }));
    const exact = this.#lower.get(query.trim().toLowerCase());
    if (exact === undefined) return hits.slice(0, k);
    const rest = hits.filter((h) => h.name !== exact);
    const top = Math.max(rest[0]?.score ?? 0, minScore) + 1;
    return [{ name: exact, score: round(top), spec: this.#specs.get(exact)! }, ...rest].slice(0, k);
  }
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
