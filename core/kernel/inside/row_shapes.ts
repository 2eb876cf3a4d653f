/**
 * The key lists ("shapes") of a table's rows, for the columnar checkpoint format: JSON-like
 * data often has optional keys, so a table may hold a few shapes. Each key gets one column
 * holding the values of the rows that have it; a shape id per row says which keys it has,
 * in which order.
 */

/** A table's keys (first seen first), its shapes as key indices, and each row's shape. */
export interface RowShapes {
  keys: string[];
  shapes: number[][];
  ids: Uint8Array;
}

/** More distinct key lists than this is not a table; v8 keeps it. */
const MAX_SHAPES = 64;
/** Wider records are rare; the generated row builder stays small. */
const MAX_KEYS = 200;

/**
 * The shapes of `rows`, or `undefined` when a row is not a plain object, has a `__proto__`
 * key, or the rows have too many shapes or keys. for-in reads no value (getters run later,
 * once) and also lists inherited enumerable keys: a polluted Object.prototype falls back.
 */
export function rowShapes(rows: unknown[]): RowShapes | undefined {
  const keys: string[] = [];
  const index = new Map<string, number>(); // key -> its index in `keys`
  const lists: string[][] = [];
  const byList = new Map<string, number>(); // JSON of a key list -> shape id
  const ids = new Uint8Array(rows.length);
  let current: string[] = [];
  let id = -1;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]; // a hole reads as undefined and fails the check below
    if (!isPlainObject(row)) return undefined;
    let j = 0;
    let same = true;
    for (const k in row) {
      if (k !== current[j++]) {
        same = false;
        break;
      }
    }
    if (!same || j !== current.length || id < 0) {
      current = Object.keys(row);
      const json = JSON.stringify(current);
      id = byList.get(json) ?? -1;
      if (id < 0) {
        if (!acceptable(row, current) || lists.length >= MAX_SHAPES) return undefined;
        id = lists.length;
        lists.push(current);
        byList.set(json, id);
        for (const k of current) if (!index.has(k)) index.set(k, keys.push(k) - 1);
        if (keys.length > MAX_KEYS) return undefined;
      }
    }
    ids[i] = id;
  }
  return { keys, shapes: lists.map((l) => l.map((k) => index.get(k)!)), ids };
}

/** Own keys only (for-in finds no inherited one) and none of them `__proto__`. */
function acceptable(row: object, own: string[]): boolean {
  let n = 0;
  for (const _ in row) n++;
  return n === own.length && !own.includes("__proto__");
}

/** True for an object whose prototype is Object.prototype. */
export function isPlainObject(v: unknown): v is object {
  return v !== null && typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype;
}
