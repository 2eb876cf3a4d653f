/**
 * Columnar checkpoint format for the commonest big value: an array of same-shape plain records
 * with primitive fields (`[{ id, name, score }, ...]`). `v8.deserialize` rebuilds such an array
 * object by object (~2 s for 2.25M rows); stored as columns (numbers as Int32Array/Float64Array
 * bytes, other primitives as one v8-serialised array per column) it comes back in a fraction of
 * that. Anything this format cannot reproduce exactly returns `undefined` from the encoder and
 * the caller falls back to `v8.serialize` (see checkpoint.ts).
 */
import v8 from "node:v8";

/** Marks a columnar file; a `v8.serialize` buffer starts with 0xFF instead. */
const MAGIC = new TextEncoder().encode("NSCOLS1\n");
/** Below this many rows v8 is fast enough and the plain format is kept. */
const MIN_ROWS = 1_000;
/** Wider records are rare; the generated row builder stays small. */
const MAX_KEYS = 200;

type Kind = "i32" | "f64" | "values";
interface Header {
  n: number;
  keys: string[];
  cols: { kind: Kind; bytes: number }[];
}
interface Column {
  values: unknown[];
  /** Every value is a number / an int32 other than -0 / larger than the one before. */
  num: boolean;
  int: boolean;
  rising: boolean;
  prev: number;
}

/** True when `bytes` is a file written by {@link encodeRecords}. */
export function isRecordColumns(bytes: Uint8Array): boolean {
  return bytes.byteLength >= MAGIC.length && MAGIC.every((b, i) => bytes[i] === b);
}

/**
 * Encodes `value` as columns when it is a plain Array (no holes, no extra properties) of at
 * least MIN_ROWS distinct plain objects (prototype Object.prototype) that all have the same
 * own enumerable keys in the same order, none `__proto__`, whose values are primitives other
 * than symbols. Returns the file's parts, or `undefined` when `value` is anything else.
 * Like v8.serialize, getters are read once and non-enumerable properties are dropped.
 */
export function encodeRecords(value: unknown): Uint8Array[] | undefined {
  if (!Array.isArray(value) || Object.getPrototypeOf(value) !== Array.prototype) return undefined;
  const rows: unknown[] = value;
  const n = rows.length;
  if (n < MIN_ROWS || !isPlainObject(rows[0])) return undefined;
  const keys = Object.keys(rows[0]);
  if (!keys.length || keys.length > MAX_KEYS || keys.includes("__proto__")) return undefined;
  const cols: Column[] = keys.map(() => ({
    values: [],
    num: true,
    int: true,
    rising: true,
    prev: -Infinity,
  }));
  for (let i = 0; i < n; i++) {
    const row = rows[i]; // a hole reads as undefined and fails the check below
    if (!isPlainObject(row)) return undefined;
    let j = 0;
    // for-in also lists inherited enumerable keys: a polluted Object.prototype falls back.
    for (const k in row) {
      if (k !== keys[j]) return undefined;
      const v = (row as Record<string, unknown>)[k];
      const col = cols[j++]!;
      if (typeof v === "number") {
        if (col.int && ((v | 0) !== v || Object.is(v, -0))) col.int = false;
        if (col.rising && !(v > col.prev)) col.rising = false;
        col.prev = v;
      } else if (v !== null && (typeof v === "object" || typeof v === "function")) {
        return undefined;
      } else if (typeof v === "symbol") return undefined;
      else col.num = col.int = col.rising = false;
      col.values.push(v);
    }
    if (j !== keys.length) return undefined;
  }
  if (Object.keys(rows).length !== n) return undefined; // named properties on the array
  // v8 keeps one object listed twice as one object; columns would make two. Equal objects
  // have equal fields, so a strictly rising column proves the rows distinct without a Set.
  if (!cols.some((c) => c.num && c.rising) && new Set(rows).size !== n) return undefined;
  const bodies = cols.map((c): [Kind, Uint8Array] =>
    c.num && c.int
      ? ["i32", new Uint8Array(new Int32Array(c.values as number[]).buffer)]
      : c.num
      ? ["f64", new Uint8Array(new Float64Array(c.values as number[]).buffer)]
      : ["values", v8.serialize(c.values)]
  );
  const header: Header = { n, keys, cols: bodies.map(([kind, b]) => ({ kind, bytes: b.length })) };
  const json = new TextEncoder().encode(JSON.stringify(header));
  const size = new Uint8Array(4);
  new DataView(size.buffer).setUint32(0, json.length, true);
  const parts: Uint8Array[] = [MAGIC, size, json];
  let at = MAGIC.length + 4 + json.length;
  for (const [, body] of bodies) {
    parts.push(new Uint8Array(pad8(at) - at), body);
    at = pad8(at) + body.length;
  }
  return parts;
}

/** Rebuilds the array written by {@link encodeRecords}; throws on a damaged file. */
export function decodeRecords(bytes: Uint8Array): unknown[] {
  if (!isRecordColumns(bytes)) throw new Error("not a columnar checkpoint");
  const size = new DataView(bytes.buffer, bytes.byteOffset).getUint32(MAGIC.length, true);
  let at = MAGIC.length + 4;
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(at, at + size))) as Header;
  at += size;
  const { n, keys } = header;
  const cols = header.cols.map(({ kind, bytes: length }) => {
    at = pad8(at);
    const body = bytes.subarray(at, at += length);
    if (body.length !== length) throw new Error("columnar checkpoint is truncated");
    // Copies of the number columns: aligned, and the file's buffer can be freed.
    const col = kind === "i32"
      ? new Int32Array(body.slice().buffer)
      : kind === "f64"
      ? new Float64Array(body.slice().buffer)
      : v8.deserialize(body) as unknown[];
    if (col.length !== n) throw new Error("columnar checkpoint has a column of the wrong length");
    return col;
  });
  if (keys.length !== cols.length || keys.includes("__proto__")) {
    throw new Error("columnar checkpoint has a bad header");
  }
  return rowBuilder(keys)(n, ...cols);
}

/**
 * A function that builds the rows with one object literal, so every row gets the same hidden
 * class with in-object fields in the original key order (keys are JSON string literals).
 */
function rowBuilder(keys: string[]): (n: number, ...cols: ArrayLike<unknown>[]) => unknown[] {
  const fields = keys.map((k, i) => `${JSON.stringify(k)}: c${i}[i]`).join(", ");
  const params = keys.map((_, i) => `c${i}`);
  return new Function(
    "n",
    ...params,
    `const rows = [];\nfor (let i = 0; i < n; i++) rows.push({ ${fields} });\nreturn rows;`,
  ) as (n: number, ...cols: ArrayLike<unknown>[]) => unknown[];
}

function isPlainObject(v: unknown): v is object {
  return v !== null && typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype;
}

function pad8(n: number): number {
  return Math.ceil(n / 8) * 8;
}
