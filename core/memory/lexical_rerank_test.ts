/** The lexical score: BM25 plus the author bonus and the semantic soft match. */
import assert from "node:assert/strict";
import { fieldBm25, lexicalScores, QueryTerms } from "./lexical_rerank.ts";
import { bm25, terms } from "./term_stats.ts";
import { words } from "./text_features.ts";
import type { IdfTable } from "./term_stats.ts";
import type { Memory } from "./types.ts";
import { QuantizedWordVectors } from "./word_vectors.ts";

const flatIdf: IdfTable = { idf: () => 1, df: () => 1, n: 10, avgLength: 8 };

const memory = (text: string, speaker?: string): Memory => ({
  id: crypto.randomUUID(),
  type: "messages",
  createdAt: new Date(0),
  content: { text, ...(speaker ? { speaker } : {}) },
  entityId: null,
  agentId: null,
  roomId: null,
  worldId: null,
  unique: true,
  metadata: {},
});

Deno.test("lexical score favours the memory whose author the query names", () => {
  const said = [
    memory("Ana: Bo painted a sunset by the lake", "Ana"),
    memory("Bo: Ana painted a sunset by the lake", "Bo"),
  ];
  const [ana, bo] = lexicalScores("What did Bo paint?", said, flatIdf, undefined);
  assert.ok(bo! > ana!, `Bo's own words ${bo} should beat Ana's ${ana}`);
});

Deno.test("lexical score gives no author bonus without a word match", () => {
  const [s] = lexicalScores("Bo", [memory("the weather is fine", "Bo")], flatIdf, undefined);
  assert.equal(s, 0);
});

Deno.test("semantic soft match lifts a related word that BM25 cannot see", () => {
  const vectors = QuantizedWordVectors.fromFloats([["children", [1, 0.8, 0]], ["kids", [1, 1, 0]], [
    "cat",
    [0, 0, 1],
  ]], 3);
  const docs = [memory("my kids love dinosaurs"), memory("my cat loves dinosaurs")];
  const [kids, cat] = lexicalScores("Do your children like dinosaurs?", docs, flatIdf, vectors);
  assert.ok(kids! > cat!, `kids ${kids} vs cat ${cat}`);
  const [k2, c2] = lexicalScores("Do your children like dinosaurs?", docs, flatIdf, undefined);
  assert.equal(k2, c2);
});

Deno.test("field BM25 equals BM25 over the text twice plus the context", () => {
  const idf: IdfTable = { idf: (t) => t.length / 3, df: () => 1, n: 10, avgLength: 12 };
  const own = "Ana painted the sunset over the lake twice";
  const ctx = "Bo: what did you paint? Ana: lakes and sunsets";
  const query = "Which lakes did Ana paint at sunset?";
  const expected = bm25(terms(query), [...terms(own), ...terms(own), ...terms(ctx)], idf);
  const got = fieldBm25(new QueryTerms(new Set(terms(query))), words(own), words(ctx), idf);
  assert.ok(expected > 0);
  assert.ok(Math.abs(got - expected) < 1e-12, `${got} vs ${expected}`);
});

Deno.test("field BM25 counts every inflected form, whatever letters the word starts with", () => {
  // QueryTerms only stems words that start like a query term: that relies on a stem keeping its
  // word's first two letters. Check it on suffix-heavy and short words against plain BM25.
  const stems = ["ies", "sses", "s", "ing", "ed", "ly", "e", ""];
  const roots = ["fl", "a", "by", "runn", "stud", "x", "é", "größ", "12", "hopp", "lie"];
  const vocab = roots.flatMap((r) => stems.map((s) => r + s));
  const idf: IdfTable = { idf: () => 1.5, df: () => 1, n: 10, avgLength: 20 };
  for (const q of vocab) {
    const text = vocab.join(" ");
    const expected = bm25(terms(q), [...terms(text), ...terms(text)], idf);
    const got = fieldBm25(new QueryTerms(new Set(terms(q))), words(text), [], idf);
    assert.ok(Math.abs(got - expected) < 1e-12, `query "${q}": ${got} vs ${expected}`);
  }
});
