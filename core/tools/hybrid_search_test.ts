import assert from "node:assert/strict";
import { HybridToolSearch, type KeywordSource, type TextEmbedder } from "./hybrid_search.ts";
import { ToolSearch } from "./tool_search.ts";
import type { ToolSpec } from "./tool_spec.ts";

/** A fake embedder with two "meanings": housing and weather; counts embedded texts. */
class ConceptEmbedder implements TextEmbedder {
  model = "concepts";
  embedded: string[] = [];
  embed(texts: string[]): Promise<number[][]> {
    this.embedded.push(...texts);
    return Promise.resolve(texts.map((t) => {
      const s = t.toLowerCase();
      return [
        /\b(flat|apartments?|rent|lease)\b/.test(s) ? 1 : 0,
        /\b(weather|rain|forecast|umbrella)\b/.test(s) ? 1 : 0,
      ];
    }));
  }
}

const spec = (name: string, description: string): ToolSpec => ({
  name,
  description,
  parameters: { type: "object" },
  source: "test",
});

function setup() {
  const keyword = new ToolSearch();
  keyword.add([
    spec("house_renting", "Find apartments to rent in a city"),
    spec("weather_now", "Current weather and forecast for a place"),
    spec("stock_quote", "Latest share price for a ticker symbol"),
  ]);
  const embedder = new ConceptEmbedder();
  return { keyword, embedder, hybrid: new HybridToolSearch(keyword, embedder, {}) };
}

Deno.test("hybrid search finds a paraphrase that keyword search misses", async () => {
  const { keyword, hybrid } = setup();
  await hybrid.sync();
  const query = "do I need an umbrella tomorrow";
  assert.deepEqual(keyword.search(query, 3), []);
  assert.deepEqual((await hybrid.search(query, 3)).map((h) => h.name), ["weather_now"]);
});

Deno.test("hybrid search keeps exact names first and drops weak matches", async () => {
  const { hybrid } = setup();
  await hybrid.sync();
  assert.equal((await hybrid.search("stock_quote", 3))[0]?.name, "stock_quote");
  assert.deepEqual(await hybrid.search("bake sourdough bread", 3), []);
});

Deno.test("hybrid sync embeds only new or changed tools", async () => {
  const { keyword, embedder, hybrid } = setup();
  await hybrid.sync();
  assert.equal(embedder.embedded.length, 3);
  keyword.add([spec("weather_now", "Rain radar and forecast"), spec("flat_share", "Lease a flat")]);
  await hybrid.sync();
  assert.equal(embedder.embedded.length, 5);
  keyword.remove(["flat_share"]);
  await hybrid.sync();
  assert.equal(embedder.embedded.length, 5);
  assert.deepEqual((await hybrid.search("apartment lease", 3)).map((h) => h.name), [
    "house_renting",
  ]);
});

Deno.test("hybrid vectors persist in the cache file and are re-embedded for another model", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const cacheFile = `${dir}/tool_vectors.json`;
    const first = setup();
    const a = new HybridToolSearch(first.keyword, first.embedder, { cacheFile });
    await a.sync();
    assert.equal(first.embedder.embedded.length, 3);
    // A restart: same texts come from the file, nothing is embedded.
    const second = setup();
    const b = new HybridToolSearch(second.keyword, second.embedder, { cacheFile });
    await b.sync();
    assert.equal(second.embedder.embedded.length, 0);
    assert.deepEqual((await b.search("do I need an umbrella", 3)).map((h) => h.name), [
      "weather_now",
    ]);
    // Another model's vectors are not reused.
    const third = setup();
    Object.assign(third.embedder, { model: "other-model" });
    const c = new HybridToolSearch(third.keyword, third.embedder, { cacheFile });
    await c.sync();
    assert.equal(third.embedder.embedded.length, 3);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("hybrid sync names a damaged cache file", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const cacheFile = `${dir}/tool_vectors.json`;
    await Deno.writeTextFile(cacheFile, "{not json");
    const { keyword, embedder } = setup();
    const h = new HybridToolSearch(keyword, embedder, { cacheFile });
    await assert.rejects(h.sync(), /cannot read the tool vector cache ".*tool_vectors.json"/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

/** A keyword side with fixed scores, so fusion can be checked with exact numbers. */
function fixedKeywords(scores: Record<string, number>, tools: ToolSpec[]): KeywordSource {
  return {
    minScore: 6,
    specs: () => tools,
    spec: (name) => tools.find((t) => t.name === name),
    search: (_query, k = 5) =>
      Object.entries(scores).sort((a, b) => b[1] - a[1]).slice(0, k)
        .map(([name, score]) => ({ name, score, spec: tools.find((t) => t.name === name)! })),
  };
}

/** Unit vectors by the tool's name as words (and "query" for the query). */
function fixedVectors(byText: Record<string, number[]>): TextEmbedder {
  return {
    model: "fixed",
    embed: (texts, kind) =>
      Promise.resolve(texts.map((t) => byText[kind === "query" ? "query" : t.split(":")[0]!]!)),
  };
}

Deno.test("hybrid search weighs a weak keyword match by its own score, not as the best one", async () => {
  // "find_agency" matches one generic query word (keyword 3); "weather_now" matches none but is
  // semantically closest. Scaled by the best keyword score, the weak match counted as a full 1
  // and won; on the keyword scale it counts 3/15.
  const tools = [spec("find_agency", "Find marketing agencies"), spec("weather_now", "Forecast")];
  const hybrid = new HybridToolSearch(
    fixedKeywords({ find_agency: 3 }, tools),
    fixedVectors({ "find agency": [0, 1], "weather now": [1, 0], query: [0.8, 0.6] }),
    { minFit: 0 },
  );
  await hybrid.sync();
  const hits = await hybrid.search("find out whether it will drizzle", 2);
  assert.deepEqual(hits.map((h) => h.name), ["weather_now", "find_agency"]);
  assert.equal(hits[0]!.score, 2.4);
  assert.equal(hits[1]!.score, 2);
});

Deno.test("hybrid search answers when a lower-ranked candidate fits, not only the first", async () => {
  // semantic_only ranks first (fused 1.8) without fitting (fit 1.8 < 2); strong_keyword fits
  // (min(12/6, 1.5) + 0.6 = 2.1), so the query is not "nothing fits".
  const tools = [spec("semantic_only", "x"), spec("strong_keyword", "y")];
  const hybrid = new HybridToolSearch(
    fixedKeywords({ strong_keyword: 12 }, tools),
    fixedVectors({
      "semantic only": [1, 0, 0],
      "strong keyword": [0, 1, 0],
      query: [0.6, 0.2, Math.sqrt(0.6)],
    }),
  );
  await hybrid.sync();
  assert.deepEqual((await hybrid.search("anything", 5)).map((h) => h.name), [
    "semantic_only",
    "strong_keyword",
  ]);
  // Alone, the first candidate does not fit.
  assert.deepEqual(await hybrid.search("anything", 1), []);
});
