/**
 * The lexical score of search candidates: BM25 over a memory's text (counted twice) plus its
 * search context, a bonus when the query names the memory's author (`content.speaker`: "what did
 * Ana paint?" is most often answered by something Ana said), and an optional semantic soft match
 * of query words to the memory's words through word vectors (see {@link WordVectors}).
 */
import { bm25FromCounts, type IdfTable, terms } from "./term_stats.ts";
import { isStopword, stem, words } from "./text_features.ts";
import type { Memory } from "./types.ts";
import { int8Cosine, type WordVectors } from "./word_vectors.ts";

/** Weights of the lexical score's parts, as fractions of the best candidate's BM25. */
export interface LexicalWeights {
  /** Added when every word of `content.speaker` is in the query; default 0.5. */
  author?: number;
  /** Weight of the semantic soft match; default 0.4 (0 or no vectors: off). */
  semantic?: number;
  /** Cosine below which two different words are not related; default 0.35. */
  threshold?: number;
  /** How many of the best candidates by BM25 get the soft match; default 30. */
  depth?: number;
}

/** Lexical scores of `memories` for the query, in order; 0 means no lexical evidence. */
export function lexicalScores(
  query: string,
  memories: Memory[],
  idf: IdfTable,
  vectors: WordVectors | undefined,
  w: LexicalWeights = {},
): number[] {
  const queryTerms = new QueryTerms(new Set(terms(query)));
  const queryWords = new Set(words(query));
  const own = memories.map((m) => words(String(m.content.text ?? "")));
  const base = memories.map((m, i) => {
    const ctx = m.metadata.searchContext;
    return fieldBm25(queryTerms, own[i]!, typeof ctx === "string" ? words(ctx) : [], idf);
  });
  const best = Math.max(0, ...base);
  if (best === 0) return base;
  const semWeight = vectors ? (w.semantic ?? 0.4) : 0;
  const soft = semWeight
    ? new SoftMatcher(queryWords, idf, vectors!, w.threshold ?? 0.35)
    : undefined;
  // Only the best `depth` by BM25 are matched softly: the soft match reorders what BM25 found.
  const depth = w.depth ?? 30;
  const cut = base.length > depth ? [...base].sort((a, b) => b - a)[depth - 1]! : 0;
  const sem = soft
    ? own.map((ws, i) => (base[i]! >= cut && base[i]! > 0 ? soft.score(ws) : 0))
    : [];
  const bestSem = Math.max(1e-9, ...sem);
  return memories.map((m, i) => {
    const s = soft ? semWeight * sem[i]! / bestSem : 0;
    if (base[i] === 0) return 0;
    const author = namesAuthor(queryWords, m) ? (w.author ?? 0.5) : 0;
    return base[i]! + best * (author + s);
  });
}

/**
 * BM25 of a memory whose own words count twice and its search context's words once (the same
 * as BM25 over `[...own, ...own, ...context]` terms), counting only the query's terms.
 */
export function fieldBm25(
  queryTerms: QueryTerms,
  ownWords: string[],
  contextWords: string[],
  table: IdfTable,
  k1 = 1.2,
  b = 0.75,
): number {
  const tf = new Map<string, number>();
  const length = queryTerms.count(ownWords, 2, tf) + queryTerms.count(contextWords, 1, tf);
  return bm25FromCounts(tf, length, table, k1, b);
}

/**
 * The query's terms, for counting them in documents. Stemming every word of every candidate was
 * most of a search's JavaScript time; a stem keeps its word's first two letters (see `stem`), so
 * only words that start like some query term are stemmed, and the rest just counted.
 */
export class QueryTerms {
  readonly #terms: Set<string>;
  readonly #starts = new Set<number>();

  constructor(terms: Set<string>) {
    this.#terms = terms;
    for (const t of terms) this.#starts.add(startOf(t));
  }

  /**
   * Adds `weight` to `tf` for each word whose stem is a query term; returns the words' weighted
   * length in content terms (stopwords do not count).
   */
  count(ws: string[], weight: number, tf: Map<string, number>): number {
    let length = 0;
    for (const w of ws) {
      if (isStopword(w)) continue;
      length += weight;
      if (!this.#starts.has(startOf(w))) continue;
      const t = contentTerm(w);
      if (this.#terms.has(t)) tf.set(t, (tf.get(t) ?? 0) + weight);
    }
    return length;
  }
}

/** The first two UTF-16 units of a word as one number (a word and its stem share them). */
function startOf(word: string): number {
  return word.charCodeAt(0) * 65536 + (word.length > 1 ? word.charCodeAt(1) : 0);
}

/** True when every word of the memory's `content.speaker` occurs in the query. */
export function namesAuthor(queryWords: Set<string>, m: Memory): boolean {
  const speaker = m.content.speaker;
  if (typeof speaker !== "string") return false;
  const name = words(speaker);
  return name.length > 0 && name.every((x) => queryWords.has(x));
}

/**
 * For each content word of the query, its best cosine to a DIFFERENT word of the memory's own
 * text (exact matches are BM25's job), above `threshold`, rescaled to 0..1 and weighted by IDF.
 * Similarities are cached per document word for the query: candidates share most of their words.
 */
class SoftMatcher {
  readonly #query: { vector: Int8Array; stem: string; idf: number }[];
  readonly #vectors: WordVectors;
  readonly #threshold: number;
  readonly #cache = new Map<string, Float64Array>();

  constructor(queryWords: Set<string>, idf: IdfTable, vectors: WordVectors, threshold: number) {
    this.#query = [];
    for (const word of queryWords) {
      const s = contentTerm(word);
      const vector = s ? vectors.vector(word) : undefined;
      if (!vector) continue;
      this.#query.push({ vector, stem: s, idf: idf.idf(s) });
    }
    this.#vectors = vectors;
    this.#threshold = threshold;
  }

  score(docWords: string[]): number {
    const n = this.#query.length;
    if (!n) return 0;
    const best = new Float64Array(n);
    for (const d of docWords) {
      let sims = this.#cache.get(d);
      if (!sims) {
        sims = new Float64Array(n);
        const ds = contentTerm(d);
        const v = ds ? this.#vectors.vector(d) : undefined;
        if (v) {
          this.#query.forEach((q, k) => (sims![k] = q.stem === ds ? 0 : int8Cosine(q.vector, v)));
        }
        this.#cache.set(d, sims);
      }
      for (let k = 0; k < n; k++) if (sims[k]! > best[k]!) best[k] = sims[k]!;
    }
    const t = this.#threshold;
    let score = 0;
    this.#query.forEach((q, k) => {
      if (best[k]! > t) score += q.idf * (best[k]! - t) / (1 - t);
    });
    return score;
  }
}

const stems = new Map<string, string>();

/** The stem of a content word, "" for a stopword; memoised (words recur across candidates). */
function contentTerm(word: string): string {
  let s = stems.get(word);
  if (s === undefined) {
    if (stems.size >= 100_000) stems.clear();
    s = isStopword(word) ? "" : stem(word);
    stems.set(word, s);
  }
  return s;
}
