/**
 * Document frequencies for IDF: PostgreSQL's `ts_rank` has no IDF, so the store keeps
 * `memory_term_stats` (term → number of memories containing it; "" holds the memory count and
 * "#tokens" the total length) and reranks lexical candidates with BM25 in JavaScript. Counts are
 * added on store and backfill and not decremented on forget: IDF only needs to be approximate.
 */
import type { SqlQueryable } from "./sql_client.ts";
import { isStopword, stem, words } from "./text_features.ts";

/** Content stems of a text, in order, repeats kept. */
export function terms(text: string): string[] {
  return words(text).filter((w) => !isStopword(w)).map(stem);
}

/** Adds the texts' terms to the statistics (one statement); returns the counts added. */
export async function recordTerms(
  tx: SqlQueryable,
  texts: string[],
): Promise<Map<string, number>> {
  if (!texts.length) return new Map();
  const counts = new Map<string, number>();
  let tokens = 0;
  for (const text of texts) {
    const ts = terms(text);
    tokens += ts.length;
    for (const t of new Set(ts)) counts.set(t, (counts.get(t) ?? 0) + 1);
  }
  counts.set("", texts.length);
  counts.set("#tokens", tokens);
  const keys = [...counts.keys()].sort(); // a fixed order avoids deadlocks between writers
  await tx.query(
    `INSERT INTO memory_term_stats (term, df)
     SELECT * FROM unnest($1::text[], $2::bigint[])
     ON CONFLICT (term) DO UPDATE SET df = memory_term_stats.df + excluded.df`,
    [keys, keys.map((k) => counts.get(k)!)],
  );
  return counts;
}

/** IDF lookup for a query: BM25's idf per term, plus the average document length. */
export interface IdfTable {
  idf(term: string): number;
  /** Number of memories containing `term` (0 when unknown). */
  df(term: string): number;
  /** Number of memories counted. */
  n: number;
  avgLength: number;
}

/** Reads the statistics of `queryTerms`. Unknown terms get the highest IDF. */
export async function loadIdf(db: SqlQueryable, queryTerms: string[]): Promise<IdfTable> {
  return idfTable(await readDocumentFrequencies(db, ["", "#tokens", ...new Set(queryTerms)]));
}

/** The stored counts of `keys` (terms, "" or "#tokens"); keys without a row are left out. */
export async function readDocumentFrequencies(
  db: SqlQueryable,
  keys: string[],
): Promise<Map<string, number>> {
  const rows = await db.query<{ term: string; df: string | number }>(
    `SELECT term, df FROM memory_term_stats WHERE term = ANY($1::text[])`,
    [keys],
  );
  return new Map(rows.map((r) => [r.term, Number(r.df)]));
}

/** An IDF table over document frequencies by term ("" = memories, "#tokens" = total length). */
export function idfTable(df: ReadonlyMap<string, number>): IdfTable {
  const n = Math.max(1, df.get("") ?? 1);
  const avgLength = Math.max(1, (df.get("#tokens") ?? n) / n);
  return {
    n,
    df: (t) => df.get(t) ?? 0,
    idf: (t) => {
      const d = Math.min(n, df.get(t) ?? 0);
      return Math.log(1 + (n - d + 0.5) / (d + 0.5));
    },
    avgLength,
  };
}

/** BM25 of a document (its terms) for the query terms. */
export function bm25(
  queryTerms: string[],
  docTerms: string[],
  table: IdfTable,
  k1 = 1.2,
  b = 0.75,
): number {
  const query = new Set(queryTerms);
  const tf = new Map<string, number>();
  for (const t of docTerms) if (query.has(t)) tf.set(t, (tf.get(t) ?? 0) + 1);
  return bm25FromCounts(tf, docTerms.length, table, k1, b);
}

/** BM25 from a document's frequencies of the query's terms and its length in terms. */
export function bm25FromCounts(
  tf: ReadonlyMap<string, number>,
  length: number,
  table: IdfTable,
  k1 = 1.2,
  b = 0.75,
): number {
  const norm = k1 * (1 - b + (b * length) / table.avgLength);
  let score = 0;
  for (const [t, f] of tf) score += (table.idf(t) * f * (k1 + 1)) / (f + norm);
  return score;
}
