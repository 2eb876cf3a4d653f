import assert from "node:assert/strict";
import { defaultRelatedWords, encodeRelatedWords, RelatedWords } from "./related_words.ts";

Deno.test("related words come back most similar first, cut at the minimum similarity", () => {
  const table = new RelatedWords(
    encodeRelatedWords(["tunes", "songs", "music", "pop"], [[[1, 0.86], [2, 0.69], [3, 0.5]]], 4),
  );
  assert.equal(table.size, 4);
  assert.deepEqual(table.related("tunes", 0.6).map((r) => r.word), ["songs", "music"]);
  assert.ok(Math.abs(table.related("tunes")[0]!.similarity - 0.86) < 0.01);
  assert.deepEqual(table.related("songs"), []);
  assert.deepEqual(table.related("unknown"), []);
});

Deno.test("a truncated related-words table is rejected", () => {
  const bytes = encodeRelatedWords(["a", "b"], [[[1, 0.9]]], 2);
  assert.throws(() => new RelatedWords(bytes.subarray(0, bytes.length - 1)), /sizes do not match/);
});

Deno.test("the shipped related-words table links everyday paraphrases", () => {
  const table = defaultRelatedWords();
  assert.ok(table, "core/tools/data/related_words.bin is readable");
  assert.ok(table.related("tunes", 0.6).some((r) => r.word === "songs"));
  assert.ok(table.related("temperature", 0.6).some((r) => r.word === "humidity"));
});
