/**
 * A process-wide cache of `memory_term_stats` for search: each query needs the document
 * frequencies of its terms, and reading them was a round trip before the full-text lookup could
 * start. Entries live `ttlMs` (writes by other processes show up within that time); this
 * process's own writes are added to cached entries as they commit, so its counts stay exact.
 */
import type { SqlQueryable } from "./sql_client.ts";
import { type IdfTable, idfTable, readDocumentFrequencies } from "./term_stats.ts";

/** Options of {@link TermStatsCache}. */
export interface TermStatsCacheOptions {
  /** How long a term's count is reused; default 60 s. */
  ttlMs?: number;
  /** Most terms kept; the cache starts over when full. Default 200,000. */
  maxTerms?: number;
  /** Clock, for tests. */
  now?: () => number;
}

/** Document frequencies by term, read through from the database. */
export class TermStatsCache {
  readonly #entries = new Map<string, { df: number; at: number }>();
  readonly #ttl: number;
  readonly #max: number;
  readonly #now: () => number;

  constructor(o: TermStatsCacheOptions = {}) {
    this.#ttl = o.ttlMs ?? 60_000;
    this.#max = o.maxTerms ?? 200_000;
    this.#now = o.now ?? Date.now;
  }

  /** The IDF table of `queryTerms`; reads only the terms not cached (or expired). */
  async load(db: SqlQueryable, queryTerms: string[]): Promise<IdfTable> {
    const wanted = ["", "#tokens", ...new Set(queryTerms)];
    const now = this.#now();
    let missing = wanted.filter((t) => {
      const e = this.#entries.get(t);
      return !e || now - e.at > this.#ttl;
    });
    if (this.#entries.size + missing.length > this.#max) {
      this.#entries.clear();
      missing = wanted;
    }
    if (missing.length) {
      const found = await readDocumentFrequencies(db, missing);
      for (const t of missing) this.#entries.set(t, { df: found.get(t) ?? 0, at: now });
    }
    return idfTable(new Map(wanted.map((t) => [t, this.#entries.get(t)!.df])));
  }

  /** Adds committed counts (from {@link recordTerms}) to the entries this cache holds. */
  added(counts: ReadonlyMap<string, number>): void {
    for (const [t, n] of counts) {
      const e = this.#entries.get(t);
      if (e) e.df += n;
    }
  }
}
