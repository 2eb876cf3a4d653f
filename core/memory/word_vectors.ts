/** Word vectors for the semantic soft match of the lexical score (`lexical_rerank.ts`). */

/** Cosine similarity between two words; 0 when either is unknown. */
export interface WordVectors {
  similarity(a: string, b: string): number;
}
