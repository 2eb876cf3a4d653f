/** The term-count cache: reads each term once per TTL and keeps this process's writes exact. */
import assert from "node:assert/strict";
import type { Row, SqlQueryable } from "./sql_client.ts";
import { TermStatsCache } from "./term_stats_cache.ts";

/** A memory_term_stats table in a Map, recording which terms each query asked for. */
function fakeStats(df: Record<string, number>) {
  const asked: string[][] = [];
  const db: SqlQueryable = {
    query: <R extends Row = Row>(_sql: string, params: unknown[] = []) => {
      const terms = params[0] as string[];
      asked.push(terms);
      return Promise.resolve(
        terms.filter((t) => t in df).map((t) => ({ term: t, df: String(df[t]) })) as unknown as R[],
      );
    },
  };
  return { db, asked, df };
}

Deno.test("term stats are read once, then served from the cache until they expire", async () => {
  let now = 0;
  const { db, asked } = fakeStats({ "": 100, "#tokens": 1000, paint: 5 });
  const cache = new TermStatsCache({ ttlMs: 1000, now: () => now });
  const first = await cache.load(db, ["paint", "lake"]);
  assert.deepEqual(asked, [["", "#tokens", "paint", "lake"]]);
  assert.equal(first.df("paint"), 5);
  assert.equal(first.df("lake"), 0);
  assert.equal(first.avgLength, 10);
  const again = await cache.load(db, ["paint"]);
  assert.equal(asked.length, 1, "a cached term is not read again");
  assert.equal(again.idf("paint"), first.idf("paint"));
  await cache.load(db, ["paint", "sunset"]);
  assert.deepEqual(asked[1], ["sunset"], "only the unknown term is read");
  now = 1001;
  await cache.load(db, ["paint"]);
  assert.deepEqual(asked[2], ["", "#tokens", "paint"], "expired entries are read again");
});

Deno.test("counts this process commits are added to cached entries", async () => {
  const { db, asked } = fakeStats({ "": 10, "#tokens": 100, paint: 2 });
  const cache = new TermStatsCache();
  await cache.load(db, ["paint"]);
  cache.added(new Map([["", 3], ["#tokens", 30], ["paint", 1], ["lake", 1]]));
  const t = await cache.load(db, ["paint"]);
  assert.equal(asked.length, 1);
  assert.equal(t.n, 13);
  assert.equal(t.df("paint"), 3);
  assert.equal(t.avgLength, 10);
  const lake = await cache.load(db, ["lake"]);
  assert.deepEqual(asked[1], ["lake"], "a term added but never cached is read, not guessed");
  assert.equal(lake.df("lake"), 0);
});

Deno.test("a full cache starts over instead of growing without bound", async () => {
  const { db, asked } = fakeStats({ "": 10 });
  const cache = new TermStatsCache({ maxTerms: 4 });
  await cache.load(db, ["a1", "a2"]);
  const t = await cache.load(db, ["a3"]);
  assert.deepEqual(asked[1], ["", "#tokens", "a3"], "cleared before the fifth term");
  assert.equal(t.n, 10, "the counts read after clearing are complete");
});
