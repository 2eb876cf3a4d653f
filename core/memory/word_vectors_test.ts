/** The int8 word vector table: cosine similarity and its file form. */
import assert from "node:assert/strict";
import { QuantizedWordVectors } from "./word_vectors.ts";

const table = () =>
  QuantizedWordVectors.fromFloats([
    ["kids", [1, 2, 0, 0]],
    ["children", [1, 1.8, 0.2, 0]],
    ["tax", [0, 0, 0, 5]],
  ], 4);

Deno.test("word vectors score related words high, unrelated and unknown ones near 0", () => {
  const v = table();
  assert.ok(v.similarity("kids", "children") > 0.95);
  assert.ok(Math.abs(v.similarity("kids", "tax")) < 0.01);
  assert.ok(Math.abs(v.similarity("kids", "kids") - 1) < 0.02);
  assert.equal(v.similarity("kids", "unknown"), 0);
});

Deno.test("word vector table survives its file form", () => {
  const v = table();
  const back = QuantizedWordVectors.deserialize(v.serialize());
  assert.deepEqual(back.words, v.words);
  assert.equal(back.similarity("kids", "children"), v.similarity("kids", "children"));
  assert.throws(() => QuantizedWordVectors.deserialize(new Uint8Array(20)), /not a word vector/);
});
