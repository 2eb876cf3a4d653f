/**
 * The offline default embedder: feature hashing of stems, stem bigrams and character trigrams,
 * with sublinear term frequency and optional IDF weights. It is LEXICAL, not semantic: it finds
 * shared words and word pieces (so "paint" meets "painting"), never synonyms. Needs no download.
 */
import { type Embedder, normalize } from "./embedder.ts";
import { features } from "./text_features.ts";

/** Returns an inverse document frequency for a feature key, or undefined when unknown. */
export type IdfLookup = (key: string) => number | undefined;

/** Deterministic hashed n-gram embedder. */
export class HashEmbedder implements Embedder {
  readonly model: string;
  readonly dim: number;
  #idf: IdfLookup | undefined;

  constructor(dim = 384, idf?: IdfLookup) {
    if (!Number.isInteger(dim) || dim < 8) throw new Error(`HashEmbedder: bad dim ${dim}`);
    this.dim = dim;
    this.model = `hash-ngram-v1-${dim}`;
    this.#idf = idf;
  }

  /** Embeds each text; deterministic for the same input and IDF table. */
  embed(texts: string[]): Promise<number[][]> {
    return Promise.resolve(texts.map((t) => this.embedOne(t)));
  }

  /** Synchronous single-text embedding. */
  embedOne(text: string): number[] {
    const counts = new Map<string, number>();
    for (const f of features(text)) counts.set(f.key, (counts.get(f.key) ?? 0) + f.weight);
    const v = new Array<number>(this.dim).fill(0);
    for (const [key, tf] of counts) {
      const idf = this.#idf?.(key) ?? 1;
      const h = fnv1a(key);
      const index = h % this.dim;
      const sign = (fnv1a(key + "#") & 1) === 0 ? 1 : -1;
      v[index] = v[index]! + sign * (1 + Math.log(1 + tf)) * idf;
    }
    return normalize(v);
  }
}

/** 32-bit FNV-1a over UTF-16 code units. */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
