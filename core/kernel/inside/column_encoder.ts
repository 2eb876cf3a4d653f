/**
 * Encoder of the columnar checkpoint format (record_columns.ts): how one column of values is
 * stored. Numbers become Int32Array/Float64Array bytes; strings with few distinct values a
 * dictionary; other primitives one v8-serialised array; Dates their times; same-shape plain
 * objects a nested table; plain arrays their lengths plus one column of all their items;
 * objects among primitives a mask and a column of each.
 * Anything else makes the encoder give up, and the caller keeps `v8.serialize`.
 */
import v8 from "node:v8";
import { ColumnData } from "./column_data.ts";
import { rowShapes } from "./row_shapes.ts";

/** How a column is stored; its bodies follow in the file in depth-first order. */
export type ColumnSpec =
  | { kind: "i32" | "f64" | "values" }
  | { kind: "dict" | "dates" }
  /** `shapes` (key indices of each row shape) when the rows have more than one. */
  | { kind: "records"; keys: string[]; cols: ColumnSpec[]; shapes?: number[][] }
  | { kind: "lists"; items: ColumnSpec }
  | { kind: "split"; prims: ColumnSpec; objects: ColumnSpec };

/** What an encoding collects beside the bodies: the identity check of its objects. */
export interface Encoding {
  bodies: Uint8Array[];
  /**
   * Objects not proven distinct otherwise (see {@link encodeTable}) and how many went in: v8
   * keeps an object listed twice as one object, columns would make two.
   */
  seen: Set<object>;
  added: number;
  /**
   * Key lists of the tables met; with the rows of the one table of those keys that a rising
   * column proved distinct (kept out of the Set unless another table has the same keys).
   */
  shapes: Map<string, object[] | null>;
}

/** Taken before any cell runs: a cell may replace Date.prototype.getTime. */
const getTime = Date.prototype.getTime;
/** Records or arrays nested deeper than this (or a cycle) are left to v8. */
const MAX_DEPTH = 4;
/** A string column with at most this many distinct values is stored as a dictionary. */
const MAX_DICT = 4_096;
/** Heap for one value in a plain array while it grows / in the identity Set; and a margin. */
const ARRAY_BYTES = 24;
const SET_BYTES = 48;
const HEAP_MARGIN = 32 << 20;
/** The young generation's part of V8's heap limit (limit = max-old-space-size + 96 MiB). */
const YOUNG_GENERATION = 96 << 20;

/**
 * Encodes the rows of a table (plain objects; see row_shapes.ts for their keys). Equal
 * objects have equal fields, so a strictly rising number column proves the rows distinct;
 * other tables, and all tables that share their keys with another, go through the identity
 * check.
 */
export function encodeTable(
  rows: unknown[],
  enc: Encoding,
  depth = 0,
): Extract<ColumnSpec, { kind: "records" }> | undefined {
  const table = rowShapes(rows);
  if (!table) return undefined;
  const { keys, shapes, ids } = table;
  if (shapes.length > 1) enc.bodies.push(ids);
  // One column at a time, so one column's values at most are on the heap.
  const cols: ColumnSpec[] = [];
  let proven = false;
  for (let c = 0; c < keys.length; c++) {
    const key = keys[c]!;
    const has = Uint8Array.from(shapes, (s) => s.includes(c) ? 1 : 0);
    let count = 0;
    for (let i = 0; i < ids.length; i++) count += has[ids[i]!]!;
    if (!hasRoom(count * ARRAY_BYTES)) return undefined;
    const data = new ColumnData(count);
    for (let i = 0; i < rows.length; i++) {
      if (has[ids[i]!]) data.add((rows[i] as Record<string, unknown>)[key]);
    }
    const spec = encodeColumn(data, enc, depth);
    if (!spec) return undefined;
    cols.push(spec);
    proven ||= data.rising && count === rows.length; // a column of every row
  }
  // Rows of two tables with the same keys could be one another's: both go through the Set.
  const shape = JSON.stringify(shapes.length > 1 ? { keys, shapes } : keys);
  const earlier = enc.shapes.get(shape);
  enc.shapes.set(shape, earlier === undefined && proven ? rows as object[] : null);
  if (earlier && !addSeen(enc, earlier)) return undefined;
  if ((!proven || earlier !== undefined) && !addSeen(enc, rows as object[])) return undefined;
  return shapes.length > 1
    ? { kind: "records", keys, cols, shapes }
    : { kind: "records", keys, cols };
}

/** True when no object went twice into the identity check. */
export function isDistinct(enc: Encoding): boolean {
  return enc.seen.size === enc.added;
}

/**
 * A guess of the heap the encoder needs per row like `row`: one column slot for the row's
 * fields (one column at a time), and for each object or array inside it an identity Set entry
 * and the slots of its own column(s).
 */
export function heapPerRow(row: unknown): number {
  return ARRAY_BYTES + nestedBytes(row, 0);
}

function nestedBytes(v: unknown, depth: number): number {
  if (v === null || typeof v !== "object" || v instanceof Date || depth > MAX_DEPTH) return 0;
  let bytes = 0;
  for (const x of Array.isArray(v) ? v : Object.values(v)) {
    if (x === null || typeof x !== "object") continue;
    const slots = Array.isArray(x) ? x.length : 1;
    bytes += SET_BYTES + slots * ARRAY_BYTES + nestedBytes(x, depth + 1);
  }
  return bytes;
}

function addSeen(enc: Encoding, objects: object[]): boolean {
  if (!hasRoom(objects.length * SET_BYTES)) return false;
  for (const o of objects) enc.seen.add(o);
  enc.added += objects.length;
  return true;
}

/**
 * The encoder keeps a column of values and the identity Set on the JS heap, where
 * v8.serialize needs none: near the kernel's heap cap that could kill the kernel, so a table
 * that does not fit in the room left is left to v8.
 */
export function hasRoom(bytes: number): boolean {
  const { heap_size_limit, used_heap_size } = v8.getHeapStatistics();
  return heap_size_limit - YOUNG_GENERATION - used_heap_size > bytes + HEAP_MARGIN;
}

/** Encodes one column of values. */
function encodeColumn(
  data: ColumnData,
  enc: Encoding,
  depth: number,
): ColumnSpec | undefined {
  const numbers = data.numbers;
  if (numbers) {
    const body = data.int ? new Int32Array(numbers) : numbers.slice();
    enc.bodies.push(new Uint8Array(body.buffer));
    return { kind: data.int ? "i32" : "f64" };
  }
  const values = data.values!;
  let str = true, objects = 0, records = true, lists = true, dates = true;
  for (const v of values) {
    if (typeof v !== "string") str = false;
    if (v !== null && typeof v === "object") {
      objects++;
      if (Array.isArray(v)) records = false;
      else lists = false;
      if (dates && Object.getPrototypeOf(v) !== Date.prototype) dates = false;
    } else if (typeof v === "function" || typeof v === "symbol") return undefined;
  }
  if (str && encodeDictionary(values as string[], enc)) return { kind: "dict" };
  if (objects === 0) {
    enc.bodies.push(v8.serialize(values));
    return { kind: "values" };
  }
  if (objects < values.length) return encodeSplit(values, objects, enc, depth);
  if (dates) return encodeDates(values as Date[], enc);
  if (depth >= MAX_DEPTH) return undefined;
  if (records) return encodeTable(values, enc, depth + 1);
  if (lists) return encodeLists(values, enc, depth);
  return undefined;
}

/** Objects among primitives (a record or null, say): a mask, then a column of each. */
function encodeSplit(
  values: unknown[],
  objects: number,
  enc: Encoding,
  depth: number,
): ColumnSpec | undefined {
  if (!hasRoom(values.length * ARRAY_BYTES)) return undefined;
  const mask = new Uint8Array(values.length);
  const prims = new ColumnData(values.length - objects);
  const objs = new ColumnData(objects);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v !== null && typeof v === "object") {
      mask[i] = 1;
      objs.add(v);
    } else prims.add(v);
  }
  enc.bodies.push(mask);
  const p = encodeColumn(prims, enc, depth);
  const o = p && encodeColumn(objs, enc, depth);
  return o && { kind: "split", prims: p!, objects: o };
}

/** Plain arrays (no holes, no named properties): their lengths, then one column of items. */
function encodeLists(lists: unknown[], enc: Encoding, depth: number): ColumnSpec | undefined {
  const lengths = new Uint32Array(lists.length);
  let total = 0;
  for (let i = 0; i < lists.length; i++) {
    const list = lists[i] as unknown[];
    if (Object.getPrototypeOf(list) !== Array.prototype) return undefined;
    if (Object.keys(list).length !== list.length) return undefined; // holes or named properties
    total += lengths[i] = list.length;
  }
  enc.bodies.push(new Uint8Array(lengths.buffer));
  if (!addSeen(enc, lists as object[]) || !hasRoom(total * ARRAY_BYTES)) return undefined;
  const items = new ColumnData(total);
  for (const list of lists as unknown[][]) {
    for (let k = 0; k < list.length; k++) {
      const v = list[k];
      if (v === undefined && !(k in list)) return undefined; // a hole (and a named property)
      items.add(v);
    }
  }
  const inner = encodeColumn(items, enc, depth + 1);
  return inner && { kind: "lists", items: inner };
}

/**
 * Dates as their time values (like v8, which also drops a Date's own properties); one Date
 * object in two rows must stay one, so they go through the identity check.
 */
function encodeDates(dates: Date[], enc: Encoding): ColumnSpec | undefined {
  if (!addSeen(enc, dates)) return undefined;
  const times = new Float64Array(dates.length);
  for (let i = 0; i < dates.length; i++) times[i] = getTime.call(dates[i]);
  enc.bodies.push(new Uint8Array(times.buffer));
  return { kind: "dates" };
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
