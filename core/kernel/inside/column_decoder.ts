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
      const { keys, shapes = [keys.map((_, i) => i)] } = spec;
      if (keys.includes("__proto__")) throw new Error("columnar checkpoint: bad key");
      const ids = spec.shapes ? next() : new Uint8Array(n);
      // Each key's column holds the values of the rows whose shape has the key.
      const counts = keys.map(() => spec.shapes ? 0 : n);
      if (spec.shapes) { for (const id of ids) for (const c of shapes[id] ?? bad()) counts[c]!++; }
      const cols = spec.cols.map((c, i) => decodeColumn(c, counts[i]!, next));
      return rowBuilder(keys, shapes)(ids, ...cols);
    }
    case "split": {
      const mask = next();
      let objects = 0;
      for (const m of mask) objects += m;
      const prims = decodeColumn(spec.prims, n - objects, next);
      const objs = decodeColumn(spec.objects, objects, next);
      const out: unknown[] = [];
      let p = 0, o = 0;
      for (let i = 0; i < mask.length; i++) out.push(mask[i] ? objs[o++] : prims[p++]);
      return out;
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
 * A function that builds the rows with one object literal per shape, so rows of a shape share
 * one hidden class with in-object fields in the original key order (keys are JSON string
 * literals); each key's column has its own cursor.
 */
function rowBuilder(
  keys: string[],
  shapes: number[][],
): (ids: Uint8Array, ...cols: ArrayLike<unknown>[]) => unknown[] {
  const at = (c: number) => shapes.length === 1 ? "i" : `p${c}++`;
  const literal = (shape: number[]) =>
    `{ ${shape.map((c) => `${JSON.stringify(keys[c] ?? bad())}: c${c}[${at(c)}]`).join(", ")} }`;
  const cases = shapes.map((shape, id) => `case ${id}: rows.push(${literal(shape)}); break;`);
  const params = keys.map((_, c) => `c${c}`);
  const cursors = keys.map((_, c) => `p${c} = 0`).join(", ");
  const body = shapes.length === 1
    ? `for (let i = 0; i < ids.length; i++) rows.push(${literal(shapes[0]!)});`
    : `for (let i = 0; i < ids.length; i++) switch (ids[i]) {\n${cases.join("\n")}\n}`;
  return new Function(
    "ids",
    ...params,
    `const rows = [];\n${cursors ? `let ${cursors};\n` : ""}${body}\nreturn rows;`,
  ) as (ids: Uint8Array, ...cols: ArrayLike<unknown>[]) => unknown[];
}

function bad(): never {
  throw new Error("columnar checkpoint has a bad table shape");
}
