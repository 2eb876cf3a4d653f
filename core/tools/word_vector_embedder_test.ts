/** The word-vector embedder for tool search: frequency weighting, related words, empty texts. */
import assert from "node:assert/strict";
import { QuantizedWordVectors } from "../memory/word_vectors.ts";
import { WordVectorEmbedder } from "./word_vector_embedder.ts";

const dot = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * b[i]!, 0);

/** Words in frequency order; "get" is frequent, "forecast" and "invoice" rare. */
function table(): QuantizedWordVectors {
  const axis = (k: number) => Array.from({ length: 4 }, (_, i) => (i === k ? 1 : 0));
  const entries: [string, number[]][] = [["get", axis(0)], ["rain", [0, 0.8, 0.6, 0]]];
  for (let i = 0; i < 3000; i++) entries.push([`filler${i}`, axis(3)]);
  entries.push(["forecast", axis(1)], ["invoice", axis(2)]);
  return QuantizedWordVectors.fromFloats(entries, 4);
}

Deno.test("word vector embedder: unit vectors, frequent words weigh less than rare ones", async () => {
  const e = new WordVectorEmbedder({ vectors: table() });
  const [mixed, get, forecast] = await e.embed(["get the forecast", "get", "forecast"]);
  assert.ok(Math.abs(dot(mixed!, mixed!) - 1) < 1e-9);
  // "get" (rank 1) weighs 1/1001, "forecast" (rank 3003) 0.75: the text means "forecast".
  assert.ok(dot(mixed!, forecast!) > 0.99);
  assert.ok(dot(mixed!, get!) < 0.01);
});

Deno.test("word vector embedder: a related word brings texts together without a shared word", async () => {
  const e = new WordVectorEmbedder({ vectors: table() });
  const [query, weather, billing] = await e.embed(["rain?", "Forecast", "invoice"]);
  assert.ok(dot(query!, weather!) > dot(query!, billing!) + 0.1);
});

Deno.test("word vector embedder: stop words, numbers and unknown words give a zero vector", async () => {
  const e = new WordVectorEmbedder({ vectors: table() });
  assert.deepEqual(await e.embed(["the 42 zzyzx", ""]), [[0, 0, 0, 0], [0, 0, 0, 0]]);
});

Deno.test("word vector embedder: the shipped table puts a paraphrase nearer than unrelated text", async () => {
  const e = new WordVectorEmbedder();
  // No word in common. (Averaged vectors are coarse: "do I need an umbrella" is not nearer.)
  const [q, para, other] = await e.embed([
    "will it rain in Paris this weekend",
    "weather forecast: temperature and precipitation for a city",
    "compute the area of a triangle from its sides",
  ]);
  assert.equal(q!.length, 100);
  assert.ok(dot(q!, para!) > dot(q!, other!) + 0.2, "paraphrase not nearer");
});
