/** The offline embedder: deterministic unit vectors where shared words and word forms score high. */
import assert from "node:assert/strict";
import { HashEmbedder } from "./hash_embedder.ts";
import { stem } from "./text_features.ts";

const cos = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * b[i]!, 0);

Deno.test("hash embedder is deterministic and returns unit vectors of its dimension", async () => {
  const e = new HashEmbedder(512);
  const [a, b] = await e.embed(["Melanie painted a sunrise", "Melanie painted a sunrise"]);
  assert.equal(a!.length, 512);
  assert.deepEqual(a, b);
  assert.ok(Math.abs(cos(a!, a!) - 1) < 1e-9);
});

Deno.test("hash embedder scores word forms of the same stem above unrelated text", () => {
  const e = new HashEmbedder(384);
  const q = e.embedOne("painting sunrises");
  const related = cos(q, e.embedOne("She painted a sunrise"));
  const unrelated = cos(q, e.embedOne("The dog barked at the mailman"));
  assert.ok(related > 0.3, `related ${related}`);
  assert.ok(related > unrelated + 0.2, `related ${related} vs unrelated ${unrelated}`);
});

Deno.test("hash embedder gives stopword-only text a zero vector", () => {
  const v = new HashEmbedder(384).embedOne("the and of");
  assert.ok(v.every((x) => x === 0));
});

Deno.test("stemmer folds plurals and -ing/-ed forms", () => {
  assert.equal(stem("agencies"), stem("agency"));
  assert.equal(stem("painting"), stem("painted"));
  assert.equal(stem("runs"), stem("run"));
});
