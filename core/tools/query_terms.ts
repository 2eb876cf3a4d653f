/**
 * Turns a search query into weighted index terms: the words typed count 1, and each typed word
 * also brings its related words (see related_words.ts) at a small weight, so a query can match a
 * tool that says the same thing in other words. The defaults were chosen on one half of the
 * development queries (BFCL and MetaTool, even-numbered) and checked on the other half.
 */
import type { RelatedWords } from "./related_words.ts";
import { splitWords, wordTerm } from "./tokenize.ts";

/** How far a query is expanded. */
export interface ExpansionOptions {
  /** Query weight of a related word per unit of similarity (default 0.3; 0 turns expansion off). */
  weight?: number;
  /** Minimum similarity for a related word to count (default 0.6). */
  minSimilarity?: number;
}

/** Default expansion: related words at 0.3 × similarity, only those at similarity ≥ 0.6. */
export const DEFAULT_EXPANSION: Required<ExpansionOptions> = { weight: 0.3, minSimilarity: 0.6 };

/** Weighted terms of `query`; typed terms weigh 1, a related term at most `weight`. */
export function queryTerms(
  query: string,
  related?: RelatedWords,
  options: ExpansionOptions = {},
): Map<string, number> {
  const terms = new Map<string, number>();
  const typed = new Set<string>();
  for (const word of splitWords(query)) {
    const term = wordTerm(word);
    if (term === undefined) continue; // stop words and numbers: no term, no expansion
    terms.set(term, 1);
    typed.add(word);
  }
  const weight = options.weight ?? DEFAULT_EXPANSION.weight;
  if (!related || weight <= 0) return terms;
  const min = options.minSimilarity ?? DEFAULT_EXPANSION.minSimilarity;
  for (const word of typed) {
    for (const r of related.related(word, min)) {
      const term = relatedTerm(r.word);
      const w = weight * r.similarity;
      if (term !== undefined && (terms.get(term) ?? 0) < w) terms.set(term, w);
    }
  }
  return terms;
}

/** Terms of table words (single lower-case words), cached: at most the table's 30,000 words. */
const relatedTerms = new Map<string, string | undefined>();

function relatedTerm(word: string): string | undefined {
  if (relatedTerms.has(word)) return relatedTerms.get(word);
  const term = wordTerm(word);
  relatedTerms.set(word, term);
  return term;
}
