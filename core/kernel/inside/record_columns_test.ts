/** Round trips of the columnar checkpoint format, and the values it must leave to v8. */
import assert from "node:assert/strict";
import { decodeRecords, encodeRecords, isRecordColumns } from "./record_columns.ts";

const N = 2_000; // above the format's minimum row count

function join(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) out.set(p, at), at += p.length;
  return out;
}

/** Encodes `rows` (which must take the columnar path) and checks an exact round trip. */
function roundTrip(rows: unknown[]): unknown[] {
  const parts = encodeRecords(rows);
  assert.ok(parts, "expected the columnar path");
  const bytes = join(parts);
  assert.ok(isRecordColumns(bytes));
  const back = decodeRecords(bytes);
  assert.deepStrictEqual(back, rows); // SameValue: -0 and NaN, undefined vs missing, prototypes
  assert.equal(Object.getPrototypeOf(back), Array.prototype);
  for (let i = 0; i < rows.length; i++) {
    assert.deepEqual(Object.keys(back[i] as object), Object.keys(rows[i] as object), `row ${i}`);
  }
  return back;
}

const table = (f: (i: number) => unknown) => Array.from({ length: N }, (_, i) => f(i));

Deno.test("record columns round-trip int, float and string columns", () => {
  roundTrip(table((i) => ({ id: i, name: `row-${i}`, score: i / 3 })));
});

Deno.test("record columns keep -0, NaN, infinities and numbers beyond int32 exactly", () => {
  const special = [-0, NaN, Infinity, -Infinity, 2 ** 31, -(2 ** 31) - 1, 1e308, 5e-324];
  const back = roundTrip(table((i) => ({
    n: special[i % special.length],
    big: Number.MAX_SAFE_INTEGER + 2 * i,
    i: i % 7 ? i : -0,
  }))) as { n: number; i: number }[];
  assert.ok(Object.is(back[0]!.n, -0));
  assert.ok(Object.is(back[0]!.i, -0));
});

Deno.test("record columns keep mixed primitives: undefined, null, booleans, bigint, strings", () => {
  const values = [undefined, null, true, false, 10n ** 30n, "x", 1.5, -0, ""];
  roundTrip(table((i) => ({
    v: values[i % values.length],
    flag: i % 2 === 0,
    none: null,
    late: i < N - 10 ? -i : `s${i}`, // numbers first, then a string
  })));
});

Deno.test("record columns keep any unicode, lone surrogates included", () => {
  const words = [
    "héllo",
    "日本語",
    "😀",
    "\ud800",
    "a\udfffb",
    "\u0000",
    "\ufeff",
    "x".repeat(300),
  ];
  roundTrip(table((i) => ({ s: words[i % words.length]! + i })));
});

Deno.test("record columns keep key order, odd keys and integer-like keys", () => {
  const back = roundTrip(
    table((i) => ({ z: i, "first name": "a", "": i % 3, "7": "seven", a: "ñ", "é\ud800": 0 })),
  );
  assert.deepEqual(Object.keys(back[0] as object), ["7", "z", "first name", "", "a", "é\ud800"]);
});

Deno.test("record columns keep nested records and arrays", () => {
  const back = roundTrip(table((i) => ({
    id: i,
    tags: ["a", `b${i % 9}`, "\ud800"].slice(i % 4),
    pos: { x: i / 7, y: -i, deep: { at: [i, -0, NaN], none: {} } },
    list: i % 3 ? [{ k: "x", v: i }, { k: "y", v: null }] : [],
    mixed: [1, "one", true, undefined, null, 2n],
    grid: [[i], [], ["z"]],
  }))) as { tags: string[]; pos: { deep: { at: number[] } } }[];
  assert.ok(Object.is(back[5]!.pos.deep.at[1], -0));
  assert.equal(Object.getPrototypeOf(back[5]!.tags), Array.prototype);
});

Deno.test("record columns keep Dates, invalid ones included, also inside arrays", () => {
  const back = roundTrip(table((i) => ({
    id: i,
    at: new Date(i % 10 ? 1_700_000_000_000 + i * 1_000.5 : NaN),
    log: [new Date(-i * 86_400_000), new Date(8.64e15)],
  }))) as { at: Date }[];
  assert.ok(back[0]!.at instanceof Date && Number.isNaN(back[0]!.at.getTime()));
});

Deno.test("record columns keep rows of several shapes: missing, extra and reordered keys", () => {
  roundTrip(
    table((i) =>
      i % 7 === 0
        ? { id: i, s: `${i}`, extra: [i] }
        : i % 5 === 0
        ? { s: "five", id: i }
        : i % 3 === 0
        ? { id: i }
        : { id: i, s: "x", o: i % 2 ? { y: i } : { x: -i, y: 0 } }
    ),
  );
});

Deno.test("record columns keep objects among primitives: null records, optional arrays", () => {
  roundTrip(table((i) => ({
    id: i,
    o: i % 3 ? { x: i } : null,
    tags: i % 4 ? ["a", i] : undefined,
    at: i % 5 ? new Date(i) : i,
    any: i % 2 ? [{ deep: i % 3 ? null : { y: -0 } }] : "none",
  })));
});

Deno.test("record columns keep two columns of records with the same keys", () => {
  roundTrip(table((i) => ({ id: i, from: { x: i, y: 0 }, to: { x: i + 1, y: 1 } })));
});

Deno.test("record columns keep a column of few distinct strings (a dictionary)", () => {
  const words = ["", "a", "é", "\udc00", "😀", "a"];
  roundTrip(table((i) => ({ w: words[i % words.length], id: i })));
});

Deno.test("record columns keep rows without keys", () => {
  roundTrip(table(() => ({})));
});

Deno.test("record columns accept distinct rows without a rising column (checked by identity)", () => {
  roundTrip(table((i) => ({ k: i % 10, s: "same" })));
});

Deno.test("record columns rebuild independent rows", () => {
  const back = roundTrip(table((i) => ({ id: i }))) as { id: number }[];
  back[0]!.id = 99;
  assert.equal(back[1]!.id, 1);
});

Deno.test("record columns leave every other shape to v8", async (t) => {
  class Row {
    constructor(public id: number) {}
  }
  const extra = table((i) => ({ id: i }));
  (extra as unknown as { meta: string }).meta = "x";
  const holey = table((i) => ({ id: i }));
  delete holey[5];
  const shared = { id: 1, s: "x" };
  class Rows extends Array {}
  class Day extends Date {}
  const day = new Date(0);
  const tags = ["a", "b"];
  const cyclic = table((i) => ({ id: i, self: null as unknown }));
  for (const row of cyclic as { self: unknown }[]) row.self = row;
  const cases: Record<string, unknown> = {
    "too few rows": Array.from({ length: 10 }, (_, i) => ({ id: i })),
    "one Date in two rows": table((i) => ({ id: i, at: i === 7 || i === 8 ? day : new Date(i) })),
    "a Date subclass": table((i) => ({ id: i, at: i === 7 ? new Day(i) : new Date(i) })),
    "a symbol value": table((i) => ({ id: i, s: i === 7 ? Symbol("no") : "x" })),
    "a function value": table((i) => ({ id: i, f: i === 7 ? () => 1 : null })),
    "records and arrays in one column": table((i) => ({ id: i, o: i === 7 ? [1] : { x: 1 } })),
    "a nested class instance": table((i) => ({ id: i, o: i === 7 ? new Row(i) : { id: i } })),
    "a nested object shared by two rows": table((i) => ({
      id: i,
      o: i > 5 ? shared : { ...shared },
    })),
    "one nested object in two columns": table((i) => {
      const o = { x: i };
      return { id: i, a: o, b: i === 7 ? o : { x: i } };
    }),
    "an array shared by two rows": table((i) => ({
      id: i,
      tags: i === 7 || i === 900 ? tags : [...tags],
    })),
    "an array with a hole": table((i) => ({ id: i, tags: i === 7 ? [1, , 3] : [1, 2, 3] })),
    "an array with a named property": table((i) => ({
      id: i,
      tags: i === 7 ? Object.assign([1], { x: 1 }) : [1],
    })),
    "an array with a hole and a named property": table((i) => ({
      id: i,
      tags: i === 7 ? Object.assign([1, , 3], { x: 1 }) : [1, 2, 3],
    })),
    "a row that holds itself": cyclic,
    "a row that holds the table": table((i) => ({ id: i, all: i === 7 ? cyclic : [] })),
    "records nested too deep": table((i) => ({ id: i, a: { b: { c: { d: { e: { f: i } } } } } })),
    "class instances": table((i) => new Row(i)),
    "prototype-less rows": table((i) => Object.assign(Object.create(null), { id: i })),
    "a __proto__ key": table((i) => JSON.parse(`{"id": ${i}, "__proto__": 1}`)),
    "a hole": holey,
    "a sparse array": Object.assign(new Array(N + 5), table((i) => ({ id: i }))),
    "named properties on the array": extra,
    "one row object twice": table((i) => (i % 2 ? shared : { id: 1, s: "x" })),
    "an Array subclass": Rows.from(table((i) => ({ id: i }))),
    "arrays as rows": table((i) => [i, "x"]),
    "primitives": table((i) => i),
    "too many shapes": table((i) => ({ [`k${i % 100}`]: i })),
    "a Map": new Map([[1, { id: 1 }]]),
  };
  for (const [name, value] of Object.entries(cases)) {
    await t.step(name, () => assert.equal(encodeRecords(value), undefined));
  }
});

Deno.test("record columns fall back when Object.prototype has an enumerable key", () => {
  const rows = table((i) => ({ id: i }));
  Object.defineProperty(Object.prototype, "polluted", {
    value: 1,
    enumerable: true,
    configurable: true,
  });
  try {
    assert.equal(encodeRecords(rows), undefined);
  } finally {
    delete (Object.prototype as Record<string, unknown>).polluted;
  }
  assert.ok(encodeRecords(rows));
});

Deno.test("record columns reject a damaged file instead of returning wrong rows", () => {
  const bytes = join(encodeRecords(table((i) => ({ id: i, s: `${i}` })))!);
  assert.throws(() => decodeRecords(bytes.subarray(0, bytes.length - 100)));
  assert.throws(() => decodeRecords(new Uint8Array([0xff, 0x0f, 0])));
});

Deno.test("record columns leave a table to v8 when the heap has no room for the encoder", async () => {
  // A child with a small heap, mostly filled by the table: encoding it there could kill the
  // kernel (heap cap, RSS watchdog) where v8.serialize, whose buffer is off the heap, would not.
  const module = new URL("./record_columns.ts", import.meta.url).href;
  const script = `
    import { encodeRecords } from ${JSON.stringify(module)};
    const rows = Array.from({ length: 700_000 }, (_, i) => ({ id: i, name: "row-" + i, x: i / 3 }));
    console.log(encodeRecords(rows) ? "columns" : "v8");`;
  const run = async (heapMb: number) => {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["eval", "--no-prompt", `--v8-flags=--max-old-space-size=${heapMb}`, script],
      stdout: "piped",
      stderr: "piped",
    }).output();
    return new TextDecoder().decode(out.stdout).trim() || new TextDecoder().decode(out.stderr);
  };
  assert.equal(await run(512), "columns");
  assert.equal(await run(110), "v8");
});
