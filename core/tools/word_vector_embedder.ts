/**
 * A cheap text embedder for tool search: the weighted mean of a text's word vectors (the GloVe
 * table memory search ships, core/memory/data/word_vectors.wvec). A word of frequency rank r
 * (the table lists words by frequency) weighs r / (r + 1000): the "smooth inverse frequency"
 * weight a / (a + p(w)) of Arora et al. (2017) with p(w) from Zipf's law, so "get", "new" or
 * "time" count little and "forecast" or "invoice" fully. Stop words and numbers are skipped and
 * unknown words have no vector. Embedding a query takes microseconds where the sentence encoder
 * takes 8-40 ms, at the price of recall: it finds a part of what the encoder adds to keyword
 * search (figures in bench/tools_semantic_bench.ts and the README).
 */
import { loadWordVectors } from "../memory/load_word_vectors.ts";
import type { WordVectors } from "../memory/word_vectors.ts";
import { splitWords, wordTerm } from "./tokenize.ts";

/** Model name as reported in logs and cache keys. */
export const WORD_VECTOR_MODEL = "glove-100d-sif";

/** Frequency rank at which a word weighs one half (see the file doc). */
const HALF_WEIGHT_RANK = 1000;

/** Word vectors with the frequency rank of each word (as core/memory's QuantizedWordVectors has). */
export interface RankedWordVectors extends WordVectors {
  /** 1 for the most frequent word; undefined when unknown. */
  rank(word: string): number | undefined;
}

/** See the file doc. Same shape as core/memory's Embedder. */
export class WordVectorEmbedder {
  readonly model = WORD_VECTOR_MODEL;
  #table: Promise<RankedWordVectors> | undefined;
  readonly #load: () => Promise<RankedWordVectors>;

  /** `vectors` replaces the shipped table (tests); it is loaded on first use otherwise. */
  constructor(options: { vectors?: RankedWordVectors } = {}) {
    const given = options.vectors;
    this.#load = given ? () => Promise.resolve(given) : async () => {
      const table = await loadWordVectors({ warn: () => {} });
      if (!table) {
        throw new Error("cannot read the word vector table core/memory/data/word_vectors.wvec");
      }
      return table;
    };
  }

  /** Vectors of `texts`, each of unit length (all zeros when no word of a text is known). */
  async embed(texts: string[]): Promise<number[][]> {
    this.#table ??= this.#load();
    const vectors = await this.#table;
    return texts.map((text) => meanVector(text, vectors));
  }
}

function meanVector(text: string, vectors: RankedWordVectors): number[] {
  const sum = new Float64Array(vectors.dim);
  for (const word of splitWords(text)) {
    if (wordTerm(word) === undefined) continue;
    const v = vectors.vector(word);
    if (!v) continue;
    const r = vectors.rank(word) ?? HALF_WEIGHT_RANK;
    const w = r / (r + HALF_WEIGHT_RANK);
    for (let k = 0; k < sum.length; k++) sum[k]! += w * v[k]!;
  }
  let norm = 0;
  for (const x of sum) norm += x * x;
  norm = Math.sqrt(norm);
  return Array.from(sum, (x) => (norm > 0 ? x / norm : 0));
}
