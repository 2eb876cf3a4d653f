import assert from "node:assert/strict";
import { queryTerms } from "./query_terms.ts";
import { encodeRelatedWords, RelatedWords } from "./related_words.ts";
import { stem } from "./tokenize.ts";

const related = new RelatedWords(
  encodeRelatedWords(
    ["tunes", "songs", "the", "weather"],
    [[[1, 0.8], [3, 0.4]], [], [[3, 0.9]]],
    2,
  ),
);

Deno.test("query terms weigh typed words 1 and related words by similarity", () => {
  const terms = queryTerms("play some tunes", related, { weight: 0.5, minSimilarity: 0.6 });
  assert.equal(terms.get("play"), 1);
  assert.equal(terms.get(stem("tunes")), 1);
  assert.ok(Math.abs(terms.get("song")! - 0.4) < 0.01);
  assert.equal(terms.has("weather"), false, "below the minimum similarity");
});

Deno.test("query terms never expand stop words and keep typed words at full weight", () => {
  const terms = queryTerms("the songs tunes", related, { weight: 0.5 });
  assert.equal(terms.has("weather"), false, "'the' is a stop word");
  assert.equal(terms.get("song"), 1);
});

Deno.test("query terms without a table or with weight 0 are the plain tokens", () => {
  assert.deepEqual([...queryTerms("play tunes").keys()], ["play", stem("tunes")]);
  assert.deepEqual([...queryTerms("play tunes", related, { weight: 0 }).keys()], [
    "play",
    stem("tunes"),
  ]);
});
