/**
 * Random tables (seeded, so a failure replays): whenever the columnar format takes a table, it
 * must give back exactly what a v8 round trip gives: values, key order and shared objects.
 */
import assert from "node:assert/strict";
import v8 from "node:v8";
import { decodeRecords, encodeRecords } from "./record_columns.ts";

const words = ["", "a", "é", "\ud800", "😀", "x\u0000y", "long".repeat(20)];
const sharedRecord = { a: 1, b: "" };
const sharedList = [1, 2];
/** Field makers; `one` is a value or its row's odd one out (both may force a fallback). */
const fields: Record<string, (i: number, pick: <T>(a: T[]) => T) => unknown> = {
  int: (i, pick) => i * pick([1, -1]),
  float: (i) => i / 7,
  special: (i, pick) => pick([-0, NaN, Infinity, i]),
  text: (i, pick) => pick(words) + i,
  category: (_, pick) => pick(words),
  mixed: (_, pick) => pick([1, "1", true, null, undefined, 2n, -0]),
  date: (i) => new Date(i * 1000),
  record: (i, pick) => ({ a: i, b: pick(words) }),
  list: (i) => [i, i + 1].slice(i % 3),
  records: (i) => [{ k: i }],
  deep: (i) => ({ p: { q: [i] } }),
  nullable: (i, pick) => pick([null, { a: i }, undefined]),
};
/** What may happen to a row (rows 5 and 9): an odd value, or a key missing or added. */
const oddOnes: ((row: Record<string, unknown>, key: string) => void)[] = [
  ...[sharedRecord, sharedList, [1, , 3], new Date(0), Object.create(null), 1].map(
    (odd) => (row: Record<string, unknown>, key: string) => row[key] = odd,
  ),
  (row, key) => delete row[key],
  (row) => row.extra = "x",
];
Deno.test("record columns agree with a v8 round trip on random tables", () => {
  let seed = 7;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const pick = <T>(a: T[]): T => a[Math.floor(random() * a.length)]!;
  let taken = 0;
  for (let t = 0; t < 120; t++) {
    const n = 1_000 + Math.floor(random() * 500);
    const kinds = Array.from(
      { length: 1 + Math.floor(random() * 4) },
      () => pick(Object.keys(fields)),
    );
    const odd = random() < 0.3 ? pick(oddOnes) : undefined;
    const rows = Array.from({ length: n }, (_, i) => {
      const row: Record<string, unknown> = {};
      kinds.forEach((kind, j) => row[`${kind}${j}`] = fields[kind]!(i, pick));
      if (odd && (i === 5 || i === 9)) odd(row, `${kinds[0]}0`);
      return row;
    });
    const parts = encodeRecords(rows);
    if (!parts) continue;
    taken++;
    const back = decodeRecords(new Uint8Array(parts.flatMap((p) => [...p])));
    const expected = v8.deserialize(v8.serialize(rows)) as object[];
    assert.deepStrictEqual(back, expected, `table ${t}: ${kinds}`);
    back.forEach((row, i) =>
      assert.deepEqual(Object.keys(row as object), Object.keys(expected[i]!))
    );
    assert.equal(objects(back), objects(expected), `table ${t}: shared objects`);
  }
  assert.ok(taken > 40, `only ${taken} of 120 tables took the columnar path`);
});

/** How many distinct objects `v` holds (two rows sharing one object count it once). */
function objects(v: unknown, seen = new Set<object>()): number {
  if (v === null || typeof v !== "object" || seen.has(v)) return 0;
  seen.add(v);
  let n = 1;
  for (const x of Object.values(v)) n += objects(x, seen);
  return n;
}
