/**
 * Columns of the columnar checkpoint format (record_columns.ts): how one column of values is
 * stored. Numbers become Int32Array/Float64Array bytes; strings with few distinct values a
 * dictionary; other primitives one v8-serialised array; same-shape plain objects a nested
 * table; plain arrays their lengths plus one column of all their items. Anything else makes
 * the encoder give up, and the caller keeps `v8.serialize`.
 */
import v8 from "node:v8";

/** How a column is stored; its bodies follow in the file in depth-first order. */
export type ColumnSpec =
  | { kind: "i32" | "f64" | "values" }
  | { kind: "dict" }
  | { kind: "records"; keys: string[]; cols: ColumnSpec[] }
  | { kind: "lists"; items: ColumnSpec };

/** What an encoding collects beside the bodies, for the identity check of record_columns.ts. */
export interface Encoding {
  bodies: Uint8Array[];
  /** Every table of records met, and whether a strictly rising column proves its rows distinct. */
  tables: { keys: string; rows: object[]; distinct: boolean }[];
  /** Every column of arrays met (arrays are always checked by identity). */
  lists: object[][];
}

/** Records or arrays nested deeper than this (or a cycle) are left to v8. */
const MAX_DEPTH = 4;
/** Wider records are rare; the generated row builder stays small. */
const MAX_KEYS = 200;
/** A string column with at most this many distinct values is stored as a dictionary. */
const MAX_DICT = 4_096;

/** Encodes the rows of a table (plain objects with the same keys in the same order). */
export function encodeTable(
  rows: unknown[],
  enc: Encoding,
  depth = 0,
): Extract<ColumnSpec, { kind: "records" }> | undefined {
  if (!isPlainObject(rows[0])) return undefined;
  const keys = Object.keys(rows[0]);
  if (keys.length > MAX_KEYS || keys.includes("__proto__")) return undefined;
  const values: unknown[][] = keys.map(() => []);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]; // a hole reads as undefined and fails the check below
    if (!isPlainObject(row)) return undefined;
    let j = 0;
    // for-in also lists inherited enumerable keys: a polluted Object.prototype falls back.
    for (const k in row) {
      if (k !== keys[j]) return undefined;
      values[j++]!.push((row as Record<string, unknown>)[k]);
    }
    if (j !== keys.length) return undefined;
  }
  const cols: ColumnSpec[] = [];
  let distinct = false;
  for (const column of values) {
    const c = encodeColumn(column, enc, depth);
    if (!c) return undefined;
    cols.push(c.spec);
    distinct ||= c.rising;
  }
  enc.tables.push({ keys: JSON.stringify(keys), rows: rows as object[], distinct });
  return { kind: "records", keys, cols };
}

/**
 * Encodes one column; `rising` says its values are strictly increasing numbers (equal objects
 * would have equal fields, so such a column proves its table's rows distinct).
 */
function encodeColumn(
  values: unknown[],
  enc: Encoding,
  depth: number,
): { spec: ColumnSpec; rising: boolean } | undefined {
  let num = true, int = true, rising = true, str = true, prim = true, obj = true, arr = true;
  let prev = -Infinity;
  for (const v of values) {
    if (typeof v === "number") {
      if (int && ((v | 0) !== v || Object.is(v, -0))) int = false;
      if (rising && !(v > prev)) rising = false;
      prev = v;
      str = obj = arr = false;
      continue;
    }
    num = int = rising = false;
    if (typeof v !== "string") str = false;
    if (v !== null && typeof v === "object") {
      prim = false;
      if (Array.isArray(v)) obj = false;
      else arr = false;
    } else if (typeof v === "function" || typeof v === "symbol") return undefined;
    else obj = arr = false;
  }
  if (num) {
    const body = int ? new Int32Array(values as number[]) : new Float64Array(values as number[]);
    enc.bodies.push(new Uint8Array(body.buffer));
    return { spec: { kind: int ? "i32" : "f64" }, rising };
  }
  if (str && encodeDictionary(values as string[], enc)) return { spec: { kind: "dict" }, rising };
  if (prim) {
    enc.bodies.push(v8.serialize(values));
    return { spec: { kind: "values" }, rising };
  }
  if (depth >= MAX_DEPTH) return undefined;
  const spec = obj
    ? encodeTable(values, enc, depth + 1)
    : arr
    ? encodeLists(values, enc, depth)
    : undefined;
  return spec && { spec, rising };
}

/** Plain arrays (no holes, no named properties): their lengths, then one column of items. */
function encodeLists(
  lists: unknown[],
  enc: Encoding,
  depth: number,
): ColumnSpec | undefined {
  const lengths = new Uint32Array(lists.length);
  const items: unknown[] = [];
  for (let i = 0; i < lists.length; i++) {
    const list = lists[i] as unknown[];
    if (Object.getPrototypeOf(list) !== Array.prototype) return undefined;
    if (Object.keys(list).length !== list.length) return undefined; // holes or named properties
    lengths[i] = list.length;
    for (let k = 0; k < list.length; k++) items.push(list[k]);
  }
  enc.bodies.push(new Uint8Array(lengths.buffer));
  enc.lists.push(lists as object[]);
  const inner = encodeColumn(items, enc, depth + 1);
  return inner && { kind: "lists", items: inner.spec };
}

/** Few distinct strings: the distinct ones (v8) and one Uint16 index per value. */
function encodeDictionary(values: string[], enc: Encoding): boolean {
  const ids = new Map<string, number>();
  const index = new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    let id = ids.get(v);
    if (id === undefined) {
      if (ids.size >= MAX_DICT || ids.size >= values.length / 4) return false;
      ids.set(v, id = ids.size);
    }
    index[i] = id;
  }
  enc.bodies.push(new Uint8Array(index.buffer), v8.serialize([...ids.keys()]));
  return true;
}

/** Rebuilds `n` values of a column from its spec, taking its bodies from `next`. */
export function decodeColumn(
  spec: ColumnSpec,
  n: number,
  next: () => Uint8Array,
): ArrayLike<unknown> {
  const col = decode(spec, n, next);
  if (col.length !== n) throw new Error("columnar checkpoint has a column of the wrong length");
  return col;
}

function decode(spec: ColumnSpec, n: number, next: () => Uint8Array): ArrayLike<unknown> {
  switch (spec.kind) {
    // Copies: aligned for the typed array, and the file's buffer can be freed.
    case "i32":
      return new Int32Array(next().slice().buffer);
    case "f64":
      return new Float64Array(next().slice().buffer);
    case "values":
      return v8.deserialize(next()) as unknown[];
    case "dict": {
      const index = new Uint16Array(next().slice().buffer);
      const words = v8.deserialize(next()) as string[];
      const out: string[] = [];
      for (let i = 0; i < index.length; i++) out.push(words[index[i]!]!);
      if (out.includes(undefined as unknown as string)) throw new Error("bad dictionary index");
      return out;
    }
    case "records": {
      if (spec.keys.includes("__proto__")) throw new Error("columnar checkpoint: bad key");
      const cols = spec.cols.map((c) => decodeColumn(c, n, next));
      return rowBuilder(spec.keys)(n, ...cols);
    }
    case "lists": {
      const lengths = new Uint32Array(next().slice().buffer);
      let total = 0;
      for (const len of lengths) total += len;
      const col = decodeColumn(spec.items, total, next);
      const items = Array.isArray(col) ? col : Array.from(col);
      const out: unknown[][] = [];
      let at = 0;
      for (const len of lengths) out.push(items.slice(at, at += len));
      return out;
    }
  }
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
