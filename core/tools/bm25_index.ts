/**
 * BM25F keyword index over documents with weighted fields (name, description, parameters...).
 * Incremental: `index` adds or replaces documents by id and `remove` drops them, both in time
 * proportional to the documents touched, so a 10,000-tool catalogue never needs a full rebuild.
 * The interface (index, remove, search) is small so learned functions and sub-agents can reuse it.
 */
import { tokenize } from "./tokenize.ts";

/** A document to index: an id and its text per field. */
export interface SearchDoc {
  id: string;
  fields: Record<string, string>;
}

/** One ranked result. */
export interface SearchHit {
  id: string;
  score: number;
}

/** The small contract every searcher implements (BM25 here; embeddings could be another). */
export interface SearchIndex {
  /** Adds documents, replacing any with the same id. */
  index(docs: Iterable<SearchDoc>): void;
  /** Drops documents by id; unknown ids are ignored. */
  remove(ids: Iterable<string>): void;
  /** The best `k` documents for `query`, highest score first; only documents matching a term. */
  search(query: string, k: number): SearchHit[];
  /** Number of documents indexed. */
  readonly size: number;
}

/** Tuning for {@link Bm25Index}. */
export interface Bm25Options {
  /** Weight per field name; fields not listed get weight 1. */
  weights?: Record<string, number>;
  /** Term-frequency saturation (default 1.2). */
  k1?: number;
  /** Length normalisation per field (default 0.75). */
  b?: number;
  /**
   * Collection size assumed for IDF when fewer documents are indexed (default 1000). Without
   * it a registry of 5 tools gives every term an IDF near 0.7 and scores cannot be compared with
   * a fixed relevance threshold; with it, scores mean about the same at 5 and at 10,000 tools.
   */
  idfFloorDocs?: number;
}

interface DocEntry {
  id: string;
  /** Token count per field index. */
  lengths: number[];
  terms: Set<string>;
}

/** BM25F over an inverted index: term → (doc slot → term frequency per field). */
export class Bm25Index implements SearchIndex {
  readonly #weights: Record<string, number>;
  readonly #k1: number;
  readonly #b: number;
  readonly #idfFloor: number;
  readonly #fieldIndex = new Map<string, number>();
  readonly #fieldWeight: number[] = [];
  readonly #totalLength: number[] = [];
  readonly #postings = new Map<string, Map<number, number[]>>();
  readonly #docs: (DocEntry | undefined)[] = [];
  readonly #slotOf = new Map<string, number>();
  readonly #free: number[] = [];

  constructor(options: Bm25Options = {}) {
    this.#weights = options.weights ?? {};
    this.#k1 = options.k1 ?? 1.2;
    this.#b = options.b ?? 0.75;
    this.#idfFloor = options.idfFloorDocs ?? 1000;
  }

  get size(): number {
    return this.#slotOf.size;
  }

  index(docs: Iterable<SearchDoc>): void {
    for (const doc of docs) {
      this.remove([doc.id]);
      const slot = this.#free.pop() ?? this.#docs.length;
      const entry: DocEntry = { id: doc.id, lengths: [], terms: new Set() };
      for (const [field, text] of Object.entries(doc.fields)) {
        const f = this.#field(field);
        const tokens = tokenize(text);
        entry.lengths[f] = (entry.lengths[f] ?? 0) + tokens.length;
        this.#totalLength[f] = (this.#totalLength[f] ?? 0) + tokens.length;
        for (const t of tokens) {
          let posting = this.#postings.get(t);
          if (!posting) this.#postings.set(t, posting = new Map());
          let tfs = posting.get(slot);
          if (!tfs) posting.set(slot, tfs = []);
          tfs[f] = (tfs[f] ?? 0) + 1;
          entry.terms.add(t);
        }
      }
      this.#docs[slot] = entry;
      this.#slotOf.set(doc.id, slot);
    }
  }

  remove(ids: Iterable<string>): void {
    for (const id of ids) {
      const slot = this.#slotOf.get(id);
      if (slot === undefined) continue;
      const entry = this.#docs[slot]!;
      for (const t of entry.terms) {
        const posting = this.#postings.get(t)!;
        posting.delete(slot);
        if (posting.size === 0) this.#postings.delete(t);
      }
      entry.lengths.forEach((len, f) => this.#totalLength[f]! -= len ?? 0);
      this.#docs[slot] = undefined;
      this.#slotOf.delete(id);
      this.#free.push(slot);
    }
  }

  search(query: string, k: number): SearchHit[] {
    const n = this.size;
    if (n === 0 || k <= 0) return [];
    const avg = this.#totalLength.map((total) => Math.max(total / n, 1e-9));
    const scores = new Map<number, number>();
    for (const term of new Set(tokenize(query))) {
      const posting = this.#postings.get(term);
      if (!posting) continue;
      const big = Math.max(n, this.#idfFloor);
      const idf = Math.log(1 + (big - posting.size + 0.5) / (posting.size + 0.5));
      for (const [slot, tfs] of posting) {
        const lengths = this.#docs[slot]!.lengths;
        let tf = 0;
        for (let f = 0; f < tfs.length; f++) {
          const raw = tfs[f];
          if (!raw) continue;
          const norm = 1 - this.#b + this.#b * (lengths[f] ?? 0) / avg[f]!;
          tf += this.#fieldWeight[f]! * raw / norm;
        }
        const add = idf * tf * (this.#k1 + 1) / (tf + this.#k1);
        scores.set(slot, (scores.get(slot) ?? 0) + add);
      }
    }
    return topK(scores, k).map(([slot, score]) => ({ id: this.#docs[slot]!.id, score }));
  }

  #field(name: string): number {
    let f = this.#fieldIndex.get(name);
    if (f === undefined) {
      f = this.#fieldIndex.size;
      this.#fieldIndex.set(name, f);
      this.#fieldWeight[f] = this.#weights[name] ?? 1;
      this.#totalLength[f] = 0;
    }
    return f;
  }
}

/** The k largest entries, best first; ties broken by slot for determinism. */
function topK(scores: Map<number, number>, k: number): [number, number][] {
  const all = [...scores];
  if (all.length > 4 * k) {
    // Cheap pre-filter: keep entries at or above the k-th best of a partial pass.
    const sorted = all.map(([, s]) => s).sort((a, b) => b - a);
    const cut = sorted[k - 1] ?? -Infinity;
    return all.filter(([, s]) => s >= cut).sort(byScore).slice(0, k);
  }
  return all.sort(byScore).slice(0, k);
}

function byScore(a: [number, number], b: [number, number]): number {
  return b[1] - a[1] || a[0] - b[0];
}
