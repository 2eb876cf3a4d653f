/**
 * Columnar checkpoint format for the commonest big value: an array of plain records
 * (`[{ id, name, score }, ...]`, also with optional keys, nested records, arrays and Dates).
 * `v8.deserialize` rebuilds such an array object by object (~2 s for 2.25M small rows); stored
 * as columns (see column_encoder.ts and column_decoder.ts) it comes back several times faster.
 * Anything this format cannot reproduce exactly makes the encoder return `undefined`, and the
 * caller falls back to `v8.serialize`.
 */
import {
  type ColumnSpec,
  encodeTable,
  type Encoding,
  hasRoom,
  heapPerRow,
  isDistinct,
} from "./column_encoder.ts";
import { decodeColumn } from "./column_decoder.ts";

/** Marks a columnar file; a `v8.serialize` buffer starts with 0xFF instead. */
const MAGIC = new TextEncoder().encode("NSCOLS2\n");
/** Below this many rows v8 is fast enough and the plain format is kept. */
const MIN_ROWS = 1_000;
/** Heap per row of `Object.keys(rows)` (a string per index, and its slot). */
const INDEX_KEY_BYTES = 32;

interface Header {
  n: number;
  table: ColumnSpec;
  /** Byte length of each body, in file order (each starts at a multiple of 8). */
  sizes: number[];
}

/** True when `bytes` is a file written by {@link encodeRecords}. */
export function isRecordColumns(bytes: Uint8Array): boolean {
  return bytes.byteLength >= MAGIC.length && MAGIC.every((b, i) => bytes[i] === b);
}

/**
 * Encodes `value` as columns when it is a plain Array (no holes, no extra properties) of at
 * least MIN_ROWS plain objects (prototype Object.prototype) with at most 64 different lists
 * of own enumerable keys, none `__proto__`, whose values are primitives other than symbols,
 * Dates, or again such records or plain arrays, and no object appears twice. Returns the file's parts,
 * or `undefined` for anything else. Like v8.serialize, getters are read once and
 * non-enumerable properties are dropped.
 */
export function encodeRecords(value: unknown): Uint8Array[] | undefined {
  if (!Array.isArray(value) || Object.getPrototypeOf(value) !== Array.prototype) return undefined;
  const rows: unknown[] = value;
  if (rows.length < MIN_ROWS || !isRecord(rows[0]) || !isRecord(rows.at(-1))) return undefined;
  // A doomed attempt would grow the heap just before v8.serialize needs its own memory.
  if (!hasRoom(rows.length * (heapPerRow(rows[0]) + INDEX_KEY_BYTES))) return undefined;
  // Named properties on the array (d3's csvParse adds `columns`); first, so that the index
  // keys this lists are garbage before the columns are built.
  if (Object.keys(rows).length !== rows.length) return undefined;
  const enc: Encoding = { bodies: [], seen: new Set(), added: 0, shapes: new Map() };
  const table = encodeTable(rows, enc);
  if (!table || !isDistinct(enc)) return undefined;
  const header: Header = { n: rows.length, table, sizes: enc.bodies.map((b) => b.length) };
  const json = new TextEncoder().encode(JSON.stringify(header));
  const size = new Uint8Array(4);
  new DataView(size.buffer).setUint32(0, json.length, true);
  const parts: Uint8Array[] = [MAGIC, size, json];
  let at = MAGIC.length + 4 + json.length;
  for (const body of enc.bodies) {
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
  if (header.table?.kind !== "records") throw new Error("columnar checkpoint has a bad header");
  let body = 0;
  const next = () => {
    const length = header.sizes[body++];
    at = pad8(at);
    const part = bytes.subarray(at, at += length ?? Infinity);
    if (length === undefined || part.length !== length) {
      throw new Error("columnar checkpoint is truncated");
    }
    return part;
  };
  const rows = decodeColumn(header.table, header.n, next) as unknown[];
  if (body !== header.sizes.length) throw new Error("columnar checkpoint has extra bodies");
  return rows;
}

function isRecord(v: unknown): boolean {
  return v !== null && typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype;
}

function pad8(n: number): number {
  return Math.ceil(n / 8) * 8;
}
