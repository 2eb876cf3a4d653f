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
  /** Like `search` for tokenized terms, each with a query weight (an index may not take them). */
  searchTerms?(terms: ReadonlyMap<string, number>, k: number): SearchHit[];
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

/** Documents containing one term; `contrib` caches each one's score share until a change. */
interface Posting {
  slots: number[];
  /** Term frequency per field, parallel to `slots`. */
  tfs: number[][];
  contrib: Float64Array | undefined;
  version: number;
}

/** BM25F over an inverted index: term → documents with their per-field term frequencies. */
export class Bm25Index implements SearchIndex {
  readonly #weights: Record<string, number>;
  readonly #k1: number;
  readonly #b: number;
  readonly #idfFloor: number;
  readonly #fieldIndex = new Map<string, number>();
  readonly #fieldWeight: number[] = [];
  readonly #totalLength: number[] = [];
  readonly #postings = new Map<string, Posting>();
  readonly #docs: (DocEntry | undefined)[] = [];
  readonly #slotOf = new Map<string, number>();
  readonly #free: number[] = [];
  /** Bumped on every change: average lengths and N move, so cached contributions go stale. */
  #version = 0;
  #acc = new Float64Array(0);
  /** Slots with a score in `#acc`, reused across searches (fewer allocations, fewer GC pauses). */
  #touched = new Int32Array(0);

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
      const tfByTerm = new Map<string, number[]>();
      for (const [field, text] of Object.entries(doc.fields)) {
        const f = this.#field(field);
        const tokens = tokenize(text);
        entry.lengths[f] = (entry.lengths[f] ?? 0) + tokens.length;
        this.#totalLength[f] = (this.#totalLength[f] ?? 0) + tokens.length;
        for (const t of tokens) {
          let tfs = tfByTerm.get(t);
          if (!tfs) tfByTerm.set(t, tfs = []);
          tfs[f] = (tfs[f] ?? 0) + 1;
        }
      }
      for (const [t, tfs] of tfByTerm) {
        let posting = this.#postings.get(t);
        if (!posting) {
          posting = { slots: [], tfs: [], contrib: undefined, version: -1 };
          this.#postings.set(t, posting);
        }
        posting.slots.push(slot);
        posting.tfs.push(tfs);
        entry.terms.add(t);
      }
      this.#docs[slot] = entry;
      this.#slotOf.set(doc.id, slot);
      this.#version++;
    }
  }

  remove(ids: Iterable<string>): void {
    for (const id of ids) {
      const slot = this.#slotOf.get(id);
      if (slot === undefined) continue;
      const entry = this.#docs[slot]!;
      for (const t of entry.terms) {
        const posting = this.#postings.get(t)!;
        const i = posting.slots.indexOf(slot);
        const last = posting.slots.length - 1;
        posting.slots[i] = posting.slots[last]!;
        posting.tfs[i] = posting.tfs[last]!;
        posting.slots.pop();
        posting.tfs.pop();
        if (posting.slots.length === 0) this.#postings.delete(t);
      }
      entry.lengths.forEach((len, f) => this.#totalLength[f]! -= len ?? 0);
      this.#docs[slot] = undefined;
      this.#slotOf.delete(id);
      this.#free.push(slot);
      this.#version++;
    }
  }

  search(query: string, k: number): SearchHit[] {
    return this.searchTerms(new Map(tokenize(query).map((t) => [t, 1])), k);
  }

  /**
   * Like {@link search} for terms already tokenized, each with a query weight (1 for a word the
   * user typed; less for an expansion such as a related word) that scales its BM25F share.
   */
  searchTerms(terms: ReadonlyMap<string, number>, k: number): SearchHit[] {
    if (this.size === 0 || k <= 0) return [];
    if (this.#acc.length < this.#docs.length) {
      this.#acc = new Float64Array(this.#docs.length * 2);
      this.#touched = new Int32Array(this.#docs.length * 2);
    }
    const acc = this.#acc;
    const touched = this.#touched;
    let count = 0;
    for (const [term, weight] of terms) {
      const posting = this.#postings.get(term);
      if (!posting || !(weight > 0)) continue;
      const contrib = this.#contributions(posting);
      const slots = posting.slots;
      for (let i = 0; i < slots.length; i++) {
        const slot = slots[i]!;
        if (acc[slot] === 0) touched[count++] = slot;
        acc[slot]! += weight * contrib[i]!;
      }
    }
    const best = topK(touched, count, acc, k);
    for (let i = 0; i < count; i++) acc[touched[i]!] = 0;
    return best.map(([slot, score]) => ({ id: this.#docs[slot]!.id, score }));
  }

  #idf(df: number): number {
    const big = Math.max(this.size, this.#idfFloor);
    return Math.log(1 + (big - df + 0.5) / (df + 0.5));
  }

  /** Each posting document's BM25F share for this term, recomputed only after a change. */
  #contributions(posting: Posting): Float64Array {
    if (posting.contrib && posting.version === this.#version) return posting.contrib;
    const n = this.size;
    const df = posting.slots.length;
    const idf = this.#idf(df);
    const avg = this.#totalLength.map((total) => Math.max(total / n, 1e-9));
    const out = new Float64Array(df);
    for (let i = 0; i < df; i++) {
      const tfs = posting.tfs[i]!;
      const lengths = this.#docs[posting.slots[i]!]!.lengths;
      let tf = 0;
      for (let f = 0; f < tfs.length; f++) {
        const raw = tfs[f];
        if (!raw) continue;
        const norm = 1 - this.#b + this.#b * (lengths[f] ?? 0) / avg[f]!;
        tf += this.#fieldWeight[f]! * raw / norm;
      }
      out[i] = idf * tf * (this.#k1 + 1) / (tf + this.#k1);
    }
    posting.contrib = out;
    posting.version = this.#version;
    return out;
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

/** The k best touched slots, best first; ties broken by slot for determinism. */
function topK(
  touched: Int32Array,
  count: number,
  acc: Float64Array,
  k: number,
): [number, number][] {
  const best: [number, number][] = [];
  for (let t = 0; t < count; t++) {
    const slot = touched[t]!;
    const score = acc[slot]!;
    if (best.length === k && !better(score, slot, best[k - 1]!)) continue;
    let i = best.length < k ? best.length : k - 1;
    best[i] = [slot, score];
    while (i > 0 && better(score, slot, best[i - 1]!)) {
      best[i] = best[i - 1]!;
      best[--i] = [slot, score];
    }
  }
  return best;
}

function better(score: number, slot: number, than: [number, number]): boolean {
  return score > than[1] || (score === than[1] && slot < than[0]);
}
