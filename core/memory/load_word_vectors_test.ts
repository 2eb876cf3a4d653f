/** The shipped word vector table, deriving one from the package's JSON, and a missing table. */
import assert from "node:assert/strict";
import { loadWordVectors } from "./load_word_vectors.ts";
import { readWinkVectors } from "./data/derive_word_vectors.ts";
import { QuantizedWordVectors } from "./word_vectors.ts";

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
    const table = QuantizedWordVectors.fromFloats(got, 100);
    const again = QuantizedWordVectors.deserialize(table.serialize());
    assert.ok(again.similarity("kids", "children") > 0.85);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the shipped table knows common words and their neighbours", async () => {
  const table = await loadWordVectors({ warn: (l) => assert.fail(l) });
  assert.equal(table?.words.length, 50_000);
  assert.ok(table!.similarity("kids", "children") > 0.6);
  assert.ok(table!.similarity("kids", "children") > table!.similarity("kids", "tax") + 0.3);
  assert.equal(table!.similarity("kids", "qwertyuiopasdf"), 0);
});

Deno.test("without the table, word vectors are off after one warning", async () => {
  const dir = await Deno.makeTempDir();
  const warnings: string[] = [];
  try {
    await Deno.writeTextFile(`${dir}/bad.wvec`, "not a table");
    for (const file of [`${dir}/missing.wvec`, `${dir}/bad.wvec`]) {
      assert.equal(await loadWordVectors({ file, warn: (l) => warnings.push(l) }), undefined);
    }
    assert.equal(warnings.length, 2);
    assert.match(warnings[0]!, /without word vectors: cannot read .*missing\.wvec/);
    assert.match(warnings[1]!, /not a word vector table/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
