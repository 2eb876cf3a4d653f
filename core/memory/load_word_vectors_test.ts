/** Deriving the word vector table from the package's JSON once, then reading it from the data dir. */
import assert from "node:assert/strict";
import { loadWordVectors, readWinkVectors } from "./load_word_vectors.ts";

const vec = (x: number) => [...Array.from({ length: 100 }, (_, i) => (i === x ? 1 : 0)), 1, x];

/** A small file in the package's shape, words by frequency, some not plain words. */
async function fixture(dir: string): Promise<string> {
  const vectors = {
    the: vec(0),
    '"': vec(1),
    "]": vec(2),
    kids: vec(3),
    "2023": vec(4),
    "n't": vec(5),
    children: [...vec(3).slice(0, 100).map((x, i) => (i === 6 ? 0.5 : x)), 1, 6],
    tax: vec(7),
  };
  const path = `${dir}/vectors.json`;
  await Deno.writeTextFile(
    path,
    JSON.stringify({ precision: 8, words: Object.keys(vectors), vectors, unkVector: vec(0) }),
  );
  return path;
}

Deno.test("reading the package's vectors keeps plain words in file order up to the limit", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const got = await readWinkVectors(await fixture(dir), 3);
    assert.deepEqual(got.map(([w]) => w), ["the", "kids", "children"]);
    assert.equal(got[1]![1].length, 100);
    assert.equal(got[1]![1][3], 1);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("word vectors are derived into the data dir once, then read from there", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const source = await fixture(dir);
    const first = await loadWordVectors(`${dir}/data`, { source, maxWords: 10 });
    assert.deepEqual(first?.words, ["the", "kids", "children", "tax"]);
    assert.ok(first!.similarity("kids", "children") > 0.85);
    const files = [...Deno.readDirSync(`${dir}/data/word_vectors`)].map((e) => e.name);
    assert.equal(files.length, 1);
    await Deno.remove(source);
    const again = await loadWordVectors(`${dir}/data`, { source, maxWords: 10 });
    assert.deepEqual(again?.words, first?.words);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("without the package, word vectors are off after one warning", async () => {
  const dir = await Deno.makeTempDir();
  const warnings: string[] = [];
  try {
    const got = await loadWordVectors(dir, {
      source: `${dir}/missing.json`,
      warn: (l) => warnings.push(l),
    });
    assert.equal(got, undefined);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /without word vectors/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
