/**
 * Decoder of the columnar checkpoint format: rebuilds each column from the spec that
 * column_encoder.ts wrote, and the records of a table with one generated object literal.
 */
import v8 from "node:v8";
import type { ColumnSpec } from "./column_encoder.ts";

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
    case "dates": {
      const times = new Float64Array(next().slice().buffer);
      const out: Date[] = [];
      for (let i = 0; i < times.length; i++) out.push(new Date(times[i]!));
      return out;
    }
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
