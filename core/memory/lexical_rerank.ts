/**
 * The lexical score of search candidates: BM25 over a memory's text (counted twice) plus its
 * search context, a bonus when the query names the memory's author (`content.speaker`: "what did
 * Ana paint?" is most often answered by something Ana said), and an optional semantic soft match
 * of query words to the memory's words through word vectors (see {@link WordVectors}).
 */
import type { IdfTable } from "./term_stats.ts";
import { bm25, terms } from "./term_stats.ts";
import { isStopword, stem, words } from "./text_features.ts";
import type { Memory } from "./types.ts";
import type { WordVectors } from "./word_vectors.ts";

/** Weights of the lexical score's parts, as fractions of the best candidate's BM25. */
export interface LexicalWeights {
  /** Added when every word of `content.speaker` is in the query; default 0.5. */
  author?: number;
  /** Weight of the semantic soft match; default 0.4 (0 or no vectors: off). */
  semantic?: number;
  /** Cosine below which two different words are not related; default 0.35. */
  threshold?: number;
}

/** Lexical scores of `memories` for the query, in order; 0 means no lexical evidence. */
export function lexicalScores(
  query: string,
  memories: Memory[],
  idf: IdfTable,
  vectors: WordVectors | undefined,
  w: LexicalWeights = {},
): number[] {
  const queryTerms = terms(query);
  const queryWords = new Set(words(query));
  const base = memories.map((m) => bm25(queryTerms, documentTerms(m), idf));
  const best = Math.max(0, ...base);
  if (best === 0) return base;
  const semWeight = vectors ? (w.semantic ?? 0.4) : 0;
  const sem = semWeight
    ? memories.map((m) => softMatch(queryWords, m, idf, vectors!, w.threshold ?? 0.35))
    : [];
  const bestSem = Math.max(1e-9, ...sem);
  return memories.map((m, i) => {
    const soft = semWeight ? semWeight * sem[i]! / bestSem : 0;
    if (base[i] === 0 && soft === 0) return 0;
    const author = namesAuthor(queryWords, m) ? (w.author ?? 0.5) : 0;
    return base[i]! + best * (author + soft);
  });
}

/** The terms a memory is scored on: its own text twice, then its search context once. */
export function documentTerms(m: Memory): string[] {
  const own = terms(String(m.content.text ?? ""));
  const ctx = m.metadata.searchContext;
  return [...own, ...own, ...(typeof ctx === "string" ? terms(ctx) : [])];
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
 */
function softMatch(
  queryWords: Set<string>,
  m: Memory,
  idf: IdfTable,
  vectors: WordVectors,
  threshold: number,
): number {
  const docWords = [...new Set(words(String(m.content.text ?? "")))].filter((x) => !isStopword(x));
  let score = 0;
  for (const q of queryWords) {
    if (isStopword(q)) continue;
    const s = stem(q);
    let best = 0;
    for (const d of docWords) {
      if (stem(d) !== s) best = Math.max(best, vectors.similarity(q, d));
    }
    if (best > threshold) score += idf.idf(s) * (best - threshold) / (1 - threshold);
  }
  return score;
}
